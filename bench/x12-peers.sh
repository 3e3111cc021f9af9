#!/usr/bin/env bash
# X12 codec benchmark: Sinew.X12 against the npm parsers node-x12 and x12-parser, on the same inputs, in one run.
#   bench/x12-peers.sh            corpus mix + generated 64 MB batch of 850s, 1 GB streamed (Sinew) and 1 GB file (x12-parser),
#                                 repeated RUNS times (default 3); the summary gives the median and the spread of the runs
#   RUNS=5 bench/x12-peers.sh     more repetitions
#   BASELINE=DIR bench/x12-peers.sh  also measure an earlier build of the bench (DIR holds its Sinew.X12.Benchmarks), in
#                                 the same runs, for before/after figures under the same load
#   BDN=1 bench/x12-peers.sh      also run the BenchmarkDotNet suite (ShortRun, MemoryDiagnoser) for allocation figures
#   BIG_MB=256 bench/x12-peers.sh change the size of the big input (default 1024)
# Every figure is MB per CPU second of the measuring process (the machine is shared), wall clock alongside.
# Results: bench/results/x12-*.json (x12-run-N/ per run) and bench/results/x12-summary.md.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
PEERS=$ROOT/bench/peers/x12
RESULTS=$ROOT/bench/results
WORK=${TMPDIR:-/tmp}/sinew-x12-bench
BIG_MB=${BIG_MB:-1024}
RUNS=${RUNS:-3}
BASELINE=${BASELINE:-}
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

for run in $(seq 1 "$RUNS"); do
  OUT=$RESULTS/x12-run-$run
  mkdir -p "$OUT"
  uptime > "$OUT/load.txt"
  echo "== run $run/$RUNS: Sinew.X12 parse and validate (corpus mix, generated 64 MB), validate ${BIG_MB} MB streamed"
  "$BIN" quick "$OUT/x12-sinew.json" >/dev/null
  "$BIN" stream "$BIG_MB" "$OUT/x12-sinew-stream.json" >/dev/null
  if [ -n "$BASELINE" ]; then
    echo "== run $run/$RUNS: baseline build $BASELINE"
    "$BASELINE/Sinew.X12.Benchmarks" quick "$OUT/x12-baseline.json" >/dev/null
    "$BASELINE/Sinew.X12.Benchmarks" stream "$BIG_MB" "$OUT/x12-baseline-stream.json" >/dev/null
  fi
  echo "== run $run/$RUNS: peers node-x12, x12-parser"
  node "$PEERS/measure.js" "$OUT/x12-peers.json" "$CORPUS" "$X12_BENCH_FILE" "$WORK/850-big.edi" >/dev/null
  uptime >> "$OUT/load.txt"
done
rm -f "$WORK/850-big.edi"

# The single-run files the summary script and older tooling read: the last run.
cp "$RESULTS/x12-run-$RUNS/x12-sinew.json" "$RESULTS/x12-sinew.json"
cp "$RESULTS/x12-run-$RUNS/x12-sinew-stream.json" "$RESULTS/x12-sinew-stream.json"
cp "$RESULTS/x12-run-$RUNS/x12-peers.json" "$RESULTS/x12-peers.json"

