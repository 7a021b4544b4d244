#!/usr/bin/env bash
# The end-to-end test in a real VS Code: installs the prerequisites (once), builds the .vsix (or
# takes one as $1), starts code-server with it, runs test.mjs, stops code-server. Exit code: the test's.
# Screenshots land in tests/e2e/artifacts/.
set -euo pipefail
here=$(dirname "$(readlink -f "$0")")
repo=$(readlink -f "$here/../..")
export E2E=${E2E:-$HOME/.cache/vscode-e2e}
"$here/install.sh"
vsix=${1:-}
if [ -z "$vsix" ]; then
  (cd "$repo" && npm ci --no-audit --no-fund && npm run package)
  vsix=$repo/paperlens-linux-x64.vsix
fi
"$here/stop.sh"
trap '"$here/stop.sh"' EXIT
"$here/start.sh" "$(readlink -f "$vsix")"
set +e
"$E2E/node24/package/bin/node" "$here/test.mjs"
status=$?
set -e
mkdir -p "$here/artifacts" && cp -r "$E2E/run/code-server.log" "$E2E/run/user-data/logs" "$here/artifacts/" 2> /dev/null || true
exit $status
