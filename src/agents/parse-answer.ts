// Turns a model's text into the agent's typed output, or into a list of problems precise enough
// for the model to fix in one repair turn (field paths and messages, as zod reports them).
import type { z } from 'zod';

export type ParsedAnswer<T> = { ok: true; value: T } | { ok: false; problems: string };

const MAX_PROBLEMS = 20;

/**
 * Models often wrap JSON in a Markdown fence or add a sentence around it despite the prompt;
 * the object itself is what counts, so the text from the first `{` to the last `}` is parsed.
 */
function jsonText(answer: string): string | undefined {
  const start = answer.indexOf('{');
  const end = answer.lastIndexOf('}');
  return start >= 0 && end > start ? answer.slice(start, end + 1) : undefined;
}

export function parseAnswer<S extends z.ZodType>(
  answer: string,
  schema: S,
  check: (value: z.output<S>) => string[],
): ParsedAnswer<z.output<S>> {
  const text = jsonText(answer);
  if (text === undefined) return { ok: false, problems: '- the answer holds no JSON object' };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { ok: false, problems: `- the answer is not valid JSON: ${(error as Error).message}` };
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const lines = parsed.error.issues
      .slice(0, MAX_PROBLEMS)
      .map((issue) => `- ${issue.path.length ? issue.path.join('.') : '(root)'}: ${issue.message}`);
    return { ok: false, problems: lines.join('\n') };
  }
  const problems = check(parsed.data);
  if (problems.length > 0) return { ok: false, problems: problems.map((p) => `- ${p}`).join('\n') };
  return { ok: true, value: parsed.data };
}
