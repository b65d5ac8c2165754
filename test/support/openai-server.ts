// A local stand-in for an OpenAI-compatible LLM gateway (POST /v1/chat/completions), so tests can
// script what "the model" answers: streamed or plain text, an HTTP error, a stream cut off midway,
// or a stream that stalls. Production code talks to it through the AI SDK's
// @ai-sdk/openai-compatible provider with baseURL = server.baseUrl, exactly as it would to a real
// gateway, so the SDK's own parsing, error mapping and timeouts are part of what tests exercise.
// Replies are queued with `script` and consumed one per request; `respondWith` answers the rest.
// Every request is recorded (headers and parsed body), and client aborts are counted, so tests can
// check that a timeout or cancellation really hung up on the gateway instead of leaving it running.
import { createServer, type IncomingMessage, type ServerResponse, STATUS_CODES } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

export type ScriptedReply =
  /** A successful completion: SSE chunks when the request asked for `stream: true`, else one JSON body. */
  | {
      kind: 'text';
      text: string;
      /** Characters per chunk; default 16. */
      chunkSize?: number;
      /** Pause before each chunk (before the body, when not streaming); default 0. */
      delayMs?: number;
    }
  /** An HTTP error: that status with `body` as JSON (default an OpenAI-style `{error:{message,type,code}}`). */
  | { kind: 'status'; status: number; body?: unknown; headers?: Record<string, string> }
  /** The first half of `text` as SSE chunks, then the socket is destroyed: no finish chunk, no [DONE]. */
  | { kind: 'broken'; text: string }
  /** Headers and optional text chunks, then silence until the client hangs up or the server closes. */
  | { kind: 'stall'; text?: string };

export interface RecordedRequest {
  /** As requested, including any query: /v1/chat/completions. */
  path: string;
  headers: Record<string, string | string[] | undefined>;
  /** The parsed JSON body (the raw text if it was not JSON; undefined if empty). */
  // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary fields of the request body.
  body: any;
}

export interface OpenAiServer {
  /** http://127.0.0.1:PORT/v1, the provider's baseURL. */
  baseUrl: string;
  /** Every request received, in order. */
  requests: RecordedRequest[];
  /** Requests whose client hung up before the reply was complete (not counting hang-ups the script or close() caused). */
  readonly clientAborts: number;
  /** Queues replies, consumed one per chat-completions request, in order. */
  script(...replies: ScriptedReply[]): void;
  /** Answers requests once the queue is empty; by default a 500 `{error:{message:'no scripted reply'}}`. */
  respondWith(fn: (req: RecordedRequest) => ScriptedReply): void;
  /** Stops the server and destroys open sockets, so stalled replies do not keep the process alive. */
  close(): Promise<void>;
}

const COMPLETIONS_PATH = '/v1/chat/completions';
const DEFAULT_CHUNK_SIZE = 16;

const noScriptedReply = (): ScriptedReply => ({
  kind: 'status',
  status: 500,
  body: { error: { message: 'no scripted reply' } },
});

/** The error body OpenAI answers with, so the SDK's error parsing sees what it would in production. */
function defaultErrorBody(status: number) {
  return {
    error: {
      message: `${STATUS_CODES[status] ?? 'Error'} (scripted ${status})`,
      type: status === 429 ? 'rate_limit_error' : status >= 500 ? 'server_error' : 'invalid_request_error',
      code: status === 429 ? 'rate_limit_exceeded' : null,
    },
  };
}

/** Splits by code points, so a chunk boundary never cuts a surrogate pair in half. */
function chunksOf(text: string, size: number): string[] {
  const chars = Array.from(text);
  const pieces: string[] = [];
  for (let i = 0; i < chars.length; i += Math.max(1, size)) pieces.push(chars.slice(i, i + size).join(''));
  return pieces;
}

/** A rough token count (4 characters a token): the SDK only needs plausible numbers. */
const tokens = (text: string) => Math.ceil(text.length / 4);

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    req.on('data', (part: Buffer) => parts.push(part));
    req.on('end', () => resolve(Buffer.concat(parts).toString('utf8')));
    req.on('error', reject);
  });
}

function parseBody(raw: string): unknown {
  if (raw === '') return undefined;
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}

