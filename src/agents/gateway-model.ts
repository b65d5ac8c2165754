// The LLM gateway: any OpenAI-compatible chat-completions API (hosted gateways, OpenRouter, Ollama,
// vLLM), called through the AI SDK's openai-compatible provider with `stream: true`. It yields the
// answer's text as it arrives and turns every way a call can go wrong into one GatewayError kind.
//
// How the AI SDK (ai 7) reports failures, as test/openai-server.test.ts shows against a local
// server: an HTTP error is an `error` part (APICallError with statusCode); a connection cut
// mid-stream makes the iteration throw (APICallError, statusCode 200, cause "terminated"); a
// timeout or an aborted signal is an `abort` part. A stream that ends without a `finish` part
// stopped half-way. chunkMs only starts after the first chunk, so firstChunkMs guards the wait
// for the first one.
import type { ChatMessage } from './prompts.ts';

/**
 * The AI SDK, loaded by the first call to a gateway: the offline provider, and every command and
 * server without a gateway, never pay for its modules (about 55 ms of a command's start).
 */
let sdk: Promise<{ ai: typeof import('ai'); compatible: typeof import('@ai-sdk/openai-compatible') }> | undefined;
const loadSdk = () =>
  (sdk ??= Promise.all([import('ai'), import('@ai-sdk/openai-compatible')]).then(([ai, compatible]) => ({
    ai,
    compatible,
  })));

export interface GatewaySettings {
  baseUrl: string;
  apiKey?: string;
  model: string;
  /** Longest waits, in milliseconds: for the first chunk, between chunks, for a whole answer. */
  timeouts: { firstChunkMs: number; chunkMs: number; totalMs: number };
}

export type GatewayErrorKind =
  | 'rate_limited'
  | 'payment_required'
  | 'timeout'
  | 'broken_stream'
  | 'aborted'
  | 'upstream';

export class GatewayError extends Error {
  override name = 'GatewayError';
  readonly kind: GatewayErrorKind;
  /** The gateway's HTTP status, when it answered with one. */
  readonly status: number | undefined;

  constructor(kind: GatewayErrorKind, message: string, options: { status?: number; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.kind = kind;
    this.status = options.status;
  }
}

/** A model that streams the text of its answer to chat messages. */
export interface TextStreamModel {
  readonly provider: 'gateway';
  readonly model: string;
  stream(messages: ChatMessage[], signal: AbortSignal): AsyncIterable<string>;
}

function fromCallError(error: unknown, signal: AbortSignal, ai: typeof import('ai')): GatewayError {
  if (signal.aborted) return new GatewayError('aborted', 'the caller went away', { cause: error });
  if (ai.APICallError.isInstance(error)) {
    const status = error.statusCode;
    if (status === 429) return new GatewayError('rate_limited', 'the gateway answered 429', { status, cause: error });
    if (status === 402)
      return new GatewayError('payment_required', 'the gateway answered 402', { status, cause: error });
    if (status === 200) return new GatewayError('broken_stream', 'the gateway’s stream broke off', { cause: error });
    return new GatewayError('upstream', `the gateway answered ${status ?? 'without a status'}: ${error.message}`, {
      status,
      cause: error,
    });
  }
  const message = error instanceof Error ? error.message : String(error);
  return new GatewayError('upstream', `the gateway call failed: ${message}`, { cause: error });
}

export function createGatewayModel(settings: GatewaySettings): TextStreamModel {
  return {
    provider: 'gateway',
    model: settings.model,
    async *stream(messages, signal) {
      const { ai, compatible } = await loadSdk();
      const model = compatible
        .createOpenAICompatible({
          name: 'gateway',
          baseURL: settings.baseUrl.replace(/\/+$/, ''),
          apiKey: settings.apiKey,
        })
        .chatModel(settings.model);
      // The AI SDK takes the system message apart from the conversation; it sends it first, as the seed does.
      const system = messages
        .filter((m) => m.role === 'system')
        .map((m) => m.content)
        .join('\n\n');
      const conversation = messages.filter((m) => m.role !== 'system') as {
        role: 'user' | 'assistant';
        content: string;
      }[];
      const result = ai.streamText({
        model,
        system,
        messages: conversation,
        // The seed hands 429 and 402 straight back to the caller; retrying here would only delay that.
        maxRetries: 0,
        abortSignal: signal,
        timeout: settings.timeouts,
        // Failures are read from the stream below; the SDK's default would print them to stderr.
        onError: () => {},
      });
      let finished = false;
      try {
        for await (const part of result.fullStream) {
          if (part.type === 'text-delta') yield part.text;
          else if (part.type === 'error') throw fromCallError(part.error, signal, ai);
          else if (part.type === 'abort') {
            if (signal.aborted) throw new GatewayError('aborted', 'the caller went away');
            throw new GatewayError('timeout', `the gateway did not answer in time (${part.reason ?? 'timeout'})`);
          } else if (part.type === 'finish') finished = true;
        }
      } catch (error) {
        throw error instanceof GatewayError ? error : fromCallError(error, signal, ai);
      }
      if (!finished) throw new GatewayError('broken_stream', 'the gateway’s stream ended before its last chunk');
    },
  };
}

/** The configured gateway, or null (the offline provider) when no base URL is set. */
export function gatewayModelFromConfig(ai: {
  baseUrl?: string;
  apiKey?: string;
  model: string;
  timeouts: GatewaySettings['timeouts'];
}): TextStreamModel | null {
  return ai.baseUrl ? createGatewayModel({ ...ai, baseUrl: ai.baseUrl }) : null;
}
