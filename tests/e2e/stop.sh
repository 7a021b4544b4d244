#!/usr/bin/env bash
# Stops the code-server that start.sh started, with its extension host and language server.
E2E=${E2E:-$HOME/.cache/vscode-e2e}
pidfile=$E2E/run/code-server.pid
if [ -f "$pidfile" ]; then
  kill -- -"$(cat "$pidfile")" 2> /dev/null
  rm -f "$pidfile"
  sleep 1
fi
true
