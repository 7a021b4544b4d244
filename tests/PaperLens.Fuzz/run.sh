#!/usr/bin/env bash
# Coverage-guided fuzzing of the readers, draft parsers and LatexText: SharpFuzz instruments the PaperLens
# assemblies, AFL++ (Debian package afl++) drives them.
#   tests/PaperLens.Fuzz/run.sh [seconds per target (default 30)] [target…]   (default: every target)
# Findings stay in $PAPERLENS_FUZZ_DIR (default /tmp/paperlens-fuzz)/findings/<target>/default/{crashes,hangs} until
# that target runs again; replay one with `dotnet $dir/bin/paperlens-fuzz.dll <target> < file`. Exits 1 when any target found a crash or a hang.
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds=${1:-30}
shift || true
all=(bibtex csljson arxiv listing latex-draft markdown-draft site-at paragraph-at latex-text)
targets=("${@:-${all[@]}}")
dir=${PAPERLENS_FUZZ_DIR:-/tmp/paperlens-fuzz}
fixtures=tests/PaperLens.Tests/Sources/Fixtures
e2e=tests/e2e/workspace

if ! command -v afl-fuzz >/dev/null; then
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
    apt-get install -y -qq afl++ >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq afl++; }
  else
    echo "afl-fuzz not found: install AFL++ (apt-get install afl++)" >&2; exit 2
  fi
fi

# Build once, then instrument the assemblies under test (in the fuzz output folder only).
# PAPERLENS_FUZZ_BUILD=0 keeps an instrumented build that is already there (a campaign while the code changes).
if [ "${PAPERLENS_FUZZ_BUILD:-1}" = 0 ] && [ -f "$dir/bin/.instrumented" ]; then :
elif [ ! -f "$dir/bin/.instrumented" ] || [ -n "$(find server/PaperLens.Sources server/PaperLens.Core tests/PaperLens.Fuzz -name '*.cs' -newer "$dir/bin/.instrumented" | head -1)" ]; then
  rm -rf "$dir/bin"
  dotnet build -c Release tests/PaperLens.Fuzz -o "$dir/bin" -v q -nologo >/dev/null
  [ -x "$dir/tools/sharpfuzz" ] || dotnet tool install --tool-path "$dir/tools" SharpFuzz.CommandLine --version 2.3.0 >/dev/null
  for assembly in PaperLens.Core PaperLens.Sources; do "$dir/tools/sharpfuzz" "$dir/bin/$assembly.dll" >/dev/null; done
  touch "$dir/bin/.instrumented"
fi

# Seeds from the test fixtures and the end-to-end workspace; small files, as AFL++ prefers.
seed() { # seed <target> <file>… : copies files (their first 4 KB) into the target's seed folder
  local t=$1; shift; mkdir -p "$dir/seeds/$t"
  for f in "$@"; do head -c 4096 "$f" > "$dir/seeds/$t/$(basename "$f")"; done
}
with_cursor() { # with_cursor <target> <file>… : prefixes the 3 header bytes (syntax, position) those targets read
  local t=$1; shift; mkdir -p "$dir/seeds/$t"
  for f in "$@"; do
    case $f in *.md) kind='\x01';; *) kind='\x00';; esac
    { printf "$kind\x28\x00"; head -c 4096 "$f"; } > "$dir/seeds/$t/$(basename "$f")"
  done
}
rm -rf "$dir/seeds"
seed bibtex "$e2e/refs.bib"
seed csljson "$fixtures/zotero-export.json"
seed arxiv "$fixtures/arxiv-snapshot.jsonl"
seed listing samples/corpus/ml-papers.txt
seed latex-draft "$e2e/draft.tex"
seed markdown-draft "$e2e/draft.md"
with_cursor site-at "$e2e/draft.tex" "$e2e/draft.md"
with_cursor paragraph-at "$e2e/draft.tex" "$e2e/draft.md"
seed latex-text "$e2e/refs.bib" "$fixtures/arxiv-snapshot.jsonl"

export AFL_SKIP_BIN_CHECK=1 AFL_NO_UI=1 AFL_NO_AFFINITY=1 AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 \
  AFL_FORKSRV_INIT_TMOUT=60000 DOTNET_TieredPGO=0 DOTNET_CLI_TELEMETRY_OPTOUT=1
failed=0
for t in "${targets[@]}"; do
  out="$dir/findings/$t"
  rm -rf "$out" && mkdir -p "$out" # a fresh run: findings of an older build would fail this one
  # -t: an input that runs over 2 s is a hang; -V: stop after the given seconds.
  afl-fuzz -i "$dir/seeds/$t" -o "$out" -t 2000 -m none -V "$seconds" -- dotnet "$dir/bin/paperlens-fuzz.dll" "$t" >"$out/afl.log" 2>&1 \
    || { echo "$t: afl-fuzz failed, see $out/afl.log" >&2; tail -5 "$out/afl.log" >&2; failed=1; continue; }
  stats="$out/default/fuzzer_stats"
  execs=$(awk -F' *: *' '$1 == "execs_done" { print $2 }' "$stats")
  paths=$(awk -F' *: *' '$1 == "corpus_count" { print $2 }' "$stats")
  crashes=$(find "$out/default/crashes" -type f -name 'id:*' | wc -l)
  hangs=$(find "$out/default/hangs" -type f -name 'id:*' | wc -l)
  echo "$t: ${seconds} s, $execs inputs, $paths corpus entries, $crashes crashes, $hangs hangs"
  if [ "$crashes" -gt 0 ] || [ "$hangs" -gt 0 ]; then
    failed=1
    for f in $(find "$out/default/crashes" "$out/default/hangs" -type f -name 'id:*' | head -3); do
      echo "  $f:"; (dotnet "$dir/bin/paperlens-fuzz.dll" "$t" < "$f" 2>&1; true) 2>&1 | head -8 | sed 's/^/    /'
    done
  fi
done
exit $failed
