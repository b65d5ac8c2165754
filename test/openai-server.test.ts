// The scripted OpenAI-compatible gateway (test/support/openai-server.ts), checked with plain fetch
// and with the real AI SDK (streamText over @ai-sdk/openai-compatible, maxRetries 0).
//
// What the AI SDK (ai 7.0.173, @ai-sdk/openai-compatible 3.0.92) does with each kind of reply, as
// observed here and asserted below, since production code relies on it:
// - 429 status: fullStream yields `start`, then one `error` part whose `error` is an APICallError
//   (statusCode 429, isRetryable true, responseHeaders with retry-after, data = the parsed error
//   body), and then ends without throwing: no start-step, no finish part. onError is called with
//   the same error (by default it console.errors it); awaiting result.text then rejects with
//   NoOutputGeneratedError.
// - broken stream (socket destroyed mid-body): the text-delta parts that arrived come out, then
//   iterating fullStream THROWS (no `error` part) an APICallError "Failed to process successful
//   response" with statusCode 200 and isRetryable true; its cause is undici's TypeError
//   "terminated" (cause.cause a SocketError, code UND_ERR_SOCKET). onError is NOT called;
//   result.text rejects with the same error.
// - stall after some text with timeout { chunkMs: 200 }: after ~200 ms fullStream yields an
//   `abort` part with reason "TimeoutError: Chunk timeout of 200ms exceeded" and ends without
//   throwing: no `error` part, no finish part; result.text rejects with a DOMException named
//   TimeoutError. The SDK hangs up on the gateway (clientAborts goes up, shortly after the stream
//   ends). chunkMs only starts with the first chunk: a stall before any text is not cut by it (it
//   takes firstChunkMs, or an abortSignal, whose abort part then carries that signal's reason).
import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import { APICallError, NoOutputGeneratedError, streamText, type TextStreamPart, type ToolSet } from 'ai';
import { describe, expect, it } from 'vitest';
import { type OpenAiServer, startOpenAiServer } from './support/openai-server.ts';

async function withServer(fn: (server: OpenAiServer) => Promise<void>) {
  const server = await startOpenAiServer();
  try {
    await fn(server);
  } finally {
    await server.close();
  }
}

const chatRequest = (stream: boolean) => ({
  model: 'google/gemini-2.5-flash',
  stream,
  messages: [
    { role: 'system', content: 's' },
    { role: 'user', content: 'p' },
  ],
});

const post = (server: OpenAiServer, body: unknown, signal?: AbortSignal) =>
  fetch(`${server.baseUrl}/chat/completions`, {
    method: 'POST',
    headers: { authorization: 'Bearer test-key', 'content-type': 'application/json' },
    body: JSON.stringify(body),
    signal,
  });

/** The `data:` payloads of an SSE body, in order. */
const sseData = (body: string) =>
  body
    .split('\n\n')
    .filter((event) => event.startsWith('data: '))
    .map((event) => event.slice('data: '.length));

