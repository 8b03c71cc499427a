import 'reflect-metadata';
import fs from 'node:fs';
import path from 'node:path';
import { createSchema, printKrugSchema, SCHEMA_FILE } from '../src/schema';

/** Regenerates schema/schema.graphql from the code. */
createSchema()
  .then((schema) => {
    // A fresh clone has no schema/ until the first schema is checked in.
    fs.mkdirSync(path.dirname(SCHEMA_FILE), { recursive: true });
    fs.writeFileSync(SCHEMA_FILE, printKrugSchema(schema));
    console.log(`Wrote ${SCHEMA_FILE}`);
  })
  .catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
