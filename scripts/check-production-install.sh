#!/usr/bin/env bash
# Checks that a production install works: in a scratch clone of the committed branch,
# `npm ci && npm run build && npm prune --omit=dev`, then `npm run migration:run`, `npm start` and
# `npm run start:worker` against a private database and queue prefix; the API must answer
# /health/live and /health/ready and the worker must start. Everything is removed afterwards.
# CI runs it after `npm test` (.ci/run). Needs PostgreSQL and Redis as for the tests.
set -euo pipefail

repo="$(cd "$(dirname "$0")/.." && pwd)"
branch="$(git -C "$repo" rev-parse --abbrev-ref HEAD)"
scratch="$(mktemp -d)"
name="prodcheck_$(date +%s)_$$"
server="${TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
pids=()

sql() { # runs one statement on the maintenance database, with the pg client the install ships
  (cd "$scratch/app" && node -e "const { Client } = require('pg'); const c = new Client({ connectionString: process.argv[1] });
    c.connect().then(() => c.query(process.argv[2])).finally(() => c.end());" "$server" "$1")
}
cleanup() {
  # Each service runs in its own process group (npm, its shell, node): stop them all, and wait.
  for pid in "${pids[@]}"; do kill -TERM -- "-$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do
    for _ in $(seq 1 100); do kill -0 -- "-$pid" 2>/dev/null || break; sleep 0.2; done
  done
  if [ -d "$scratch/app/node_modules/pg" ]; then sql "DROP DATABASE IF EXISTS \"$name\" WITH (FORCE)" || true; fi
  redis-cli -u "${TEST_REDIS_URL:-redis://127.0.0.1:6379}" --scan --pattern "$name:*" | xargs -r redis-cli -u "${TEST_REDIS_URL:-redis://127.0.0.1:6379}" del >/dev/null || true
  rm -rf "$scratch"
}
trap cleanup EXIT

echo "• Cloning $branch into $scratch"
git clone -q --branch "$branch" "$repo" "$scratch/app"
cd "$scratch/app"
echo "• npm ci, build, prune"
npm ci --no-audit --no-fund --loglevel=error
npm run build --silent
npm prune --omit=dev --no-audit --no-fund --loglevel=error
if [ -e node_modules/@swc/cli ] || [ -e node_modules/jest ]; then echo "devDependencies are still installed" >&2; exit 1; fi

sql "CREATE DATABASE \"$name\""
port="$(node -e "const s = require('net').createServer().listen(0, '127.0.0.1', () => { console.log(s.address().port); s.close(); })")"
export NODE_ENV=production PORT="$port" HOST=127.0.0.1 METRICS_PORT=0 QUEUE_PREFIX="$name" LOG_LEVEL=info
export DATABASE_URL="${server%/*}/$name" REDIS_URL="${TEST_REDIS_URL:-redis://127.0.0.1:6379}"
# Production verifies tokens against the identity provider's JWKS only (fetched when a token arrives).
export AUTH_JWKS_URL=https://idp.invalid/jwks
SECRETS_KEY="$(node -p "require('crypto').randomBytes(32).toString('base64')")"
export SECRETS_KEY

echo "• Migrating $name, starting the API on port $port and a worker"
npm run migration:run --silent
setsid npm start --silent >api.log 2>&1 &
pids+=($!)
setsid npm run start:worker --silent >worker.log 2>&1 &
pids+=($!)

for _ in $(seq 1 120); do
  live="$(node -e "fetch('http://127.0.0.1:$port/health/live').then((r) => console.log(r.status), () => console.log(0))")"
  [ "$live" = 200 ] && break
  sleep 0.5
done
ready="$(node -e "fetch('http://127.0.0.1:$port/health/ready').then((r) => console.log(r.status), () => console.log(0))")"
# The web app, built before the prune, is served from dist/web.
web="$(node -e "fetch('http://127.0.0.1:$port/inkorg').then(async (r) => console.log(r.status === 200 && (await r.text()).includes('/assets/') ? 200 : r.status), () => console.log(0))")"
for _ in $(seq 1 120); do grep -q 'Worker started' worker.log && break; sleep 0.5; done
if [ "$live" != 200 ] || [ "$ready" != 200 ] || [ "$web" != 200 ] || ! grep -q 'Worker started' worker.log; then
  echo "The production install did not start (live $live, ready $ready, web app $web)" >&2
  tail -n 30 api.log worker.log >&2
  exit 1
fi
echo "• OK: /health/live $live, /health/ready $ready, the web app $web, worker started; stopping both"
