import request from 'supertest';
import { harness, gql, createCaller, codes, type Caller, type Harness } from './support/harness';
import { Role } from '../src/core/auth/roles';
import { setLogLevel } from '../src/core/logger';
import { CountingSqlLogger } from '../src/db/sql-logger';

let h: Harness;
let caller: Caller;
beforeAll(async () => {
  h = await harness();
  caller = await createCaller(h, { roles: [Role.COORDINATOR] });
});
afterAll(() => h.close());

/** What a masked body must never contain: SQL, stack frames, driver or file details. */
function expectNothingLeaks(body: unknown): void {
  const text = JSON.stringify(body);
  expect(text).not.toMatch(/SELECT|FROM\s|does not exist|relation|QueryFailedError|\bat .+:\d+:\d+|\.ts\b|\.js\b|stacktrace|exception/i);
}

/** Captures the JSON log lines written while `run` runs (the logger writes errors to stderr). */
async function captureLog<T>(run: () => Promise<T>): Promise<{ result: T; lines: Array<Record<string, unknown>> }> {
  const lines: Array<Record<string, unknown>> = [];
  const write = process.stderr.write.bind(process.stderr);
  setLogLevel('error');
  process.stderr.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
    const text = chunk.toString();
    for (const line of text.split('\n').filter(Boolean)) {
      try {
        lines.push(JSON.parse(line));
      } catch {
        write(line + '\n');
      }
    }
    return true;
  }) as typeof process.stderr.write;
  try {
    return { result: await run(), lines };
  } finally {
    process.stderr.write = write;
    setLogLevel(h.config.logLevel);
  }
}

