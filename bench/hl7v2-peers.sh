#!/usr/bin/env bash
# Measures HL7 v2 peers on the same message mix as bench/Sinew.Hl7v2.Benchmarks, one thread each:
# Debian python3-hl7 (hl7.parse) and the npm packages @medplum/core, hl7-standard, node-hl7-client.
# Then runs Sinew's BenchmarkDotNet suite in the same run, so every figure comes from the same machine state.
# Usage: bench/hl7v2-peers.sh [seconds-per-peer] [--no-sinew]   (needs ../shared/corpus beside the repository)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(dirname "$here")"
corpus="$(cd "$repo/.." && pwd)/shared/corpus"
seconds="${1:-5}"
peers="$here/peers/hl7v2"
[ -d "$corpus/hl7v2" ] || { echo "corpus not found at $corpus" >&2; exit 2; }
/usr/bin/python3 -c 'import hl7' 2>/dev/null || { echo "python3-hl7 missing: apt-get install -y python3-hl7" >&2; exit 2; }
[ -d "$peers/node_modules/node-hl7-client" ] || (cd "$peers" && npm install --no-audit --no-fund)
out="$repo/bench/results/hl7v2-peers-$(date -u +%Y%m%d).txt"
mkdir -p "$repo/bench/results"
{
  echo "# HL7 v2 peers, parse + read MSH-9, PID-3.1, PID-5.1, one thread, $(date -u +%Y-%m-%dT%H:%MZ)"
  echo "# $(lscpu | grep -E 'Model name' | sed 's/  */ /g'); CPUs: $(nproc); node $(node --version); $(/usr/bin/python3 --version)"
  /usr/bin/python3 "$peers/mix.py" "$corpus" "$peers/mix.bin"
  /usr/bin/python3 "$peers/peer_python.py" "$peers/mix.bin" "$seconds"
  node "$peers/peers.js" "$peers/mix.bin" "$seconds"
} | tee "$out"
if [ "${2:-}" != "--no-sinew" ]; then
  artifacts="$(mktemp -d)"
  dotnet run -c Release --project "$repo/bench/Sinew.Hl7v2.Benchmarks" -- --filter '*' --artifacts "$artifacts" --exporters github
  cp "$artifacts/results/Sinew.Hl7v2.Benchmarks.ParseBenchmarks-report-github.md" "$repo/bench/results/hl7v2-sinew-$(date -u +%Y%m%d).md"
  rm -rf "$artifacts"
fi
