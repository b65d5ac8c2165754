// A local HTTP server standing in for a customer's webhook endpoint or Slack's incoming webhooks:
// it keeps every request (path, headers, raw body) and answers as the test scripts it — a status
// for the next requests, a Retry-After, or no answer at all (to time a sender out).
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedHook {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface HookAnswer {
  status: number;
  body?: string;
  retryAfter?: string;
  /** Never answer (the connection stays open until the receiver closes). */
  hang?: boolean;
}

export interface HookReceiver {
  url: string;
  readonly received: ReceivedHook[];
  /** The next requests are answered these ways, in order; after them, `otherwise`. */
  answer(...answers: HookAnswer[]): void;
  /** How requests are answered when no scripted answer is left (200 "ok" unless set). */
  otherwise(answer: HookAnswer): void;
  reset(): void;
  close(): Promise<void>;
}

export async function startHookReceiver(): Promise<HookReceiver> {
  const received: ReceivedHook[] = [];
  let scripted: HookAnswer[] = [];
  let fallback: HookAnswer = { status: 200, body: 'ok' };
  const hanging = new Set<ServerResponse>();
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received.push({
        path: request.url ?? '/',
        headers: request.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      });
      const answer = scripted.shift() ?? fallback;
      if (answer.hang) {
        hanging.add(response);
        return;
      }
      response.writeHead(answer.status, answer.retryAfter ? { 'retry-after': answer.retryAfter } : {});
      response.end(answer.body ?? '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    answer: (...answers) => scripted.push(...answers),
    otherwise: (answer) => {
      fallback = answer;
    },
    reset() {
      received.length = 0;
      scripted = [];
      fallback = { status: 200, body: 'ok' };
    },
    close() {
      for (const response of hanging) response.destroy();
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