describe('unexpected errors are masked', () => {
  test('a failing SQL statement reaches the client as INTERNAL_SERVER_ERROR without SQL or stack; the log has the detail and the request id', async () => {
    const { result: response, lines } = await captureLog(async () => {
      // A real failure of the database under a real resolver: the table is away for one request.
      await h.db.query('ALTER TABLE region RENAME TO region_away');
      try {
        return await request(h.app)
          .post('/graphql')
          .set('content-type', 'application/json')
          .set('accept', 'application/graphql-response+json')
          .set('authorization', `Bearer ${caller.token}`)
          .set('x-request-id', 'errors-test-request-1')
          .send({ query: '{ regions { code name } }' });
      } finally {
        await h.db.query('ALTER TABLE region_away RENAME TO region');
      }
    });
    expect(response.body.errors).toEqual([
      { message: 'Internal server error. The request id in the logs identifies it.', path: ['regions'], extensions: { code: 'INTERNAL_SERVER_ERROR' } },
    ]);
    expect(response.body.data).toBeNull();
    expectNothingLeaks(response.body);
    expect(response.headers['x-request-id']).toBe('errors-test-request-1');
    const logged = lines.find((l) => l.message === 'unexpected error');
    expect(logged).toBeDefined();
    expect(logged!.requestId).toBe('errors-test-request-1');
    expect(String(logged!.error)).toMatch(/region/);
  });

  test('a failure while resolving the caller (database gone) is masked too', async () => {
    const broken = await harness({ JWT_ISSUER: '', LOG_LEVEL: 'silent' });
    await broken.db.destroy();
    try {
      const response = await request(broken.app)
        .post('/graphql')
        .set('content-type', 'application/json')
        .set('accept', 'application/graphql-response+json')
        .set('authorization', `Bearer ${caller.token}`)
        .send({ query: '{ regions { code } }' });
      expect(response.status).toBe(500);
      expect(response.body.errors.map((e: { extensions: { code: string } }) => e.extensions.code)).toEqual(['INTERNAL_SERVER_ERROR']);
      expect(response.body.errors[0].message).toBe('Internal server error. The request id in the logs identifies it.');
      expectNothingLeaks(response.body);
    } finally {
      await broken.close().catch(() => undefined);
    }
  });

  test('a request id that is not a plain token is replaced, not echoed', async () => {
    const response = await request(h.app).get('/healthz').set('x-request-id', '<script>alert(1)</script>');
    expect(response.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('variables of the wrong type', () => {
  const SECRET = 'secret-value-7731';

  test('a scalar of the wrong type is BAD_USER_INPUT naming the variable, without the value', async () => {
    const response = await gql(h, 'query($n: Int) { agencies(first: $n) { totalCount } }', { n: SECRET }, caller);
    expect(response.status).toBe(400);
    expect(codes(response)).toEqual(['BAD_USER_INPUT']);
    expect(response.errors![0].message).toContain('$n');
    expect(response.errors![0].extensions.fields).toEqual([{ field: 'n', message: 'has the wrong type or format' }]);
    expect(JSON.stringify(response.errors)).not.toContain(SECRET);
    expect(response.data ?? null).toBeNull();
  });

  test('a bad enum value inside an input object names the input field path', async () => {
    const response = await gql(h, 'query($f: AgencyFilter) { agencies(filter: $f) { totalCount } }', { f: { kind: SECRET } }, caller);
    expect(codes(response)).toEqual(['BAD_USER_INPUT']);
    expect(response.errors![0].extensions.fields).toEqual([{ field: 'f.kind', message: 'has the wrong type or format' }]);
    expect(JSON.stringify(response.errors)).not.toContain(SECRET);
  });

  test('an unknown input field names that field', async () => {
    const response = await gql(h, 'query($f: AgencyFilter) { agencies(filter: $f) { totalCount } }', { f: { [SECRET]: 1 } }, caller);
    expect(codes(response)).toEqual(['BAD_USER_INPUT']);
    expect(response.errors![0].extensions.fields[0].message).toBe('is not a known field');
    expect(response.errors![0].extensions.fields[0].field).toMatch(/^f\b/);
  });

  test('null for a required argument that has a default (found only at execution) is BAD_USER_INPUT naming it, not an internal error', async () => {
    const admin = await createCaller(h, { roles: [Role.ADMIN] });
    const response = await gql(h, 'query($g: [MetricDimension!]) { outcomeMetrics(filter: { regions: ["54"] }, groupBy: $g) { groupBy } }', { g: null }, admin);
    expect(codes(response)).toEqual(['BAD_USER_INPUT']);
    expect(response.errors![0].extensions.fields).toEqual([{ field: 'groupBy', message: 'is required and must not be null' }]);
    expect(response.errors![0].path).toEqual(['outcomeMetrics']);
  });

  test('a missing required variable says it is required', async () => {
    const response = await gql(h, 'query($id: ID!) { agency(id: $id) { name } }', {}, caller);
    expect(codes(response)).toEqual(['BAD_USER_INPUT']);
    expect(response.errors![0].extensions.fields).toEqual([{ field: 'id', message: 'is required' }]);
  });
});

describe('class-validator rules name the input field and never echo the value', () => {
  test('agencies(filter: { region: "abc" }) names filter.region', async () => {
    const response = await gql(h, '{ agencies(filter: { region: "abc" }) { totalCount } }', {}, caller);
    expect(codes(response)).toEqual(['BAD_USER_INPUT']);
    expect(response.errors![0].extensions.fields).toEqual([{ field: 'filter.region', message: 'must be a two-digit region code' }]);
    expect(response.errors![0].message).toContain('filter.region');
    expect(JSON.stringify(response.errors)).not.toContain('abc');
    expect(response.data ?? null).toBeNull();
  });

  test('the same rule through a variable names the argument path, not the variable', async () => {
    const response = await gql(h, 'query($f: AgencyFilter) { agencies(filter: $f) { totalCount } }', { f: { region: 'zz-secret-9' } }, caller);
    expect(response.errors![0].extensions.fields).toEqual([{ field: 'filter.region', message: 'must be a two-digit region code' }]);
    expect(JSON.stringify(response.errors)).not.toContain('zz-secret-9');
  });

  test('every violation is listed', async () => {
    const long = 'я'.repeat(101);
    const response = await gql(h, 'query($f: AgencyFilter) { agencies(filter: $f) { totalCount } }', { f: { region: '1', search: long } }, caller);
    const fields = response.errors![0].extensions.fields as Array<{ field: string; message: string }>;
    expect(fields.map((f) => f.field).sort()).toEqual(['filter.region', 'filter.search']);
    expect(JSON.stringify(response.errors)).not.toContain(long);
  });
});

describe('document errors', () => {
  test('an unknown field is a validation error with no data', async () => {
    const response = await gql(h, '{ regions { nope } }', {}, caller);
    expect(response.status).toBe(400);
    expect(codes(response)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    expect(response.data).toBeUndefined();
  });

  test('a syntax error is a parse error', async () => {
    const response = await gql(h, '{ regions { code }', {}, caller);
    expect(response.status).toBe(400);
    expect(codes(response)).toEqual(['GRAPHQL_PARSE_FAILED']);
  });

  test('a body that is not JSON is a 400 with a GraphQL error, not an HTML page with a stack', async () => {
    const response = await request(h.app).post('/graphql').set('content-type', 'application/json').set('accept', 'application/json').send('{"query": ');
    expect(response.status).toBe(400);
    expect(response.type).toBe('application/json');
    expect(response.body.errors[0].extensions.code).toBe('BAD_REQUEST');
    expectNothingLeaks(response.body);
  });
});

describe('statement logging', () => {
  test('LOG_LEVEL=debug logs each statement as one line of its text; at info nothing is written and the text is not reformatted', async () => {
    const logger = new CountingSqlLogger();
    const lines: string[] = [];
    const write = process.stdout.write.bind(process.stdout);
    process.stdout.write = ((chunk: string | Uint8Array) => {
      lines.push(String(chunk));
      return true;
    }) as typeof process.stdout.write;
    let read = 0;
    // A text that counts its reads: at info its whitespace must not be collapsed (that is the work skipped).
    const text = { replace: (...args: Parameters<string['replace']>) => ((read += 1), 'SELECT  1\n  FROM x'.replace(...args)) } as unknown as string;
    try {
      setLogLevel('info');
      logger.logQuery(text);
      expect(read).toBe(0);
      setLogLevel('debug');
      logger.logQuery('SELECT  1\n   FROM x');
    } finally {
      process.stdout.write = write;
      setLogLevel(h.config.logLevel);
    }
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0])).toMatchObject({ level: 'debug', message: 'sql', query: 'SELECT 1 FROM x' });
  });
});
