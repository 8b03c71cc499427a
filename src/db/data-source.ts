import path from 'node:path';
import { DataSource, type DataSourceOptions } from 'typeorm';
import { types } from 'pg';
import { CountingSqlLogger } from './sql-logger';

// A DATE is a calendar day, not an instant: keep it as 'YYYY-MM-DD' instead of a Date at local midnight.
types.setTypeParser(1082, (value: string) => value);

const root = path.resolve(__dirname, '..', '..');
const extension = __filename.endsWith('.ts') ? 'ts' : 'js';

/** TypeORM options for a database URL: entities and migrations found by file name, never synchronize. */
export function dataSourceOptions(url: string): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities: [path.join(root, 'src', 'modules', '**', `*.entity.${extension}`), path.join(root, 'src', 'core', '**', `*.entity.${extension}`)],
    migrations: [path.join(root, 'migrations', `*.${extension}`)],
    migrationsTableName: 'migrations',
    synchronize: false,
    migrationsRun: false,
    logging: true,
    logger: new CountingSqlLogger(),
    maxQueryExecutionTime: 1000,
    extra: { max: Number(process.env.DATABASE_POOL_SIZE ?? 10), application_name: 'krug' },
  };
}

export function createDataSource(url: string): DataSource {
  return new DataSource(dataSourceOptions(url));
}
