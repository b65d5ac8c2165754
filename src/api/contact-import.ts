// The bulk import's bodies as the OpenAPI document shows them: JSON rows, or CSV text. The rows
// are read and validated one by one in src/domain/contact-import.ts.
import { z } from 'zod';
import { MAX_IMPORT_ROWS } from '../domain/contact-import.ts';
import { attributeKey, CONTACT_TEXT_COLUMNS, contactFields } from '../domain/contacts.ts';

/** The row as the OpenAPI document shows it (attributes without the recursive JSON type). */
const contactRowDocument = z
  .strictObject({ ...contactFields, attributes: z.record(attributeKey, z.unknown()).optional() })
  .describe('A contact: email or phone is required');

const { $schema: _, ...rowJsonSchema } = z.toJSONSchema(contactRowDocument, { target: 'draft-2020-12', io: 'input' });

export const importJsonBody = z.strictObject({
  contacts: z.array(z.unknown()).min(1).max(MAX_IMPORT_ROWS).meta({
    description: 'The rows; each is validated on its own (see on_error)',
    items: rowJsonSchema,
  }),
});

export const importCsvBody = z
  .string()
  .describe(
    `CSV with a header row. Columns ${CONTACT_TEXT_COLUMNS.join(', ')}; any other column is stored in attributes. ` +
      `At most ${MAX_IMPORT_ROWS} data rows.`,
  );
