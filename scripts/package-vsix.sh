#!/usr/bin/env bash
# Builds paperlens-<target>.vsix: the bundled extension plus the server, published self-contained
# for that platform so users need no .NET install (the model and the sample corpus come with it).
# usage: npm run package [-- --target win32-x64]      (or PAPERLENS_TARGET=win32-x64 npm run package)
# Targets are VS Code's: linux-x64, linux-arm64, alpine-x64, win32-x64, win32-arm64, darwin-x64, darwin-arm64.
set -euo pipefail
cd "$(dirname "$0")/.."
target=${PAPERLENS_TARGET:-linux-x64}
while [ $# -gt 0 ]; do
  case $1 in
    --target) target=$2; shift 2 ;;
    --target=*) target=${1#*=}; shift ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
done
case $target in   # VS Code target -> .NET runtime identifier
  linux-x64 | linux-arm64) rid=$target ;;
  alpine-x64 | alpine-arm64) rid=linux-musl-${target#alpine-} ;;
  win32-x64 | win32-arm64) rid=win-${target#win32-} ;;
  darwin-x64 | darwin-arm64) rid=osx-${target#darwin-} ;;
  *) echo "unsupported target: $target" >&2; exit 2 ;;
esac

stage=out/vsix/$target
server=$stage/server/$target
rm -rf "$stage" && mkdir -p "$stage/dist" "$stage/extension"
node extension/esbuild.mjs --production
dotnet publish server/PaperLens.Server -c Release -r "$rid" --self-contained -p:DebugType=none -p:SatelliteResourceLanguages=en -o "$server"
for file in models/arctic-embed-xs/model.onnx models/arctic-embed-xs/vocab.txt models/arctic-embed-xs/model.json samples/corpus/ml-papers.txt; do
  [ -f "$server/$file" ] || { echo "the server's publish output lacks $file" >&2; exit 1; }
done

cp package.json LICENSE "$stage/"
cp extension/README.md "$stage/README.md"
cp dist/extension.js "$stage/dist/"
cp -r extension/media "$stage/extension/"
vsix=$PWD/paperlens-$target.vsix
(cd "$stage" && "$OLDPWD/node_modules/.bin/vsce" package --no-dependencies --allow-missing-repository --target "$target" -o "$vsix")
echo "built $vsix"
