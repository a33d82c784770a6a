#!/usr/bin/env bash
# On demand, never in CI: starts the standalone local Responses server (127.0.0.1, ephemeral port, an API key), drives
# it with the official OpenAI Node SDK pinned in package.json (HTTP JSON and SSE, WebSocket mode, lanes), then stops it.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../../.." && pwd)"

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "Node.js and npm are required for this check; skipping." >&2
  exit 0
fi

cd "$here"
[ -d node_modules ] || npm install --no-audit --no-fund
dotnet build "$repo/src/Connector.Testing.Host" -nologo -v q

log="$(mktemp)"
key="node-sdk-check-key"
# Run the built host directly (not through `dotnet run`) so that $! is the server and SIGTERM reaches it.
dotnet "$repo/src/Connector.Testing.Host/bin/Debug/net10.0/ResponsesWebSocket.Testing.Host.dll" --port 0 --api-key "$key" >"$log" 2>&1 &
host=$!
trap 'kill -TERM "$host" 2>/dev/null || true; wait "$host" 2>/dev/null || true; rm -f "$log"' EXIT

for _ in $(seq 1 150); do
  grep -q '^Base URL:' "$log" && break
  kill -0 "$host" 2>/dev/null || break
  sleep 0.2
done
base="$(awk '/^Base URL:/ {print $3}' "$log")"
if [ -z "$base" ]; then
  echo "The host did not start:" >&2
  cat "$log" >&2
  exit 1
fi

echo "Host: $base"
LOCAL_RESPONSES_BASE_URL="$base" LOCAL_RESPONSES_API_KEY="$key" node check.mjs
