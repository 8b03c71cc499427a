import { createDataSource } from './src/db/data-source';

/** The data source for the TypeORM CLI (`npx typeorm -d dist/ormconfig.js migration:show`). */
export default createDataSource(process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/krug');
