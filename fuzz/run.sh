#!/usr/bin/env bash
# Fuzzes one Sinew parser with AFL++ through SharpFuzz, seeded from the shared corpus (read in place, never copied
# into the repository).   usage: fuzz/run.sh hl7|mllp|x12|fhir SECONDS
# Needs: Debian afl++ (apt-get install afl++) and the SharpFuzz tool (dotnet tool install -g SharpFuzz.CommandLine).
# Results: fuzz/work/TARGET/findings/default/{fuzzer_stats,crashes/,hangs/}; a summary line is printed at the end.
set -euo pipefail
target=${1:?usage: fuzz/run.sh hl7|mllp|x12|fhir SECONDS}
seconds=${2:?usage: fuzz/run.sh TARGET SECONDS}
here=$(cd "$(dirname "$0")" && pwd)
corpus=${SINEW_CORPUS:-$(cd "$here/../.." && pwd)/shared/corpus}
export PATH="$PATH:$HOME/.dotnet/tools"
command -v afl-fuzz >/dev/null || { echo "afl-fuzz is missing: apt-get install afl++" >&2; exit 2; }
command -v sharpfuzz >/dev/null || { echo "sharpfuzz is missing: dotnet tool install -g SharpFuzz.CommandLine" >&2; exit 2; }
[ -d "$corpus" ] || { echo "the shared corpus is not at $corpus (set SINEW_CORPUS)" >&2; exit 2; }

case "$target" in
  hl7)  assembly=Sinew.Hl7v2.dll; seeds_from=(hl7v2) ;;
  mllp) assembly=Sinew.Mllp.dll;  seeds_from=(hl7v2) ;;
  x12)  assembly=Sinew.X12.dll;   seeds_from=(x12) ;;
  fhir) assembly=Sinew.Fhir.dll;  seeds_from=(fhir) ;;
  *) echo "unknown target '$target' (hl7, mllp, x12, fhir)" >&2; exit 2 ;;
esac

work="$here/work/$target"
rm -rf "$work/bin" "$work/seeds"
mkdir -p "$work/seeds"
dotnet build "$here/Sinew.Fuzz/Sinew.Fuzz.csproj" -c Release -o "$work/bin" -nologo -v q
sharpfuzz "$work/bin/$assembly"

# Seeds: the smaller corpus files (AFL works best on small inputs), bytes unchanged; MLLP gets them framed too.
n=0
while IFS= read -r file; do
  n=$((n + 1))
  if [ "$target" = mllp ]; then
    { printf '\v'; cat "$file"; printf '\034\r'; } > "$work/seeds/$n.framed"
  else
    cp "$file" "$work/seeds/$n"
  fi
done < <(for d in "${seeds_from[@]}"; do find "$corpus/$d" -type f -size -16k; done | sort | head -n 80)
echo "seeds: $n files from $corpus/${seeds_from[*]}"

export AFL_SKIP_BIN_CHECK=1 AFL_NO_UI=1 AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_AFFINITY=1
resume=()
[ -d "$work/findings/default" ] && resume=(-i -) || resume=(-i "$work/seeds")
afl-fuzz "${resume[@]}" -o "$work/findings" -t 5000 -m none -V "$seconds" -- dotnet "$work/bin/Sinew.Fuzz.dll" "$target" > "$work/afl.log" 2>&1 || { tail -30 "$work/afl.log"; exit 1; }

stats="$work/findings/default/fuzzer_stats"
get() { awk -F' *: *' -v k="$1" '$1 == k { print $2 }' "$stats"; }
echo "fuzz $target: $(get run_time) s, $(get execs_done) executions ($(get execs_per_sec)/s), corpus $(get corpus_count) paths, $(get saved_crashes) crashes, $(get saved_hangs) hangs, stability $(get stability)"