/** The client's hang-up reaches the server a moment after the client gives up. */
async function waitForClientAborts(server: OpenAiServer, count: number) {
  const deadline = Date.now() + 1000;
  while (server.clientAborts < count && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
  return server.clientAborts;
}

describe('openai-server over fetch', () => {
  it('streams a text reply as chat.completion.chunk events ending in [DONE]', () =>
    withServer(async (server) => {
      server.script({ kind: 'text', text: 'Hello from the scripted gateway.', chunkSize: 5 });
      const res = await post(server, chatRequest(true));
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/event-stream');
      const data = sseData(await res.text());
      expect(data.at(-1)).toBe('[DONE]');
      const chunks = data.slice(0, -1).map((d) => JSON.parse(d));
      const last = chunks.pop();
      expect(chunks.map((c) => c.choices[0].delta.content).join('')).toBe('Hello from the scripted gateway.');
      expect(chunks).toHaveLength(7);
      expect(chunks[0]).toMatchObject({
        id: 'chatcmpl-test-1',
        object: 'chat.completion.chunk',
        model: 'google/gemini-2.5-flash',
        choices: [{ index: 0, delta: { role: 'assistant', content: 'Hello' }, finish_reason: null }],
      });
      expect(chunks.slice(1).every((c) => !('role' in c.choices[0].delta))).toBe(true);
      expect(last).toMatchObject({ choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] });
      expect(last.usage.total_tokens).toBe(last.usage.prompt_tokens + last.usage.completion_tokens);
      expect(server.clientAborts).toBe(0);
    }));

  it('answers a non-streaming request with one chat.completion body', () =>
    withServer(async (server) => {
      server.script({ kind: 'text', text: 'Plain answer.' });
      const res = await post(server, chatRequest(false));
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('application/json');
      expect(await res.json()).toMatchObject({
        object: 'chat.completion',
        model: 'google/gemini-2.5-flash',
        choices: [{ index: 0, message: { role: 'assistant', content: 'Plain answer.' }, finish_reason: 'stop' }],
        usage: { prompt_tokens: expect.any(Number), completion_tokens: expect.any(Number) },
      });
    }));

  it('answers a status reply with its status, headers and an OpenAI-style error body', () =>
    withServer(async (server) => {
      server.script(
        { kind: 'status', status: 429, headers: { 'retry-after': '7' } },
        { kind: 'status', status: 400, body: { error: { message: 'bad model' } } },
      );
      const limited = await post(server, chatRequest(true));
      expect(limited.status).toBe(429);
      expect(limited.headers.get('retry-after')).toBe('7');
      expect(limited.headers.get('content-type')).toBe('application/json');
      expect(await limited.json()).toMatchObject({ error: { message: expect.any(String), type: expect.any(String) } });
      const bad = await post(server, chatRequest(true));
      expect(bad.status).toBe(400);
      expect(await bad.json()).toEqual({ error: { message: 'bad model' } });
    }));

  it('answers 500 "no scripted reply" once the queue is empty, or what respondWith says', () =>
    withServer(async (server) => {
      const unscripted = await post(server, chatRequest(false));
      expect(unscripted.status).toBe(500);
      expect(await unscripted.json()).toEqual({ error: { message: 'no scripted reply' } });
      server.respondWith((req) => ({ kind: 'text', text: `echo ${req.body.messages[1].content}` }));
      server.script({ kind: 'text', text: 'scripted first' });
      const content = async () => {
        const completion = (await (await post(server, chatRequest(false))).json()) as {
          choices: { message: { content: string } }[];
        };
        return completion.choices[0]!.message.content;
      };
      expect(await content()).toBe('scripted first');
      expect(await content()).toBe('echo p');
    }));

  it('cuts a broken reply off midway: the body read fails or ends without [DONE]', () =>
    withServer(async (server) => {
      server.script({ kind: 'broken', text: 'abcdefghijklmnopqrstuvwxyz0123456789' });
      const res = await post(server, chatRequest(true));
      expect(res.status).toBe(200);
      let body = '';
      let readError: unknown;
      try {
        body = await res.text();
      } catch (error) {
        readError = error;
      }
      if (readError === undefined) {
        expect(body).not.toContain('[DONE]');
        expect(body).not.toContain('"finish_reason":"stop"');
      } else {
        expect(readError).toBeInstanceOf(TypeError);
      }
      // The server cut the connection, not the client.
      expect(server.clientAborts).toBe(0);
    }));

  it('keeps a stalled reply open until the client aborts, and counts the abort', () =>
    withServer(async (server) => {
      server.script({ kind: 'stall', text: 'partial' });
      const controller = new AbortController();
      const res = await post(server, chatRequest(true), controller.signal);
      expect(res.status).toBe(200);
      const reader = res.body!.getReader();
      const first = await reader.read();
      expect(new TextDecoder().decode(first.value)).toContain('"content":"partial"');
      const next = reader.read();
      controller.abort();
      await expect(next).rejects.toThrow();
      expect(await waitForClientAborts(server, 1)).toBe(1);
    }));

  it('close() ends stalled and delayed replies at once', async () => {
    const server = await startOpenAiServer();
    server.script({ kind: 'stall' }, { kind: 'text', text: 'slow', delayMs: 60_000 });
    const stalled = await post(server, chatRequest(true));
    const delayed = await post(server, chatRequest(true));
    const started = Date.now();
    await server.close();
    expect(Date.now() - started).toBeLessThan(500);
    await expect(stalled.text()).rejects.toThrow();
    await expect(delayed.text()).rejects.toThrow();
    // Hang-ups caused by close() are not the client's.
    expect(server.clientAborts).toBe(0);
  });

  it('records every request with its path, headers and parsed body', () =>
    withServer(async (server) => {
      server.script({ kind: 'text', text: 'one' }, { kind: 'text', text: 'two' });
      await (await post(server, chatRequest(true))).text();
      await (await post(server, { ...chatRequest(false), temperature: 0.2 })).text();
      expect(server.requests).toHaveLength(2);
      expect(server.requests[0]).toMatchObject({
        path: '/v1/chat/completions',
        headers: { authorization: 'Bearer test-key' },
        body: chatRequest(true),
      });
      expect(server.requests[1]!.body).toEqual({ ...chatRequest(false), temperature: 0.2 });
    }));
});

