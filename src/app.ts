import { randomUUID } from 'node:crypto';
import express, { type ErrorRequestHandler, type Express, type Request, type Response } from 'express';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import { Kind, type DocumentNode, type GraphQLSchema } from 'graphql';
import type { DataSource } from 'typeorm';
import type { Config } from './config';
import { createContext, type Context } from './context';
import { resolveCaller } from './core/auth/viewer';
import { ErrorCode, KrugError, databaseError, formatError, unauthenticated, unavailableHead } from './core/graphql/errors';
import { measureOperation } from './core/graphql/limits';
import { log, requestScope } from './core/logger';
import { dropReferenceRecords, keepReferenceRecords, referenceCacheOf } from './db/reference-cache';
import { createSchema } from './schema';
import { ideRouter } from './ide/ide';

/** Whether a document asks only for schema introspection, which is served without a token. */
function isIntrospectionOnly(document: DocumentNode): boolean {
  return document.definitions.every(
    (definition) =>
      definition.kind === Kind.FRAGMENT_DEFINITION ||
      (definition.kind === Kind.OPERATION_DEFINITION &&
        definition.operation === 'query' &&
        definition.selectionSet.selections.every((s) => s.kind === Kind.FIELD && s.name.value.startsWith('__'))),
  );
}

function limitsPlugin(config: Config): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      let cost: number | undefined;
      return {
        async didResolveOperation({ document, operation, schema, request, contextValue }) {
          if (!operation) return;
          const measure = measureOperation(schema, document, operation, request.variables ?? {});
          cost = measure.cost;
          const { maxDepth, maxCost, maxAliases } = config.limits;
          const tooComplex = (message: string) => new KrugError(ErrorCode.QUERY_TOO_COMPLEX, message, { cost: measure.cost, depth: measure.depth, aliases: measure.aliases });
          if (measure.depth > maxDepth) throw tooComplex(`The query is ${measure.depth} levels deep; at most ${maxDepth} are allowed.`);
          if (measure.aliases > maxAliases) throw tooComplex(`The query uses ${measure.aliases} aliases; at most ${maxAliases} are allowed.`);
          if (measure.cost > maxCost) throw tooComplex(`The query costs ${measure.cost}; at most ${maxCost} is allowed. Ask for smaller pages.`);
          // Only schema introspection may be served without a token (ACCESS.md).
          if (!contextValue.viewer && !isIntrospectionOnly(document)) throw unauthenticated();
        },
        async willSendResponse({ response, contextValue }) {
          // Audited reads are written before the response leaves: durable with the request, one INSERT.
          if (contextValue.audit.size) await contextValue.audit.flush(contextValue.db);
          if (response.body.kind === 'single' && cost !== undefined) {
            response.body.singleResult.extensions = { ...response.body.singleResult.extensions, cost };
          }
          // A busy pool or a stopped statement met while executing: 503 for the whole response, not 200.
          const unavailable = response.body.kind === 'single' ? unavailableHead(response.body.singleResult.errors) : null;
          if (unavailable) {
            response.http.status = unavailable.status;
            for (const [name, value] of unavailable.headers) response.http.headers.set(name, value);
          }
          const scope = requestScope.getStore();
          if (scope && config.exposeSqlCount) response.http.headers.set('x-sql-statements', String(scope.sqlStatements));
        },
      };
    },
  };
}

/** Media type of a GraphQL error response answered before Apollo: the one the client prefers (GraphQL over HTTP). */
function sendGraphQLError(req: Request, res: Response, status: number, message: string, code: string): void {
  const type = req.accepts(['application/graphql-response+json', 'application/json']) || 'application/json';
  res.status(status).type(`${type}; charset=utf-8`).send(JSON.stringify({ errors: [{ message, extensions: { code } }] }));
}

/** Errors of the body parser (`type` and `status` set by body-parser) and anything else that escaped a route. */
function errorHandler(config: Config): ErrorRequestHandler {
  return (error: unknown, req, res, next) => {
    if (res.headersSent) return next(error);
    const parserError = error as { type?: string; status?: number; message?: string };
    switch (parserError.type) {
      case 'entity.too.large':
        return sendGraphQLError(req, res, 400, `The request body is larger than ${config.limits.maxDocumentBytes * 5} bytes.`, ErrorCode.QUERY_TOO_COMPLEX);
      case 'entity.parse.failed':
        return sendGraphQLError(req, res, 400, 'The request body is not valid JSON.', 'BAD_REQUEST');
      case 'charset.unsupported':
      case 'encoding.unsupported':
        return sendGraphQLError(req, res, 415, 'The request body must be UTF-8 encoded JSON.', 'BAD_REQUEST');
      case 'request.aborted':
      case 'request.size.invalid':
      case 'stream.encoding.set':
        return sendGraphQLError(req, res, 400, 'The request body could not be read.', 'BAD_REQUEST');
    }
    log('error', 'unexpected HTTP error', { error: error instanceof Error ? error.message : String(error), stack: error instanceof Error ? error.stack : undefined });
    sendGraphQLError(req, res, 500, 'Internal server error. The request id in the logs identifies it.', ErrorCode.INTERNAL_SERVER_ERROR);
  };
}

