# The Vigil image: one Node.js 24 LTS image runs any role (`vigil start`, `prober`, `receiver`, the one-shot
# commands). Built in stages so the image holds only the compiled JavaScript and the production dependencies: the
# TypeScript compiler, the C++ toolchain better-sqlite3 may need, and the npm cache stay in the build stages.
#
#   docker build -t vigil .
#   docker run -p 9470:9470 -p 9471:9471 vigil            # vigil start --demo, on the shipped config/

# ---- build: compiles src/ to dist/ with every dependency (the TypeScript compiler is a dev dependency)
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build

# ---- deps: the production dependencies alone; a toolchain in case better-sqlite3 has no prebuilt binary here
FROM node:24-bookworm-slim AS deps
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3 make g++ \
  && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

# ---- runtime
FROM node:24-bookworm-slim AS runtime
ENV NODE_ENV=production \
    VIGIL_HEALTHCHECK_URL=http://127.0.0.1:9470/-/healthy
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
COPY config ./config
COPY schemas ./schemas
# The data directory (SQLite store) belongs to the unprivileged `node` user the image runs as.
RUN mkdir -p /var/lib/vigil && chown node:node /var/lib/vigil
USER node
VOLUME ["/var/lib/vigil"]
EXPOSE 9470 9471
# The role's own health endpoint: the prober's by default; a receiver-only container sets VIGIL_HEALTHCHECK_URL to
# http://127.0.0.1:9471/-/healthy.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch(process.env.VIGIL_HEALTHCHECK_URL).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
ENTRYPOINT ["node", "/app/dist/cli.js"]
CMD ["start", "--demo", "--config-dir", "/app/config", "--data-dir", "/var/lib/vigil"]
