#!/usr/bin/env bash
# Mutation testing of the runtime's state machine, windows, keyed groups and test scopes with Stryker.NET (a dotnet tool
# pinned in .config/dotnet-tools.json), run by Breaker.Runtime.Tests. Block and statement mutations are ignored, as in
# Polly's configuration. Outside CI: it takes many minutes (each mutant batch reruns the tests).
#
# usage: scripts/mutation.sh [--all-tests | --tests EXPR] [--each] [FILE...]
#   FILE         files under src/Breaker.Runtime (default: the set below)
#   --each       one Stryker run per file (reports in artifacts/mutation/<file>/), so a slow machine gets results file by
#                file; without it, one run over every file (reports in artifacts/mutation/)
#   --all-tests  also run the randomized and stress tests for each mutant. By default they are left out: every mutant is
#                judged by the deterministic tests only (a race test that kills a mutant now and then would make the score
#                a coin toss), and the 10,000-sequence model-based tests would time out every mutant on a loaded machine.
#   --tests EXPR only the tests of this dotnet test filter (e.g. the test classes of one file, to be quick)
set -euo pipefail
cd "$(dirname "$0")/.."

filter="FullyQualifiedName!~ModelBasedTests&FullyQualifiedName!~StressTests&FullyQualifiedName!~ConcurrencyTests&FullyQualifiedName!~PublishedCountTests"
each=false
files=()
while [ $# -gt 0 ]; do
  case "$1" in
    --all-tests) filter=""; shift ;;
    --tests) [ $# -ge 2 ] || { echo "--tests needs a filter" >&2; exit 2; }; filter="$2"; shift 2 ;;
    --each) each=true; shift ;;
    -*) echo "unknown option: $1" >&2; exit 2 ;;
    *) files+=("$1"); shift ;;
  esac
done
if [ ${#files[@]} -eq 0 ]; then
  files=(
    CircuitBreaker.Transitions.cs
    CircuitBreaker.HalfOpen.cs
    CircuitBreaker.Outcomes.cs
    Windows/CountSlidingWindow.cs
    Groups/CircuitBreakerGroup.cs
    "Groups/CircuitBreakerKeys{TKey}.cs"
    Groups/KeyNames.cs
    Registry/CircuitBreakerScope.cs
  )
fi

for f in "${files[@]}"; do
  [ -f "src/Breaker.Runtime/$f" ] || { echo "no file src/Breaker.Runtime/$f" >&2; exit 2; }
done

dotnet tool restore >/dev/null
root="$(pwd)"

# One Stryker run over the files given, reports in $1. Block and statement mutations are ignored through the configuration
# file (Stryker.NET has no flag for them), and so are Debug.Assert's arguments (compiled out of the Release build tested).
# Breaker.Runtime targets netstandard2.0, net8.0 and net10.0: the mutants are compiled and tested for net10.0, the
# framework the test project runs on.
run() {
  local out="$1"; shift
  local mutate=""
  for f in "$@"; do mutate+="${mutate:+, }\"**/$f\""; done
  mkdir -p "$out"
  cat >"$out/stryker-config.json" <<JSON
{
  "stryker-config": {
    "project": "Breaker.Runtime.csproj",
    "test-projects": ["$root/tests/Breaker.Runtime.Tests/Breaker.Runtime.Tests.csproj"],
    "configuration": "Release",
    "target-framework": "net10.0",
    "mutate": [$mutate],
    "ignore-mutations": ["block", "statement"],
    "ignore-methods": ["*Debug.Assert"],
    "test-case-filter": "$filter",
    "reporters": ["html", "json", "progress", "cleartext"]
  }
}
JSON
  (cd "$root/tests/Breaker.Runtime.Tests" && dotnet stryker --config-file "$out/stryker-config.json" --output "$out")
}

if $each; then
  for f in "${files[@]}"; do
    run "$root/artifacts/mutation/$(basename "$f" .cs)" "$f"
  done
else
  run "$root/artifacts/mutation" "${files[@]}"
fi
