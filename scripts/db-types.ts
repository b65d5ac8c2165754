// `npm run db:types`: regenerates src/db/generated/schema.ts after a migration is added.
// test/schema-types.pg.test.ts fails while the committed file is stale.
import { generateSchemaTypes, SCHEMA_TYPES_FILE } from './support/schema-types.ts';

await generateSchemaTypes(SCHEMA_TYPES_FILE);
console.log(`wrote ${SCHEMA_TYPES_FILE}`);
