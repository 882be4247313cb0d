#!/usr/bin/env bash
# Mutation testing of the runtime's state machine, windows, keyed groups and test scopes with Stryker.NET (a dotnet tool
# pinned in .config/dotnet-tools.json), run by Breaker.Runtime.Tests. Block and statement mutations are ignored, as in
# Polly's configuration. Outside CI: it takes many minutes (each mutant batch reruns the tests).
#
# usage: scripts/mutation.sh [FILE...]   files under src/Breaker.Runtime (default: the set below); the HTML and JSON
#        reports land in artifacts/mutation/.
set -euo pipefail
cd "$(dirname "$0")/.."

files=("$@")
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

# Block and statement mutations are ignored through the configuration file (Stryker.NET has no flag for them).
mutate=""
for f in "${files[@]}"; do
  [ -f "src/Breaker.Runtime/$f" ] || { echo "no file src/Breaker.Runtime/$f" >&2; exit 2; }
  mutate+="${mutate:+, }\"**/$f\""
done

dotnet tool restore >/dev/null
out="$(pwd)/artifacts/mutation"
mkdir -p "$out"
cat >"$out/stryker-config.json" <<JSON
{
  "stryker-config": {
    "project": "Breaker.Runtime.csproj",
    "test-projects": ["$(pwd)/tests/Breaker.Runtime.Tests/Breaker.Runtime.Tests.csproj"],
    "configuration": "Release",
    "mutate": [$mutate],
    "ignore-mutations": ["block", "statement"],
    "reporters": ["html", "json", "progress", "cleartext"]
  }
}
JSON
cd tests/Breaker.Runtime.Tests
dotnet stryker --config-file "$out/stryker-config.json" --output "$out"
