#!/usr/bin/env bash
# Builds and runs every test project, then prints the totals as "N passed, N failed, N skipped".
# Slow suites (long crash runs, 1 GB files) run only with SINEW_SLOW_TESTS=1.
set -uo pipefail
cd "$(dirname "$0")"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
configuration="${CONFIGURATION:-Release}"
log="$(mktemp)"
if ! dotnet build Sinew.slnx -c "$configuration" -warnaserror 2>&1 | tee "$log" | grep -E "error|Warn|Elapsed" ; then :; fi
if grep -qE "Build FAILED|error [A-Z]+[0-9]+" "$log"; then
  echo "build failed"
  echo "0 passed, 1 failed"
  exit 1
fi
# A test that hangs is killed after 8 minutes (no test takes more than a few outside SINEW_SLOW_TESTS) and counts as failed,
# instead of holding the whole run until CI gives up on it.
default_hang_timeout=8m
if [ "${SINEW_SLOW_TESTS:-}" = "1" ]; then default_hang_timeout=60m; fi
hang_timeout="${SINEW_TEST_HANG_TIMEOUT:-$default_hang_timeout}"
dotnet test Sinew.slnx -c "$configuration" --no-build --blame-hang-timeout "$hang_timeout" --blame-hang-dump-type none "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
# VSTest prints one line per test assembly: "Passed!  - Failed: 0, Passed: 23, Skipped: 0, Total: 23, ..."
read -r passed failed skipped < <(grep -E "^(Passed|Failed)! +- Failed:" "$log" | sed -E 's/.*Failed: *([0-9]+), Passed: *([0-9]+), Skipped: *([0-9]+).*/\2 \1 \3/' \
  | awk '{p+=$1; f+=$2; s+=$3} END {print p+0, f+0, s+0}')
assemblies=$(grep -cE "^(Passed|Failed)! +- Failed:" "$log")
rm -f "$log"
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  failed=1 # a test host crashed or an assembly did not report: count it as a failure
fi
echo "test assemblies: $assemblies"
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
