#!/usr/bin/env bash
# The real-client check in Neovim (Debian's `neovim`, 0.7.2 or later): builds the server, copies workspace/ and the
# sample corpus to a temporary folder and runs check.lua headless against `paperlens serve`. Exit code: the check's.
set -euo pipefail
here=$(dirname "$(readlink -f "$0")")
repo=$(readlink -f "$here/../..")
command -v nvim > /dev/null || { echo "nvim is missing: apt-get install -y neovim" >&2; exit 2; }
if [ -z "${PAPERLENS:-}" ]; then
  dotnet build "$repo/server/PaperLens.Server" -v q -nologo > /dev/null
  PAPERLENS=$repo/server/PaperLens.Server/bin/Debug/net10.0/paperlens
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -r "$here/workspace/." "$work/"
nvim --version | head -1
PAPERLENS=$PAPERLENS WORKDIR=$work CORPUS=$repo/samples/corpus/ml-papers.txt XDG_CACHE_HOME=$work/.cache XDG_STATE_HOME=$work/.state \
  timeout 300 nvim --headless --clean -u NONE -c "luafile $here/check.lua"