export async function startOpenAiServer(): Promise<OpenAiServer> {
  const queue: ScriptedReply[] = [];
  let fallback: (req: RecordedRequest) => ScriptedReply = noScriptedReply;
  const requests: RecordedRequest[] = [];
  let clientAborts = 0;
  let completionCount = 0;
  let closing = false;
  const sockets = new Set<Socket>();
  // One per reply in progress: aborting it ends that reply's pending delay, so close() leaves no timers.
  const inFlight = new Set<AbortController>();

  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      // The client went away mid-reply, or the server is closing: nothing left to answer.
      if (!res.headersSent && !res.destroyed) res.destroy();
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const done = new AbortController();
    inFlight.add(done);
    // Set when this side cuts the connection (a broken reply, close()), so it is not counted as the client's.
    let destroyedByServer = false;
    res.on('close', () => {
      inFlight.delete(done);
      done.abort();
      if (!res.writableFinished && !destroyedByServer && !closing) clientAborts++;
    });

    const raw = await readBody(req);
    const recorded: RecordedRequest = { path: req.url ?? '', headers: { ...req.headers }, body: parseBody(raw) };
    requests.push(recorded);

    if (req.method !== 'POST' || recorded.path.split('?')[0] !== COMPLETIONS_PATH) {
      sendJson(res, 404, {
        error: { message: `no route ${req.method} ${recorded.path}`, type: 'invalid_request_error', code: null },
      });
      return;
    }

    const reply = queue.shift() ?? fallback(recorded);
    const id = `chatcmpl-test-${++completionCount}`;
    const model = typeof recorded.body?.model === 'string' ? recorded.body.model : 'unknown';
    const created = Math.floor(Date.now() / 1000);
    const promptTokens = tokens(JSON.stringify(recorded.body?.messages ?? ''));
    const usage = (text: string) => ({
      prompt_tokens: promptTokens,
      completion_tokens: tokens(text),
      total_tokens: promptTokens + tokens(text),
    });
    const chunk = (delta: Record<string, unknown>, finishReason: string | null, extra?: Record<string, unknown>) =>
      `data: ${JSON.stringify({
        id,
        object: 'chat.completion.chunk',
        created,
        model,
        choices: [{ index: 0, delta, finish_reason: finishReason }],
        ...extra,
      })}\n\n`;
    /** Writes the content chunks; false if the client went away (or the server closed) on the way. */
    const streamPieces = async (text: string, chunkSize: number, delayMs: number) => {
      const pieces = chunksOf(text, chunkSize);
      for (const [i, piece] of pieces.entries()) {
        if (delayMs > 0) await sleep(delayMs, undefined, { signal: done.signal });
        if (done.signal.aborted) return false;
        res.write(chunk(i === 0 ? { role: 'assistant', content: piece } : { content: piece }, null));
      }
      return !done.signal.aborted;
    };
    const startStream = () => {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      // Headers go out now, so fetch resolves even when no chunk follows (a stall).
      res.flushHeaders();
    };

    switch (reply.kind) {
      case 'status':
        sendJson(res, reply.status, reply.body ?? defaultErrorBody(reply.status), reply.headers);
        return;
      case 'text': {
        if (recorded.body?.stream !== true) {
          if (reply.delayMs) await sleep(reply.delayMs, undefined, { signal: done.signal });
          sendJson(res, 200, {
            id,
            object: 'chat.completion',
            created,
            model,
            choices: [
              { index: 0, message: { role: 'assistant', content: reply.text }, logprobs: null, finish_reason: 'stop' },
            ],
            usage: usage(reply.text),
          });
          return;
        }
        startStream();
        if (!(await streamPieces(reply.text, reply.chunkSize ?? DEFAULT_CHUNK_SIZE, reply.delayMs ?? 0))) return;
        res.write(chunk({}, 'stop', { usage: usage(reply.text) }));
        res.end('data: [DONE]\n\n');
        return;
      }
      case 'broken': {
        startStream();
        const half = Array.from(reply.text);
        if (!(await streamPieces(half.slice(0, Math.floor(half.length / 2)).join(''), DEFAULT_CHUNK_SIZE, 0))) return;
        // Let what was written reach the socket, then cut it: the client sees the body end mid-stream.
        await new Promise<void>((resolve) => res.write('', () => resolve()));
        destroyedByServer = true;
        res.socket?.destroy();
        return;
      }
      case 'stall':
        startStream();
        await streamPieces(reply.text ?? '', DEFAULT_CHUNK_SIZE, 0);
        // Nothing more: the reply stays open until the client hangs up or close() destroys the socket.
        return;
    }
  }

  function sendJson(res: ServerResponse, status: number, body: unknown, headers?: Record<string, string>) {
    if (res.destroyed) return;
    res.writeHead(status, { ...headers, 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    requests,
    get clientAborts() {
      return clientAborts;
    },
    script(...replies) {
      queue.push(...replies);
    },
    respondWith(fn) {
      fallback = fn;
    },
    close() {
      closing = true;
      for (const controller of inFlight) controller.abort();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      return closed;
    },
  };
}
