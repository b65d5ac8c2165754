// One POST to a destination (a webhook receiver, a Slack incoming webhook) with a timeout, answered
// as an attempt's outcome: the status, how long it took, the receiver's words when it refused, and
// how long it asked us to wait (Retry-After). Never throws for the receiver's failures.

export interface PostResult {
  ok: boolean;
  status: number | null;
  latencyMs: number;
  error: string | null;
  retryAfterMs: number;
}

/** The first bytes of a refusal's body are kept: enough to read the receiver's reason. */
const ERROR_BODY_CHARS = 300;

function retryAfterMs(header: string | null): number {
  if (!header) return 0;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(header);
  return Number.isFinite(at) ? Math.max(0, at - Date.now()) : 0;
}

function causeCode(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown } }).cause;
  return typeof cause?.code === 'string' ? cause.code : 'network error';
}

export async function postToDestination(
  url: string,
  body: string,
  headers: Record<string, string>,
  options: { timeoutMs: number; fetch?: typeof fetch },
): Promise<PostResult> {
  const started = performance.now();
  const latency = () => Math.round(performance.now() - started);
  try {
    const response = await (options.fetch ?? fetch)(url, {
      method: 'POST',
      body,
      headers,
      redirect: 'manual',
      signal: AbortSignal.timeout(options.timeoutMs),
    });
    const text = await response.text().catch(() => '');
    const ok = response.status >= 200 && response.status < 300;
    return {
      ok,
      status: response.status,
      latencyMs: latency(),
      error: ok ? null : `HTTP ${response.status}${text ? `: ${text.slice(0, ERROR_BODY_CHARS)}` : ''}`,
      retryAfterMs: retryAfterMs(response.headers.get('retry-after')),
    };
  } catch (error) {
    const timedOut = error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
    return {
      ok: false,
      status: null,
      latencyMs: latency(),
      // The cause's code, never the message: an address may hold a secret (a Slack webhook's path).
      error: timedOut ? `no answer within ${options.timeoutMs} ms` : `could not connect (${causeCode(error)})`,
      retryAfterMs: 0,
    };
  }
}