if [ "${BDN:-0}" = "1" ]; then
  echo "== BenchmarkDotNet"
  (cd "$WORK" && "$BIN" bdn "$RESULTS/x12-bdn.json" > "$WORK/bdn.log" 2>&1)
  cp "$WORK"/BenchmarkDotNet.Artifacts/results/*X12Benchmarks-report-github.md "$RESULTS/x12-bdn.md" 2>/dev/null || true
fi

{
  node "$PEERS/summary.js" "$RESULTS" "$BIG_MB"
  echo
  # Median and spread over the runs, Sinew and peers measured in the same runs.
  node - "$RESULTS" "$RUNS" "$BIG_MB" <<'JS'
const fs = require('node:fs');
const path = require('node:path');
const [results, runs, bigMb] = process.argv.slice(2);
const runDirs = Array.from({ length: Number(runs) }, (_, i) => path.join(results, `x12-run-${i + 1}`));
const read = (dir, name) => (fs.existsSync(path.join(dir, name)) ? JSON.parse(fs.readFileSync(path.join(dir, name))) : null);
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2; };
const f = (x) => (x == null ? 'n/a' : x >= 100 ? x.toFixed(0) : x.toFixed(1));
const cell = (xs, unit = '') => (xs.length === 0 || xs.some((x) => x == null || Number.isNaN(x)) ? 'n/a' : `**${f(median(xs))}${unit}** (${f(Math.min(...xs))}${unit}–${f(Math.max(...xs))}${unit})`);
const ratio = (num, den) => num.map((x, i) => x / den[i]);
const quick = (file, op, input) => runDirs.map((d) => read(d, file)?.find((r) => r.operation === op && r.input === input)?.mbPerSecondCpu);
const stream = (file) => runDirs.map((d) => read(d, file)?.mbPerSecondCpu);
const peer = (name, input) => runDirs.map((d) => read(d, 'x12-peers.json')?.rows.find((r) => r.peer === name && r.input === input)?.mbPerSecondCpu);
const faster = (input) => { const a = peer('node-x12', input); const b = peer('x12-parser', input); return a.map((x, i) => Math.max(x ?? 0, b[i] ?? 0)); };
const hasBaseline = runDirs.some((d) => read(d, 'x12-baseline.json'));
const lines = [];
lines.push(`## Median of ${runs} runs (min–max), MB per CPU second; ratios per run, then their median`);
lines.push('');
lines.push('| input | Sinew parse | Sinew parse + validate | ' + (hasBaseline ? 'baseline parse | baseline parse + validate | ' : '') + 'node-x12 | x12-parser | parse ÷ faster peer | parse + validate ÷ faster peer |' + (hasBaseline ? ' baseline validate ÷ faster peer |' : ''));
lines.push('|---|---:|---:|' + (hasBaseline ? '---:|---:|' : '') + '---:|---:|---:|---:|' + (hasBaseline ? '---:|' : ''));
for (const input of ['corpus', 'generated', 'big']) {
  const big = input === 'big';
  const p = big ? [] : quick('x12-sinew.json', 'parse', input);
  const v = big ? stream('x12-sinew-stream.json') : quick('x12-sinew.json', 'validate', input);
  const bp = big ? [] : quick('x12-baseline.json', 'parse', input);
  const bv = big ? stream('x12-baseline-stream.json') : quick('x12-baseline.json', 'validate', input);
  const fast = faster(input);
  const label = { corpus: 'corpus mix', generated: 'generated 850 batch (64 MiB)', big: `${bigMb} MiB interchange, streamed` }[input];
  const row = [label, big ? '—' : cell(p), cell(v)];
  if (hasBaseline) row.push(big ? '—' : cell(bp), cell(bv));
  row.push(big ? 'not run' : cell(peer('node-x12', input)), cell(peer('x12-parser', input)));
  row.push(big ? '—' : cell(ratio(p, fast), '×'));
  row.push(cell(ratio(v, fast), '×'));
  if (hasBaseline) row.push(cell(ratio(bv, fast), '×'));
  lines.push('| ' + row.join(' | ') + ' |');
}
lines.push('');
lines.push('Load (uptime before and after each run):');
lines.push('```');
for (const d of runDirs) lines.push(`${path.basename(d)}: ` + fs.readFileSync(path.join(d, 'load.txt'), 'utf8').trim().split('\n').map((l) => l.replace(/^.*load average: /, '')).join(' → '));
lines.push('```');
console.log(lines.join('\n'));
JS
} > "$RESULTS/x12-summary.md"
cat "$RESULTS/x12-summary.md"
