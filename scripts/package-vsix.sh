#!/usr/bin/env bash
# Builds paperlens-<target>.vsix: the bundled extension plus the server, published self-contained
# (trimmed and ReadyToRun, see the server's .csproj) for that platform so users need no .NET install.
# The default model (the files its model.json names) and the sample corpus come with it.
# usage: npm run package [-- --target win32-x64 [--target darwin-arm64 …]]   (or PAPERLENS_TARGET=win32-x64)
# Targets are VS Code's: linux-x64, linux-arm64, alpine-x64, win32-x64, win32-arm64, darwin-x64, darwin-arm64.
# Several targets share one extension bundle and one build of the server's libraries.
# PAPERLENS_PUBLISH_ARGS adds arguments to dotnet publish (scripts/check-packages.sh uses it).
set -euo pipefail
cd "$(dirname "$0")/.."
targets=()
while [ $# -gt 0 ]; do
  case $1 in
    --target) targets+=("$2"); shift 2 ;;
    --target=*) targets+=("${1#*=}"); shift ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
done
[ ${#targets[@]} -gt 0 ] || targets=("${PAPERLENS_TARGET:-linux-x64}")

# VS Code target -> .NET runtime identifier
rid_of() {
  case $1 in
    linux-x64 | linux-arm64) echo "$1" ;;
    alpine-x64 | alpine-arm64) echo "linux-musl-${1#alpine-}" ;;
    win32-x64 | win32-arm64) echo "win-${1#win32-}" ;;
    darwin-x64 | darwin-arm64) echo "osx-${1#darwin-}" ;;
    *) return 1 ;;
  esac
}
for target in "${targets[@]}"; do
  rid_of "$target" >/dev/null || { echo "unsupported target: $target" >&2; exit 2; }
done

# Ships only the default model's folder (PAPERLENS_BUNDLED_MODELS, space-separated folder names, to ship more),
# and in it only model.json and the model and vocabulary files it names.
keep_default_model_files() {
  local config dir
  for dir in "$1"/models/*/; do
    dir=${dir%/}
    [[ " ${PAPERLENS_BUNDLED_MODELS:-arctic-embed-xs} " == *" ${dir##*/} "* ]] || rm -rf "$dir"
  done
  for config in "$1"/models/*/model.json; do
    node -e '
      const fs = require("fs"), path = require("path");
      const file = process.argv[1], dir = path.dirname(file);
      const config = JSON.parse(fs.readFileSync(file, "utf8"));
      const keep = new Set(["model.json", config.model ?? "model.onnx", config.vocab ?? "vocab.txt"]);
      for (const name of keep) if (!fs.existsSync(path.join(dir, name))) { console.error(`${dir} lacks ${name}`); process.exit(1); }
      for (const name of fs.readdirSync(dir)) if (!keep.has(name)) fs.rmSync(path.join(dir, name), { recursive: true });
    ' "$config"
  done
}

node extension/esbuild.mjs --production
for target in "${targets[@]}"; do
  stage=out/vsix/$target
  server=$stage/server/$target
  rm -rf "$stage" && mkdir -p "$stage/dist" "$stage/extension"
  dotnet publish server/PaperLens.Server -c Release -r "$(rid_of "$target")" --self-contained \
    -p:DebugType=none -p:SatelliteResourceLanguages=en ${PAPERLENS_PUBLISH_ARGS:-} -o "$server"
  keep_default_model_files "$server"
  [ -f "$server/samples/corpus/ml-papers.txt" ] || { echo "the server's publish output lacks the sample corpus" >&2; exit 1; }

  cp package.json LICENSE .vscodeignore "$stage/"
  cp extension/README.md "$stage/README.md"
  cp dist/extension.js "$stage/dist/"
  cp -r extension/media "$stage/extension/"
  vsix=$PWD/paperlens-$target.vsix
  (cd "$stage" && "$OLDPWD/node_modules/.bin/vsce" package --no-dependencies --allow-missing-repository --target "$target" -o "$vsix")
  echo "built $vsix"
done
