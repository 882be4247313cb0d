#!/usr/bin/env bash
# Runs every test of the solution on a fresh machine: installs what the tests need when it is missing,
# builds Generator.sln and runs its tests (then the .NET 8 ones), and ends with "N passed, N failed[, N skipped]" read from the TRX files.
set -uo pipefail
cd "$(dirname "$0")"

# Debian packages the tests use: Chromium for the dashboard's browser test, redis-server for fleet coordination, and
# the DejaVu fonts the outage benchmark's charts are drawn with (its smoke test draws them).
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || missing+=(fonts-dejavu-core)
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing ${missing[*]} (apt-get)..."
  if [ "$(id -u)" -eq 0 ]; then sudo=""; else sudo="sudo"; fi
  # A failing list update (one unreachable mirror) should not stop the install from the lists that did update.
  $sudo apt-get update -qq || echo "apt-get update reported errors; trying the install anyway." >&2
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null \
    || { echo "Could not install ${missing[*]}: the tests that need them will fail." >&2; }
fi

results="$(pwd)/artifacts/test-results"
rm -rf "$results"
# Build first, then test without building. A test project's run holds the MSBuild node it runs on until it ends, and any
# later request for a project that node built (Breaker.Attributes, which everything references) waits for it: with the
# build and the tests in one `dotnet test`, the packaging tests' minutes held up the rest of the solution's build.
dotnet build Generator.sln -c Release
status=$?
# Four nodes on CI's two cores: each runs one test project, and the long ones mostly wait (the packaging tests on their
# child `dotnet` processes, Redis, the outage smoke run, the browser), so the other projects run meanwhile.
dotnet test Generator.sln -c Release --no-build -maxcpucount:4 --logger "trx" --results-directory "$results" "$@" || status=1

# On the real .NET 8 runtime too (Breaker targets net8.0 and netstandard2.0 as well): the runtime's tests, the generated
# code's end-to-end tests, and Breaker's netstandard2.0 build with code generated into a netstandard2.0 library
# (Generator.Net8.slnf lists the three projects). Self-contained, so the .NET 8 runtime pack comes from the package feed and
# no .NET 8 install is needed. One command, so one restore and one build for the three; their TRX files join the sum below.
dotnet test Generator.Net8.slnf -c Release -p:BreakerTestOnNet8=true -r linux-x64 -p:SelfContained=true \
  --logger "trx" --results-directory "$results" "$@" || status=1

shopt -s nullglob
trx=("$results"/*.trx)
if [ ${#trx[@]} -eq 0 ]; then
  echo "No test results were written (the build probably failed)." >&2
  echo "0 passed, 1 failed"
  exit 1
fi

# Sum the <Counters> element of every TRX file.
read -r passed failed skipped < <(
  for f in "${trx[@]}"; do grep -o '<Counters [^>]*>' "$f"; done | awk '
    { for (i = 1; i <= NF; i++) { split($i, kv, "="); gsub(/[">\/]/, "", kv[2]); c[kv[1]] += kv[2] } }
    END { printf "%d %d %d\n", c["passed"], c["failed"] + c["error"] + c["timeout"] + c["aborted"], c["notExecuted"] + c["inconclusive"] }')

if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
if [ "$skipped" -gt 0 ]; then
  echo "$passed passed, $failed failed, $skipped skipped"
else
  echo "$passed passed, $failed failed"
fi
[ "$failed" -eq 0 ] && [ "$status" -eq 0 ]
