import 'reflect-metadata';
import fs from 'node:fs';
import { createSchema, printKrugSchema, SCHEMA_FILE } from '../src/schema';

/** Regenerates schema/schema.graphql from the code. */
createSchema()
  .then((schema) => {
    fs.writeFileSync(SCHEMA_FILE, printKrugSchema(schema));
    console.log(`Wrote ${SCHEMA_FILE}`);
  })
  .catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
