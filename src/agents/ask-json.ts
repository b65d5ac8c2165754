// One structured answer from the gateway: stream the model's text, parse it against the schema
// (and any check that needs the request or the data), and when it does not fit, ask once more with
// the answer and its problems (the repair turn). A second miss is an InvalidAnswerError.
// Used by the agents (run-agent.ts) and the CMO loop's content rewriter (content-optimizer.ts).
import type { z } from 'zod';
import type { TextStreamModel } from './gateway-model.ts';
import { parseAnswer } from './parse-answer.ts';
import { type ChatMessage, repairMessages } from './prompts.ts';

/** The model's answer did not fit the schema, even after the repair turn. */
export class InvalidAnswerError extends Error {
  override name = 'InvalidAnswerError';
}

export type AnswerEvent = { type: 'delta'; text: string } | { type: 'repair'; problems: string };

export async function* askForJson<S extends z.ZodType>(
  model: TextStreamModel,
  messages: ChatMessage[],
  schema: S,
  check: (value: z.output<S>) => string[],
  signal: AbortSignal,
): AsyncGenerator<AnswerEvent, z.output<S>, undefined> {
  let answer = '';
  for await (const text of model.stream(messages, signal)) {
    answer += text;
    yield { type: 'delta', text };
  }
  const first = parseAnswer(answer, schema, check);
  if (first.ok) return first.value;
  yield { type: 'repair', problems: first.problems };
  let repaired = '';
  for await (const text of model.stream(repairMessages(messages, answer, first.problems), signal)) {
    repaired += text;
    yield { type: 'delta', text };
  }
  const second = parseAnswer(repaired, schema, check);
  if (second.ok) return second.value;
  throw new InvalidAnswerError(`the answer did not fit the schema after one repair:\n${second.problems}`);
}

/** askForJson without the stream, for callers that only want the value. */
export async function answerAsJson<S extends z.ZodType>(
  ...args: Parameters<typeof askForJson<S>>
): Promise<z.output<S>> {
  const answer = askForJson(...args);
  for (;;) {
    const next = await answer.next();
    if (next.done) return next.value;
  }
}
