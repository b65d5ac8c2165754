// Running a CMO agent: POST /functions/v1/cmo-kernel answers with server-sent events, read here as
// they arrive. `run` first (the run's id, agent, provider), then the text as OpenAI-shaped
// `data: {"choices":[{"delta":{"content":…}}]}` pieces, `repair` when a first answer did not fit,
// `result` (what was stored) or `error`, and `data: [DONE]`. Each event's data is the server's
// (src/contract/agent-stream.ts).
import type {
  AgentRepair,
  AgentRunError,
  AgentRunResult,
  AgentRunStarted,
  AgentTextDelta,
} from '../../../src/contract/agent-stream.ts';
import { send } from '../api/client.ts';

export interface StreamHandlers {
  onRun: (run: AgentRunStarted) => void;
  onText: (text: string) => void;
  onRepair: (problems: string) => void;
  onResult: (result: AgentRunResult) => void;
  onError: (message: string) => void;
}

interface Frame {
  event: string;
  data: string;
}

/** Splits the text received so far into whole frames and the unfinished rest. */
export function takeFrames(buffer: string): { frames: Frame[]; rest: string } {
  const parts = buffer.replace(/\r\n/g, '\n').split('\n\n');
  const rest = parts.pop() ?? '';
  const frames: Frame[] = [];
  for (const part of parts) {
    let event = 'message';
    const data: string[] = [];
    for (const line of part.split('\n')) {
      if (line === '' || line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon === -1 ? line : line.slice(0, colon);
      const value = colon === -1 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'event') event = value;
      else if (field === 'data') data.push(value);
    }
    if (data.length > 0) frames.push({ event, data: data.join('\n') });
  }
  return { frames, rest };
}

function parse(data: string): unknown {
  try {
    return JSON.parse(data);
  } catch {
    return undefined;
  }
}

/** Hands one frame to its handler; true once the stream says it is done. */
function dispatch(frame: Frame, on: StreamHandlers): boolean {
  if (frame.event === 'message' && frame.data === '[DONE]') return true;
  const value = parse(frame.data);
  switch (frame.event) {
    case 'run':
      if (value) on.onRun(value as AgentRunStarted);
      break;
    case 'repair':
      on.onRepair((value as AgentRepair | undefined)?.problems ?? frame.data);
      break;
    case 'result':
      if (value) on.onResult(value as AgentRunResult);
      break;
    case 'error':
      on.onError((value as AgentRunError | undefined)?.error ?? frame.data);
      break;
    default: {
      const text = (value as AgentTextDelta | undefined)?.choices?.[0]?.delta?.content;
      if (text) on.onText(text);
    }
  }
  return false;
}

/**
 * Runs the agent and feeds its events to `on` as they arrive. Rejects with ApiError when the
 * server refuses the request (422 with field errors, 402, 429, 500), and with an AbortError when
 * `signal` is aborted.
 */
export async function streamAgent(body: Record<string, unknown>, signal: AbortSignal, on: StreamHandlers) {
  const response = await send('/functions/v1/cmo-kernel', {
    method: 'POST',
    body,
    signal,
    headers: { accept: 'text/event-stream' },
  });
  if (!response.body) throw new Error('The server sent no stream.');
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  let done = false;
  try {
    while (!done) {
      const chunk = await reader.read();
      if (chunk.done) break;
      buffer += decoder.decode(chunk.value, { stream: true });
      const { frames, rest } = takeFrames(buffer);
      buffer = rest;
      for (const frame of frames) done = dispatch(frame, on) || done;
    }
    if (!done) {
      // A last frame without its blank line still counts.
      const { frames } = takeFrames(`${buffer}${decoder.decode()}\n\n`);
      for (const frame of frames) done = dispatch(frame, on) || done;
    }
  } finally {
    // Closes the connection whatever happened (done, aborted, or a handler threw).
    await reader.cancel().catch(() => {});
  }
  return { finished: done };
}
