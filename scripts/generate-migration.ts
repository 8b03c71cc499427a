import 'reflect-metadata';
import fs from 'node:fs';
import path from 'node:path';
import { startEmbeddedPostgres } from '../src/db/embedded';
import { createDataSource } from '../src/db/data-source';

/**
 * Writes a migration with the SQL that brings a database migrated so far in line with the entities
 * (like `typeorm migration:generate`, on a throwaway embedded PostgreSQL). Usage: npm run migration:generate -- Name
 */
async function main(): Promise<void> {
  const name = process.argv[2];
  if (!name || !/^[A-Z][A-Za-z0-9]+$/.test(name)) throw new Error('Usage: generate-migration <PascalCaseName>');
  const embedded = await startEmbeddedPostgres({ dataDir: path.resolve('.data/migration-gen'), persistent: false });
  const dataSource = createDataSource(embedded.url);
  try {
    await dataSource.initialize();
    await dataSource.runMigrations();
    const log = await dataSource.driver.createSchemaBuilder().log();
    if (log.upQueries.length === 0) {
      console.log('Entities and migrations agree: nothing to generate.');
      return;
    }
    // TypeORM emits CREATE TYPE once per column that uses a shared enum; a type is created (and dropped) once.
    const once = (queries: typeof log.upQueries) => {
      const seen = new Set<string>();
      return queries.filter((q) => {
        const type = /^(CREATE|DROP) TYPE ("[^"]+"\."[^"]+")/.exec(q.query)?.[2];
        if (!type) return true;
        if (seen.has(type)) return false;
        seen.add(type);
        return true;
      });
    };
    log.upQueries = once(log.upQueries);
    log.downQueries = [...once([...log.downQueries].reverse())].reverse();
    const timestamp = Date.now();
    const quote = (q: string) => '`' + q.replace(/\\/g, '\\\\').replace(/`/g, '\\`').replace(/\$\{/g, '\\${') + '`';
    const up = log.upQueries.map((q) => `    await queryRunner.query(${quote(q.query)}${q.parameters?.length ? `, ${JSON.stringify(q.parameters)}` : ''});`).join('\n');
    const down = [...log.downQueries].reverse().map((q) => `    await queryRunner.query(${quote(q.query)}${q.parameters?.length ? `, ${JSON.stringify(q.parameters)}` : ''});`).join('\n');
    const file = path.resolve('migrations', `${timestamp}-${name}.ts`);
    fs.writeFileSync(
      file,
      `import type { MigrationInterface, QueryRunner } from 'typeorm';\n\nexport class ${name}${timestamp} implements MigrationInterface {\n  name = '${name}${timestamp}';\n\n  public async up(queryRunner: QueryRunner): Promise<void> {\n${up}\n  }\n\n  public async down(queryRunner: QueryRunner): Promise<void> {\n${down}\n  }\n}\n`,
    );
    console.log(`Wrote ${path.relative(process.cwd(), file)} (${log.upQueries.length} statements).`);
  } finally {
    if (dataSource.isInitialized) await dataSource.destroy();
    await embedded.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
