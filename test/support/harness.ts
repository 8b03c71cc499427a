import 'reflect-metadata';
import request from 'supertest';
import type { Express } from 'express';
import type { DataSource } from 'typeorm';
import { loadConfig, type Config } from '../../src/config';
import { createApp } from '../../src/app';
import { createDataSource } from '../../src/db/data-source';
import { isReady, migrate } from '../../src/db/database';
import { AgencyKind, Role } from '../../src/core/auth/roles';
import { signDevelopmentToken } from '../../src/core/auth/token';
import { setLogLevel, sqlCounter } from '../../src/core/logger';
import { AgencyEntity, RegionEntity, StaffMemberEntity } from '../../src/modules/agencies/agency.entity';
import { testDatabaseUrl } from './database';
import { referenceCacheOf } from '../../src/db/reference-cache';

export interface Harness {
  app: Express;
  db: DataSource;
  config: Config;
  close(): Promise<void>;
}

let shared: Promise<Harness> | undefined;

/** The app under test, once per test file: real PostgreSQL, migrations applied, the real HTTP stack. */
export function harness(overrides: NodeJS.ProcessEnv = {}): Promise<Harness> {
  if (Object.keys(overrides).length === 0 && shared) return shared;
  const created = (async () => {
    const config = loadConfig({ ...process.env, NODE_ENV: 'test', SEED_DEMO: 'false', ...overrides });
    setLogLevel(config.logLevel);
    const db = createDataSource(await testDatabaseUrl(), config.pool);
    await db.initialize();
    await migrate(db);
    await ensureRegions(db);
    const { app, apollo } = await createApp({ config, db, ready: () => isReady(db) });
    return {
      app,
      db,
      config,
      close: async () => {
        await apollo.stop();
        await db.destroy();
      },
    };
  })();
  if (Object.keys(overrides).length === 0) shared = created;
  return created;
}

async function ensureRegions(db: DataSource): Promise<void> {
  await db
    .createQueryBuilder()
    .insert()
    .into(RegionEntity)
    .values([
      { code: '10', name: 'Республика Карелия' },
      { code: '23', name: 'Краснодарский край' },
      { code: '51', name: 'Мурманская область' },
      { code: '54', name: 'Новосибирская область' },
      { code: '63', name: 'Самарская область' },
    ])
    .orIgnore()
    .execute();
}

let sequence = 0;
/** A name no other test uses. */
export function unique(prefix: string): string {
  sequence += 1;
  return `${prefix} ${process.pid}-${Date.now().toString(36)}-${sequence}`;
}

/** Creates an agency of a kind in a region. */
export async function createAgency(db: DataSource, kind: AgencyKind, regionCode = '54', name = unique(`Агентство ${kind}`)): Promise<AgencyEntity> {
  const repository = db.getRepository(AgencyEntity);
  return repository.save(repository.create({ name, kind, regionCode }));
}

/** Creates a staff member of an agency. */
export async function createStaff(db: DataSource, agencyId: string, roles: Role[] = [Role.SPECIALIST], fullName = unique('Сотрудник')): Promise<StaffMemberEntity> {
  const repository = db.getRepository(StaffMemberEntity);
  return repository.save(repository.create({ agencyId, fullName, position: 'специалист', roles }));
}

/** A caller: an agency of a kind, a staff member in it with roles, and a signed token. */
export interface Caller {
  agency: AgencyEntity;
  staff: StaffMemberEntity;
  roles: Role[];
  token: string;
}

export async function createCaller(h: Harness, options: { roles: Role[]; kind?: AgencyKind; region?: string; regions?: string[]; agency?: AgencyEntity }): Promise<Caller> {
  const agency = options.agency ?? (await createAgency(h.db, options.kind ?? AgencyKind.SOCIAL_PROTECTION, options.region ?? '54'));
  const staff = await createStaff(h.db, agency.id, options.roles);
  const token = signDevelopmentToken({ sub: staff.id, agencyId: agency.id, roles: options.roles, regions: options.regions }, h.config.jwt.secret!);
  return { agency, staff, roles: options.roles, token };
}

export interface GraphQLResponse<T = Record<string, any>> {
  status: number;
  data: T | null | undefined;
  errors: Array<{ message: string; path?: Array<string | number>; extensions: Record<string, any> }> | undefined;
  extensions: Record<string, any> | undefined;
  sqlStatements: number;
}

/**
 * Empties the server's reference cache (src/db/reference-cache.ts), so that the next request reads agencies, staff members
 * and service types from the database: what a statement count measures is the worst case, a cold cache.
 */
export function coldReferenceCache(h: Harness): void {
  referenceCacheOf(h.db)?.clear();
}

/** Runs an operation over HTTP as a caller (or with a raw token, or anonymously). */
export async function gql<T = Record<string, any>>(h: Harness, queryText: string, variables: Record<string, unknown> = {}, as?: Caller | string | null): Promise<GraphQLResponse<T>> {
  const token = typeof as === 'string' ? as : as?.token;
  let call = request(h.app).post('/graphql').set('content-type', 'application/json').set('accept', 'application/graphql-response+json, application/json');
  if (token) call = call.set('authorization', `Bearer ${token}`);
  const before = sqlCounter.total;
  const response = await call.send({ query: queryText, variables });
  const sqlStatements = sqlCounter.total - before;
  return { status: response.status, data: response.body.data, errors: response.body.errors, extensions: response.body.extensions, sqlStatements };
}

/** The codes of a response's errors. */
export const codes = (response: GraphQLResponse): string[] => (response.errors ?? []).map((e) => e.extensions?.code);