/** Keeps reference records across requests while the server runs (src/db/reference-cache.ts): from start to stop. */
function referenceCachePlugin(config: Config, db: DataSource): ApolloServerPlugin<Context> {
  return {
    async serverWillStart() {
      if (!config.referenceCache) return;
      keepReferenceRecords(db, config.referenceCacheSize);
      return { serverWillStop: async () => dropReferenceRecords(db) };
    },
  };
}

/** Builds the HTTP application: GraphQL, the IDE, health and readiness. */
export async function createApp(options: { config: Config; db: DataSource; schema?: GraphQLSchema; ready?: () => Promise<boolean> }): Promise<{ app: Express; apollo: ApolloServer<Context> }> {
  const { config, db } = options;
  const schema = options.schema ?? (await createSchema());
  const apollo = new ApolloServer<Context>({
    schema,
    csrfPrevention: true,
    introspection: true,
    includeStacktraceInErrorResponses: false,
    formatError: (formatted, error) => formatError(formatted, error, config.pool),
    // No cache hints are set (answers depend on the caller), so the per-field cache-control bookkeeping is switched off.
    plugins: [ApolloServerPluginLandingPageDisabled(), ApolloServerPluginCacheControlDisabled(), limitsPlugin(config), referenceCachePlugin(config, db)],
  });
  await apollo.start();

  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', true);
  app.use((req, res, next) => {
    const incoming = req.get('x-request-id');
    const requestId = incoming && /^[\w.-]{1,100}$/.test(incoming) ? incoming : randomUUID();
    res.set('x-request-id', requestId);
    const started = process.hrtime.bigint();
    requestScope.run({ requestId, sqlStatements: 0 }, () => {
      res.on('finish', () => {
        const scope = requestScope.getStore();
        log('info', 'request', {
          method: req.method,
          path: req.originalUrl.split('?')[0],
          status: res.statusCode,
          ms: Number(process.hrtime.bigint() - started) / 1e6,
          sql: scope?.sqlStatements,
        });
      });
      next();
    });
  });
  if (config.corsOrigins.length) {
    app.use((req, res, next) => {
      const origin = req.get('origin');
      if (origin && config.corsOrigins.includes(origin)) {
        res.set('access-control-allow-origin', origin);
        res.set('vary', 'Origin');
        res.set('access-control-allow-headers', 'authorization, content-type, x-request-id, apollo-require-preflight');
        res.set('access-control-allow-methods', 'GET, POST, OPTIONS');
      }
      if (req.method === 'OPTIONS') {
        res.status(204).end();
        return;
      }
      next();
    });
  }
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    const ready = options.ready ? await options.ready().catch(() => false) : true;
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not ready' });
  });
  app.use(ideRouter());
  app.use(
    '/graphql',
    express.json({ limit: config.limits.maxDocumentBytes * 5 }),
    (req, res, next) => {
      const document = req.method === 'GET' ? req.query.query : (req.body as { query?: unknown } | undefined)?.query;
      if (typeof document === 'string' && Buffer.byteLength(document) > config.limits.maxDocumentBytes) {
        sendGraphQLError(req, res, 400, `The query document is larger than ${config.limits.maxDocumentBytes} bytes.`, ErrorCode.QUERY_TOO_COMPLEX);
        return;
      }
      next();
    },
    expressMiddleware(apollo, {
      context: async ({ req }) => {
        const requestId = requestScope.getStore()?.requestId ?? randomUUID();
        // A busy pool already shows here (the token's agency is read): answered 503 through the error's extensions.http.
        const { viewer, referenceVersion } = await resolveCaller(req.get('authorization'), config.jwt, db).catch((error: unknown) => {
          throw databaseError(error, config.pool) ?? error;
        });
        // A change of reference data committed before this request arrived empties the process's cache first.
        if (referenceVersion !== null) referenceCacheOf(db)?.observe(referenceVersion);
        return createContext({ requestId, viewer, db, config, referenceVersion });
      },
    }),
  );
  app.use(errorHandler(config));
  return { app, apollo };
}

