#!/usr/bin/env bash
# usage: start.sh paperlens.vsix -> code-server on 127.0.0.1:$PORT with the extension installed and a
# fresh copy of workspace/ (plus the sample corpus, a library outside it and a corpus path that matches nothing) under $E2E/run. Stop it with stop.sh.
set -euo pipefail
here=$(dirname "$(readlink -f "$0")")
repo=$(readlink -f "$here/../..")
E2E=${E2E:-$HOME/.cache/vscode-e2e}
PORT=${PORT:-8080}
export PATH=$E2E/node24/package/bin:$PATH
export XDG_CONFIG_HOME=$E2E/xdg/config XDG_DATA_HOME=$E2E/xdg/data XDG_CACHE_HOME=$E2E/xdg/cache TMPDIR=$E2E/tmp
mkdir -p "$TMPDIR"
CS=$E2E/cs/node_modules/.bin/code-server
run=$E2E/run

rm -rf "$run" && mkdir -p "$run/user-data/User"
cp -r "$here/workspace" "$run/workspace"
mkdir -p "$run/workspace/corpus" && cp "$repo/samples/corpus/ml-papers.txt" "$run/workspace/corpus/"
# A reference manager's export outside the workspace (as Better BibTeX writes ~/Zotero/library.bib): named in the
# corpus paths and in library.tex's \bibliography{../zotero/library}; test.mjs appends an entry to it.
mkdir -p "$run/zotero" && cp "$here/zotero-library.bib" "$run/zotero/library.bib"
# A fresh index per run (outside the workspace), and no chat, trust prompts, auto-save or updates.
cat > "$run/user-data/User/settings.json" <<JSON
{
  "workbench.startupEditor": "none",
  "chat.disableAIFeatures": true,
  "security.workspace.trust.enabled": false,
  "extensions.autoCheckUpdates": false,
  "extensions.autoUpdate": false,
  "telemetry.telemetryLevel": "off",
  "files.autoSave": "off",
  "workbench.secondarySideBar.defaultVisibility": "hidden",
  "paperlens.corpus.paths": ["$run/workspace/corpus/ml-papers.txt", "$run/zotero/library.bib", "$run/workspace/corpus/sigir-201[6-9].bib"],
  "paperlens.index.path": "$run/index/paperlens.db",
  "paperlens.trace.server": "messages"
}
JSON
dirs=(--config "$run/config.yaml" --user-data-dir "$run/user-data" --extensions-dir "$run/extensions")
for vsix in "$@"; do "$CS" "${dirs[@]}" --install-extension "$vsix"; done
setsid "$CS" "${dirs[@]}" --bind-addr "127.0.0.1:$PORT" --auth none \
  --disable-telemetry --disable-update-check --disable-workspace-trust --disable-getting-started-override \
  "$run/workspace" > "$run/code-server.log" 2>&1 < /dev/null &
echo $! > "$run/code-server.pid"   # setsid: the pid is the process group, which stop.sh kills
for _ in $(seq 1 120); do curl -sf "http://127.0.0.1:$PORT/healthz" > /dev/null && exit 0; sleep 0.5; done
echo "code-server did not come up" >&2; cat "$run/code-server.log" >&2; exit 1
