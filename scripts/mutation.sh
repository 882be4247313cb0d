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

mutate=()
for f in "${files[@]}"; do
  [ -f "src/Breaker.Runtime/$f" ] || { echo "no file src/Breaker.Runtime/$f" >&2; exit 2; }
  mutate+=(--mutate "**/$f")
done

dotnet tool restore >/dev/null
out="$(pwd)/artifacts/mutation"
mkdir -p "$out"
cd tests/Breaker.Runtime.Tests
dotnet stryker \
  --project Breaker.Runtime.csproj \
  --configuration Release \
  --ignore-mutations block --ignore-mutations statement \
  --reporter html --reporter json --reporter progress --reporter cleartext \
  --output "$out" \
  "${mutate[@]}"
