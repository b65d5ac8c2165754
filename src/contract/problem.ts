// A refusal as the API answers it: RFC 9457 problem details (application/problem+json), the
// document's `components.schemas.Problem`, with the offending fields of invalid input. The server
// builds every problem as this (src/server/problem.ts); the dashboard reads the fields from it.
import { z } from 'zod';

export const fieldError = z.object({
  field: z.string(),
  in: z.enum(['body', 'query', 'path', 'header']).optional(),
  message: z.string(),
});

export const problemRecord = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  detail: z.string(),
  instance: z.string().optional(),
  errors: z.array(fieldError).optional(),
});

/** One offending field of a request: its path (e.g. `rows.3.spend`, or `body` as a whole) and where it is. */
export type FieldError = z.infer<typeof fieldError>;
/** A problem's standard members and its field errors; a problem may carry extension members beside them. */
export type ProblemRecord = z.infer<typeof problemRecord>;
