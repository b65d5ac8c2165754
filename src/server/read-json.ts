// Reads and validates a JSON request body: malformed JSON is a 400, a body that breaks the
// schema a 422 naming each offending field. Nothing is done with a body that fails either.
import type { Context } from 'hono';
import type { z } from 'zod';
import { ProblemError } from './problem.ts';

export async function readJson<Schema extends z.ZodType>(c: Context, schema: Schema): Promise<z.output<Schema>> {
  const text = await c.req.text();
  let value: unknown;
  try {
    value = text === '' ? undefined : JSON.parse(text);
  } catch (error) {
    throw new ProblemError(400, `the body is not valid JSON: ${(error as Error).message}`);
  }
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const errors = parsed.error.issues.map((issue) => ({
    field: issue.path.join('.') || 'body',
    message: issue.message,
  }));
  throw new ProblemError(422, `invalid body: ${errors.map((e) => `${e.field}: ${e.message}`).join('; ')}`, {
    errors,
  });
}
