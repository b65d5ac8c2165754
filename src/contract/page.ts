// A cursor page, as every list answers: the rows after the cursor and the cursor to the next page
// (src/api/pagination.ts makes them).
import { z } from 'zod';

/** The schema of a page of `row`s; next_cursor is null on the last page. */
export const pageSchema = <Row extends z.ZodType>(row: Row) =>
  z.object({ data: z.array(row), next_cursor: z.string().nullable() });

/** A page of rows of type Row: what `pageSchema` of a Row schema answers. */
export type Page<Row> = z.infer<ReturnType<typeof pageSchema<z.ZodType<Row>>>>;
