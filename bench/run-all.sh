#!/usr/bin/env bash
# Runs every benchmark scenario with --runs 3 (the figures in docs/performance.md) and appends the
# JSON lines to bench/results/<UTC date>.jsonl; progress goes to bench/results/<UTC date>.log.
# Build first: mvn -B -q -pl bench package -DskipTests (and app/target/pledge.jar for cli-start).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
# run from copies: a rebuild of bench/ or app/ while a scenario runs would pull classes out from under it
work="$(mktemp -d /tmp/pledge-bench-run.XXXXXX)"
cp bench/target/pledge-bench.jar "$work/pledge-bench.jar"
cp app/target/pledge.jar "$work/pledge.jar"
jar="$work/pledge-bench.jar"
stamp="$(date -u +%Y-%m-%d)"
out="${OUT:-bench/results/$stamp.jsonl}"
log="${LOG:-bench/results/$stamp.log}"
runs="${RUNS:-3}"
scenarios=("$@")
if [[ ${#scenarios[@]} -eq 0 ]]; then
  scenarios=(engine-throughput engine-throughput-no-cloud approval-latency summary-scale api-throughput recovery
             cli-start cli-start-azure cli-start-gcp)
fi
for s in "${scenarios[@]}"; do
  scenario="$s"
  case "$s" in
    engine-throughput) args=(--executions 5000 --items 1 --workers 4) ;;
    engine-throughput-no-cloud)
      scenario=engine-throughput
      args=(--executions 5000 --items 1 --workers 4 --executor none) ;;
    approval-latency)  args=(--n 500) ;;
    summary-scale)     args=(--rows 1000000) ;;
    recovery)          args=(--lease 10s) ;;
    recovery-30s-sweep)
      scenario=recovery
      args=(--lease 10s --app pledge.engine.lease-sweep-interval=30s --app pledge.engine.lease-sweep-deadline=20s) ;;
    api-throughput)    args=(--clients 16) ;;
    cli-start)         args=(--jar "$work/pledge.jar") ;;
    cli-start-azure)
      scenario=cli-start
      args=(--jar "$work/pledge.jar" --type azure-reservation --region westeurope --offering Standard_D2s_v3
            --payment monthly) ;;
    cli-start-gcp)
      scenario=cli-start
      args=(--jar "$work/pledge.jar" --type gcp-compute --region europe-west1 --offering GENERAL_PURPOSE_N2
            --payment "" --attribute vcpus=4 --attribute memoryMb=16384) ;;
    *)                 args=() ;;
  esac
  echo "== $s ${args[*]} --runs $runs" | tee -a "$log" >&2
  java -jar "$jar" "$scenario" "${args[@]}" --runs "$runs" >> "$out" 2>> "$log" \
    || echo "== $s failed with exit code $? (see $log)" | tee -a "$log" >&2
done
rm -rf "$work"
echo "results appended to $out" >&2
