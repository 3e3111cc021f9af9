#!/usr/bin/env bash
# X12 codec benchmark: Sinew.X12 against the npm parsers node-x12 and x12-parser, on the same inputs, in one run.
#   bench/x12-peers.sh            corpus mix + generated 64 MB batch of 850s, 1 GB streamed (Sinew) and 1 GB file (x12-parser)
#   BDN=1 bench/x12-peers.sh      also run the BenchmarkDotNet suite (ShortRun, MemoryDiagnoser) for allocation figures
#   BIG_MB=256 bench/x12-peers.sh change the size of the big input (default 1024)
# Results: bench/results/x12-*.json and bench/results/x12-summary.md.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
PEERS=$ROOT/bench/peers/x12
RESULTS=$ROOT/bench/results
WORK=${TMPDIR:-/tmp}/sinew-x12-bench
BIG_MB=${BIG_MB:-1024}
CORPUS=${X12_BENCH_CORPUS:-$ROOT/../shared/corpus/x12}
mkdir -p "$RESULTS" "$WORK"

command -v node >/dev/null || { echo "node is required for the peers" >&2; exit 1; }
[ -d "$CORPUS" ] || { echo "corpus not found at $CORPUS (set X12_BENCH_CORPUS)" >&2; exit 1; }
echo "peers on the registry: node-x12 $(npm view node-x12 version), x12-parser $(npm view x12-parser version)"
(cd "$PEERS" && npm install --no-audit --no-fund --silent)

dotnet build -c Release "$ROOT/bench/Sinew.X12.Benchmarks" -v q -nologo >/dev/null
BIN=$ROOT/bench/Sinew.X12.Benchmarks/bin/Release/net10.0/Sinew.X12.Benchmarks
export X12_BENCH_CORPUS=$CORPUS
export X12_BENCH_FILE=$WORK/850-64mb.edi
"$BIN" generate "$X12_BENCH_FILE" 64
"$BIN" generate "$WORK/850-big.edi" "$BIG_MB"

echo "== Sinew.X12: parse and validate (corpus mix, generated 64 MB)"
"$BIN" quick "$RESULTS/x12-sinew.json" >/dev/null
echo "== Sinew.X12: validate ${BIG_MB} MB streamed"
"$BIN" stream "$BIG_MB" "$RESULTS/x12-sinew-stream.json" >/dev/null
echo "== peers: node-x12, x12-parser"
node "$PEERS/measure.js" "$RESULTS/x12-peers.json" "$CORPUS" "$X12_BENCH_FILE" "$WORK/850-big.edi" >/dev/null
rm -f "$WORK/850-big.edi"

if [ "${BDN:-0}" = "1" ]; then
  echo "== BenchmarkDotNet"
  (cd "$WORK" && "$BIN" bdn "$RESULTS/x12-bdn.json" > "$WORK/bdn.log" 2>&1)
  cp "$WORK"/BenchmarkDotNet.Artifacts/results/*X12Benchmarks-report-github.md "$RESULTS/x12-bdn.md" 2>/dev/null || true
fi

node "$PEERS/summary.js" "$RESULTS" "$BIG_MB" > "$RESULTS/x12-summary.md"
cat "$RESULTS/x12-summary.md"