describe('openai-server with the AI SDK', () => {
  function stream(
    server: OpenAiServer,
    options: { timeout?: { chunkMs?: number; firstChunkMs?: number }; abortSignal?: AbortSignal } = {},
  ) {
    const provider = createOpenAICompatible({ name: 'gateway', baseURL: server.baseUrl, apiKey: 'test-key' });
    const errors: unknown[] = [];
    const result = streamText({
      model: provider.chatModel('google/gemini-2.5-flash'),
      system: 's',
      prompt: 'p',
      maxRetries: 0,
      // Kept rather than logged (the default), so the test output stays clean.
      onError: ({ error }) => {
        errors.push(error);
      },
      ...options,
    });
    return { result, errors };
  }

  /** The fullStream parts, and what iterating it threw, if anything. */
  async function drain(fullStream: AsyncIterable<TextStreamPart<ToolSet>>) {
    const parts: TextStreamPart<ToolSet>[] = [];
    let thrown: unknown;
    try {
      for await (const part of fullStream) parts.push(part);
    } catch (error) {
      thrown = error;
    }
    const text = parts.map((part) => (part.type === 'text-delta' ? part.text : '')).join('');
    return { parts, thrown, text, types: parts.map((part) => part.type) };
  }

  it('streams the scripted text back through streamText', () =>
    withServer(async (server) => {
      server.script({ kind: 'text', text: 'The gateway says hello, in several chunks.' });
      const { result } = stream(server);
      const { text, thrown, types } = await drain(result.fullStream);
      expect(thrown).toBeUndefined();
      expect(text).toBe('The gateway says hello, in several chunks.');
      expect(types.at(-1)).toBe('finish');
      expect(await result.finishReason).toBe('stop');
      expect(server.requests).toHaveLength(1);
      const [request] = server.requests;
      expect(request!.path).toBe('/v1/chat/completions');
      expect(request!.headers.authorization).toBe('Bearer test-key');
      expect(request!.body).toMatchObject({
        model: 'google/gemini-2.5-flash',
        stream: true,
        messages: [
          { role: 'system', content: 's' },
          { role: 'user', content: 'p' },
        ],
      });
    }));

  it('429: an error part holding an APICallError with statusCode 429, and no throw', () =>
    withServer(async (server) => {
      server.script({ kind: 'status', status: 429, headers: { 'retry-after': '3' } });
      const { result, errors } = stream(server);
      const { parts, thrown, types } = await drain(result.fullStream);
      expect(thrown).toBeUndefined();
      expect(types).toEqual(['start', 'error']);
      const part = parts[1];
      if (part?.type !== 'error') throw new Error('expected an error part');
      expect(APICallError.isInstance(part.error)).toBe(true);
      const error = part.error as APICallError;
      expect(error.statusCode).toBe(429);
      expect(error.isRetryable).toBe(true);
      expect(error.responseHeaders?.['retry-after']).toBe('3');
      expect(error.data).toMatchObject({ error: { code: 'rate_limit_exceeded' } });
      expect(errors).toEqual([error]);
      await expect(result.text).rejects.toSatisfy(NoOutputGeneratedError.isInstance);
      expect(server.requests).toHaveLength(1);
    }));

  it('broken stream: the text so far, then fullStream throws APICallError "Failed to process successful response"', () =>
    withServer(async (server) => {
      server.script({ kind: 'broken', text: 'abcdefghijklmnopqrstuvwxyz0123456789' });
      const { result, errors } = stream(server);
      const { text, thrown, types } = await drain(result.fullStream);
      expect(text).toBe('abcdefghijklmnopqr');
      expect(types).not.toContain('error');
      expect(types).not.toContain('finish');
      expect(APICallError.isInstance(thrown)).toBe(true);
      const error = thrown as APICallError;
      expect(error.message).toBe('Failed to process successful response');
      expect(error.statusCode).toBe(200);
      expect(error.isRetryable).toBe(true);
      expect(error.cause).toBeInstanceOf(TypeError);
      expect((error.cause as TypeError).message).toBe('terminated');
      // Not an error part, so onError is not called either.
      expect(errors).toEqual([]);
      await expect(result.text).rejects.toBe(error);
    }));

  it('stall with timeout { chunkMs }: an abort part with a TimeoutError reason, and the gateway is hung up on', () =>
    withServer(async (server) => {
      server.script({ kind: 'stall', text: 'partial text' });
      const { result, errors } = stream(server, { timeout: { chunkMs: 200 } });
      const started = Date.now();
      const { parts, thrown, text, types } = await drain(result.fullStream);
      expect(Date.now() - started).toBeGreaterThanOrEqual(190);
      expect(thrown).toBeUndefined();
      expect(text).toBe('partial text');
      expect(types).not.toContain('error');
      expect(types).not.toContain('finish');
      expect(parts.at(-1)).toEqual({ type: 'abort', reason: 'TimeoutError: Chunk timeout of 200ms exceeded' });
      expect(errors).toEqual([]);
      await expect(result.text).rejects.toMatchObject({ name: 'TimeoutError' });
      expect(await waitForClientAborts(server, 1)).toBe(1);
    }));

  it('chunkMs does not cover a stall before the first chunk (firstChunkMs or a signal must)', () =>
    withServer(async (server) => {
      server.script({ kind: 'stall' });
      const { result } = stream(server, { timeout: { chunkMs: 100 }, abortSignal: AbortSignal.timeout(300) });
      const { parts, thrown } = await drain(result.fullStream);
      expect(thrown).toBeUndefined();
      expect(parts.at(-1)).toEqual({ type: 'abort', reason: 'TimeoutError: The operation was aborted due to timeout' });
      expect(await waitForClientAborts(server, 1)).toBe(1);
    }));
});
