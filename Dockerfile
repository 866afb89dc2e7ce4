# labpool: one server of the device pool.
# The build stage has the toolchain better-sqlite3 needs (no prebuilt binary for this Node/arch
# combination is assumed); the runtime stage only copies the result.
FROM node:20-bookworm-slim AS dependencies
RUN apt-get update \
    && apt-get install -y --no-install-recommends python3 make g++ \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
# tsx, the runtime loader, is a production dependency; the TypeScript compiler and test tools are not.
RUN npm ci --omit=dev && npm cache clean --force

FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    LABPOOL_HOST=0.0.0.0 \
    LABPOOL_PORT=8010 \
    LABPOOL_SQLITE_PATH=/app/data/labpool.db
WORKDIR /app
COPY --from=dependencies /app/node_modules ./node_modules
COPY package.json package-lock.json tsconfig.json ./
COPY src ./src
# The default SQLite store lives here; mount a volume on it to keep events across containers.
RUN mkdir -p /app/data && chown node:node /app/data
USER node
EXPOSE 8010
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
    CMD ["node", "-e", "fetch('http://127.0.0.1:' + process.env.LABPOOL_PORT + '/api/version/').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# Same as `npx tsx src/main.ts`, minus the npx and tsx parent processes, so docker stop's
# SIGTERM reaches labpool itself.
CMD ["node", "--max-semi-space-size=64", "--import", "tsx", "src/main.ts"]
