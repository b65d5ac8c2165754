// Turning a request's parts into validated values: a zod failure becomes a problem naming each
// offending field (422, or 404 for a path id that cannot name anything), malformed JSON a 400.
// Nothing is done with a request that fails here.
import type { z } from 'zod';
import type { FieldError } from '../contract/problem.ts';
import { invalid, ProblemError } from '../server/problem.ts';

export type Location = 'body' | 'query' | 'path';

export function fieldErrors(error: z.ZodError, location: Location): FieldError[] {
  return error.issues.flatMap((issue) => {
    // An unknown field is named itself, not its parent object.
    const paths = issue.code === 'unrecognized_keys' ? issue.keys.map((key) => [...issue.path, key]) : [issue.path];
    return paths.map((path) => ({
      field: path.join('.') || location,
      in: location,
      message: issue.code === 'unrecognized_keys' ? 'is not a field of this request' : issue.message,
    }));
  });
}

export function validate<Schema extends z.ZodType>(
  schema: Schema,
  value: unknown,
  location: Location,
): z.output<Schema> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  throw invalid(fieldErrors(parsed.error, location), location === 'path' ? 404 : 422);
}

/** JSON text to a value; an empty body is `undefined` (so an optional body may be left out). */
export function parseJsonText(text: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ProblemError(400, `the body is not valid JSON: ${(error as Error).message}`, {
      errors: [{ field: 'body', in: 'body', message: 'malformed JSON' }],
    });
  }
}

/** Query parameters as an object; a repeated parameter becomes an array. */
export function queryObject(url: string): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [key, value] of new URL(url).searchParams) {
    const seen = out[key];
    out[key] = seen === undefined ? value : Array.isArray(seen) ? [...seen, value] : [seen, value];
  }
  return out;
}
