// `nightshift senders [list|email|sms|test]`: how a tenant sends e-mail and SMS, from the command
// line, through the same services and checks as /api/senders (docs/delivery.md). Secrets come from
// files or stdin, never argv; they never come back out.
import type { z } from 'zod';
import {
  type EmailSenderInput,
  emailSenderInput,
  type SenderChannel,
  type SenderRecord,
  type SmsSenderInput,
  smsSenderInput,
} from '../contract/senders.ts';
import type { Database } from '../db/port.ts';
import { tenantScoped } from '../db/tenant-scope.ts';
import { InvalidInputError } from '../domain/errors.ts';
import { deliveryDeps } from '../jobs/task-deps.ts';
import { resolveSecrets } from '../secrets.ts';
import { listSenders, saveEmailSender, saveSmsSender, testSender } from '../services/senders.ts';
import { resolveTenant } from '../services/tenant-refs.ts';
import { commandConfig, withDatabase } from './context.ts';
import { UsageError } from './errors.ts';
import { positiveInt } from './options.ts';
import { secretFrom } from './secret-input.ts';
import { table } from './table.ts';

const write = (text: string): void => {
  process.stdout.write(`${text}\n`);
};

/** Runs `work` on the tenant's scoped database with the delivery keys, as the API would. */
async function withTenant<T>(
  tenant: string,
  work: (db: Database, tenantId: string, deps: ReturnType<typeof deliveryDeps>) => Promise<T>,
): Promise<T> {
  const { config } = commandConfig();
  const deps = deliveryDeps(config, resolveSecrets(config));
  return withDatabase(config, async (db) => {
    const ref = await resolveTenant(db, tenant);
    return work(tenantScoped(db, ref.id), ref.id, deps);
  });
}

/** The sender checked as the API checks it; a bad field is a usage error naming its option. */
function checked<T>(schema: z.ZodType<T>, value: object, options: Record<string, string>): T {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const field = issue.path.join('.');
  throw new UsageError(`${options[field] ?? field} ${issue.message}`);
}

const optionalSecret = (what: string, file: string | undefined, stdin: boolean | undefined) =>
  file !== undefined || stdin ? secretFrom(what, file, stdin) : Promise.resolve(undefined);

function describe(sender: SenderRecord): string {
  const s = sender.settings as Record<string, unknown>;
  return sender.channel === 'email'
    ? `${s.from_address} via ${s.host}:${s.port} (${s.security})`
    : `${s.from_number ?? s.messaging_service_sid} on ${s.account_sid}`;
}

export async function sendersListCommand(options: { tenant: string; json?: boolean }): Promise<void> {
  const senders = await withTenant(options.tenant, (db, tenantId, deps) => listSenders(db, deps, tenantId));
  if (options.json) return write(JSON.stringify(senders, null, 2));
  if (senders.length === 0) {
    write('No senders. Set one: nightshift senders email|sms --tenant … (see docs/delivery.md)');
    return;
  }
  write(
    table(
      ['CHANNEL', 'SENDER', 'STATUS', 'SECRETS', 'LAST TEST'],
      senders.map((sender) => [
        sender.channel,
        describe(sender),
        sender.last_error ? `${sender.status}: ${sender.last_error}` : sender.status,
        sender.secrets_set.join(', ') || '-',
        sender.test_result ?? '-',
      ]),
    ),
  );
}

