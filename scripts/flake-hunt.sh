#!/usr/bin/env bash
# Repeats test projects to catch flaky tests: builds each project once, then runs it N times with --no-build (so the
# repetitions measure the tests, not the build), optionally while busy loops keep every core loaded. Prints each run's
# counts, then one summary line; exits non-zero when any run failed. README.md says when to use it.
set -uo pipefail
cd "$(dirname "$0")/.."

usage() {
  cat <<'USAGE'
usage: scripts/flake-hunt.sh [--runs N] [--load [N]] [--load-limit SECONDS] [--filter EXPR] [--long SEQUENCES] [PROJECT...]

  PROJECT           a test project: a path (tests/Breaker.Redis.Tests) or its short name (Redis);
                    default: Redis AspNetCore Http
  --runs N          how many times each project runs (default 5)
  --load [N]        run N busy loops (default: one per core) while the tests run; they stop when the script ends, and
                    by themselves after --load-limit seconds even if it is killed
  --load-limit S    the longest the background load may live, in seconds, even if this script is killed (default 7200)
  --filter EXPR     passed to dotnet test --filter (run only some tests)
  --long SEQUENCES  the keyed model-based test (Runtime's KeyedModelBasedTests) runs this many random sequences
                    instead of the 10,000 of a normal run; e.g. --long 200000 --filter KeyedModelBasedTests Runtime
  e.g. the keyed model-based test 20 times beside 4 busy processes:
       scripts/flake-hunt.sh --runs 20 --load 4 --filter KeyedModelBasedTests Runtime
USAGE
}

runs=5
load=false
load_count=""
load_limit=7200
filter=""
long=""
projects=()
value() { [ $# -ge 2 ] || { echo "$1 needs a value" >&2; usage >&2; exit 2; }; }
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) value "$@"; runs="$2"; shift 2 ;;
    --load)
      load=true
      if [[ "${2:-}" =~ ^[0-9]+$ ]]; then load_count="$2"; shift 2; else shift; fi ;;
    --load-limit) value "$@"; load_limit="$2"; shift 2 ;;
    --filter) value "$@"; filter="$2"; shift 2 ;;
    --long) value "$@"; long="$2"; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    -*) echo "unknown option: $1" >&2; usage >&2; exit 2 ;;
    *) projects+=("$1"); shift ;;
  esac
done
[[ "$runs" =~ ^[1-9][0-9]*$ ]] || { echo "--runs takes a whole number of at least 1" >&2; exit 2; }
[ -z "$load_count" ] || [[ "$load_count" =~ ^[1-9][0-9]*$ ]] || { echo "--load takes a number of busy loops of at least 1" >&2; exit 2; }
[[ "$load_limit" =~ ^[1-9][0-9]*$ ]] || { echo "--load-limit takes a whole number of seconds" >&2; exit 2; }
[ -z "$long" ] || [[ "$long" =~ ^[1-9][0-9]*$ ]] || { echo "--long takes a whole number of sequences" >&2; exit 2; }
[ -z "$long" ] || export BREAKER_MODEL_SEQUENCES="$long"
[ ${#projects[@]} -gt 0 ] || projects=(Redis AspNetCore Http)

# Resolve short names to project folders.
paths=()
for p in "${projects[@]}"; do
  if [ -d "$p" ]; then
    paths+=("${p%/}")
  elif [ -d "tests/Breaker.$p.Tests" ]; then
    paths+=("tests/Breaker.$p.Tests")
  else
    echo "no test project named $p (tried $p and tests/Breaker.$p.Tests)" >&2
    exit 2
  fi
done

echo "flake-hunt: ${paths[*]}, $runs runs each$($load && echo ", under load")${filter:+, filter $filter}${long:+, $long keyed model sequences}"
results="$(pwd)/artifacts/flake-hunt"
rm -rf "$results"
mkdir -p "$results"

for path in "${paths[@]}"; do
  echo "Building $path..."
  dotnet build "$path" -c Release -v quiet -nologo >"$results/build-$(basename "$path").log" 2>&1 \
    || { cat "$results/build-$(basename "$path").log" >&2; echo "flake-hunt: the build of $path failed" >&2; exit 1; }
done

load_pids=()
stop_load() {
  if [ ${#load_pids[@]} -gt 0 ]; then
    kill "${load_pids[@]}" 2>/dev/null
    wait "${load_pids[@]}" 2>/dev/null
    load_pids=()
  fi
}
trap stop_load EXIT
trap 'exit 130' INT TERM
if $load; then
  cores=${load_count:-$(nproc 2>/dev/null || echo 2)}
  for _ in $(seq "$cores"); do
    # Bounded by timeout even if this script dies without running its trap.
    timeout "$load_limit" sh -c 'while :; do :; done' &
    load_pids+=($!)
  done
  echo "Background load: $cores busy loops (at most ${load_limit}s)."
fi

# Prints "passed failed skipped" summed over the TRX files given.
counts() {
  for f in "$@"; do grep -o '<Counters [^>]*>' "$f"; done | awk '
    { for (i = 1; i <= NF; i++) { split($i, kv, "="); gsub(/[">\/]/, "", kv[2]); c[kv[1]] += kv[2] } }
    END { printf "%d %d %d\n", c["passed"], c["failed"] + c["error"] + c["timeout"] + c["aborted"], c["notExecuted"] + c["inconclusive"] }'
}

total_runs=0
failed_runs=0
total_passed=0
total_failed=0
started=$SECONDS
for path in "${paths[@]}"; do
  name=$(basename "$path")
  project_failed_runs=0
  mkdir -p "$results/$name"
  for run in $(seq "$runs"); do
    dir="$results/$name/run-$run"
    args=(test "$path" -c Release --no-build --logger trx --results-directory "$dir"
          --blame-hang-timeout 10m --blame-hang-dump-type none)
    [ -n "$filter" ] && args+=(--filter "$filter")
    run_start=$SECONDS
    dotnet "${args[@]}" >"$dir.log" 2>&1
    status=$?
    shopt -s nullglob
    trx=("$dir"/*.trx)
    shopt -u nullglob
    if [ ${#trx[@]} -gt 0 ]; then
      read -r passed failed skipped < <(counts "${trx[@]}")
    else
      passed=0 failed=0 skipped=0
    fi
    if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
    total_runs=$((total_runs + 1))
    total_passed=$((total_passed + passed))
    total_failed=$((total_failed + failed))
    line="$name run $run/$runs: $passed passed, $failed failed"
    [ "$skipped" -gt 0 ] && line+=", $skipped skipped"
    line+=" ($((SECONDS - run_start)) s)"
    if [ "$failed" -gt 0 ]; then
      failed_runs=$((failed_runs + 1))
      project_failed_runs=$((project_failed_runs + 1))
      echo "$line  FAILED, log: $dir.log"
      for f in "${trx[@]}"; do
        grep -o '<UnitTestResult [^>]*outcome="Failed"' "$f" | sed 's/.*testName="\([^"]*\)".*/    failed: \1/'
      done
      [ ${#trx[@]} -eq 0 ] && echo "    no test results were written (the run crashed or hung); see the log"
    else
      echo "$line"
    fi
  done
  echo "$name: $((runs - project_failed_runs))/$runs runs passed"
done

echo "flake-hunt: $total_runs runs, $failed_runs failed; $total_passed tests passed, $total_failed failed ($((SECONDS - started)) s$($load && echo ", under load"))"
[ "$failed_runs" -eq 0 ]
