// Our Message-IDs: `<ns.{tenant}.{message}@{sender's domain}>`. A reply's In-Reply-To or a bounce's
// copy of the original headers hands it back, and names the tenant and the message without a lookup
// (the tenant is still checked against the address the mail arrived at).
const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
const OURS = new RegExp(`^<?ns\\.(${UUID})\\.(${UUID})@[^>\\s]+>?$`, 'i');

export function formatOurMessageId(tenantId: string, messageId: string, domain: string): string {
  return `<ns.${tenantId}.${messageId}@${domain}>`;
}

export function ourMessageIdParts(messageId: string): { tenantId: string; messageId: string } | undefined {
  const match = OURS.exec(messageId.trim());
  return match ? { tenantId: match[1]!.toLowerCase(), messageId: match[2]!.toLowerCase() } : undefined;
}