export async function sendersEmailCommand(options: {
  tenant: string;
  host: string;
  port?: string;
  security?: string;
  username?: string;
  passwordFile?: string;
  passwordStdin?: boolean;
  from: string;
  fromName?: string;
  replyTo?: string;
  maxConnections?: string;
  rate?: string;
  dkimDomain?: string;
  dkimSelector?: string;
  dkimKeyFile?: string;
  trackOpens?: boolean;
  trackClicks?: boolean;
  json?: boolean;
}): Promise<void> {
  const password = await optionalSecret('password', options.passwordFile, options.passwordStdin);
  const dkimKey = await optionalSecret('dkim-key', options.dkimKeyFile, false);
  const input: EmailSenderInput = checked(
    emailSenderInput,
    {
      host: options.host,
      ...(options.port !== undefined ? { port: positiveInt('port', options.port, 65535) } : {}),
      ...(options.security !== undefined ? { security: options.security } : {}),
      ...(options.username !== undefined ? { username: options.username } : {}),
      ...(password !== undefined ? { password } : {}),
      from_address: options.from,
      ...(options.fromName !== undefined ? { from_name: options.fromName } : {}),
      ...(options.replyTo !== undefined ? { reply_to: options.replyTo } : {}),
      ...(options.maxConnections !== undefined
        ? { max_connections: positiveInt('max-connections', options.maxConnections, 50) }
        : {}),
      ...(options.rate !== undefined ? { rate_per_second: positiveInt('rate', options.rate, 10_000) } : {}),
      ...(options.dkimDomain !== undefined || options.dkimSelector !== undefined
        ? {
            dkim: {
              domain: options.dkimDomain,
              selector: options.dkimSelector,
              ...(dkimKey !== undefined ? { private_key: dkimKey } : {}),
            },
          }
        : {}),
      track_opens: options.trackOpens !== false,
      track_clicks: options.trackClicks !== false,
    },
    {
      host: '--host',
      port: '--port',
      security: '--security',
      from_address: '--from',
      reply_to: '--reply-to',
      'dkim.domain': '--dkim-domain',
      'dkim.selector': '--dkim-selector',
      'dkim.private_key': '--dkim-key-file',
    },
  );
  const sender = await withTenant(options.tenant, (db, tenantId, deps) => saveEmailSender(db, deps, tenantId, input));
  if (options.json) return write(JSON.stringify(sender, null, 2));
  write(`E-mail sender set: ${describe(sender)}. Try it: nightshift senders test email --tenant … --to <address>`);
}

export async function sendersSmsCommand(options: {
  tenant: string;
  accountSid: string;
  authTokenFile?: string;
  authTokenStdin?: boolean;
  from?: string;
  messagingService?: string;
  maxInFlight?: string;
  quietHours?: string;
  json?: boolean;
}): Promise<void> {
  const authToken = await optionalSecret('auth-token', options.authTokenFile, options.authTokenStdin);
  const quiet = options.quietHours?.match(/^(\d{1,2})-(\d{1,2})$/);
  if (options.quietHours !== undefined && !quiet) {
    throw new UsageError(`--quiet-hours expects START-END in whole hours, like 21-8 (got ${options.quietHours})`);
  }
  const input: SmsSenderInput = checked(
    smsSenderInput,
    {
      account_sid: options.accountSid,
      ...(authToken !== undefined ? { auth_token: authToken } : {}),
      ...(options.from !== undefined ? { from_number: options.from } : {}),
      ...(options.messagingService !== undefined ? { messaging_service_sid: options.messagingService } : {}),
      ...(options.maxInFlight !== undefined
        ? { max_in_flight: positiveInt('max-in-flight', options.maxInFlight, 100) }
        : {}),
      ...(quiet ? { quiet_hours: { start_hour: Number(quiet[1]), end_hour: Number(quiet[2]) } } : {}),
    },
    {
      account_sid: '--account-sid',
      auth_token: 'the auth token',
      from_number: '--from',
      messaging_service_sid: '--messaging-service',
      'quiet_hours.start_hour': '--quiet-hours',
      'quiet_hours.end_hour': '--quiet-hours',
    },
  );
  const sender = await withTenant(options.tenant, (db, tenantId, deps) => saveSmsSender(db, deps, tenantId, input));
  if (options.json) return write(JSON.stringify(sender, null, 2));
  write(`SMS sender set: ${describe(sender)}. Try it: nightshift senders test sms --tenant … --to <+number>`);
}

/** Sends one real message; a refusal is printed in the provider's words and exits 1. */
export async function sendersTestCommand(
  channel: string,
  options: { tenant: string; to: string; json?: boolean },
): Promise<void> {
  if (channel !== 'email' && channel !== 'sms') throw new UsageError(`expects email or sms (got ${channel})`);
  const result = await withTenant(options.tenant, (db, tenantId, deps) =>
    testSender(db, deps, tenantId, channel as SenderChannel, options.to).catch((error: unknown) => {
      if (error instanceof InvalidInputError) throw new UsageError(`--to ${error.errors[0]?.message ?? 'is invalid'}`);
      throw error;
    }),
  );
  if (options.json) write(JSON.stringify(result, null, 2));
  else if (result.ok) write(`Sent (${result.provider_id}): ${result.detail}`);
  else process.stderr.write(`Not sent: ${result.detail}\n`);
  if (!result.ok) process.exitCode = 1;
}
