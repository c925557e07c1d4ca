#!/usr/bin/env bash
# What bounds `pledge buy --dry-run`: the same dry run (a) as `java -jar pledge.jar` (Spring Boot's
# nested-jar launcher), (b) from a flat class path, (c) from a flat class path with an AppCDS archive.
# Prints the median wall time of each over N runs (default 10). Needs app/target/pledge.jar; starts
# the emulator (`pledge emulator`) on a free loopback port for the price lookup and stops it after.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
n="${1:-10}"
work="$(mktemp -d /tmp/pledge-cli-cds.XXXXXX)"
trap 'kill "$emulator_pid" 2>/dev/null || true; rm -rf "$work"' EXIT
cp "$root/app/target/pledge.jar" "$work/pledge.jar"
(cd "$work" && mkdir x && cd x && unzip -q ../pledge.jar && cd BOOT-INF/classes && jar cf "$work/classes.jar" .)
cp="$work/classes.jar:$(ls "$work"/x/BOOT-INF/lib/*.jar | tr '\n' ':')"
cp="${cp%:}"
port=$((40000 + RANDOM % 20000))
java -XX:TieredStopAtLevel=1 -jar "$work/pledge.jar" emulator --port "$port" > "$work/emulator.log" 2>&1 &
emulator_pid=$!
for _ in $(seq 1 120); do grep -q listening "$work/emulator.log" 2>/dev/null && break; sleep 0.5; done
args=(buy --dry-run --type aws-rds --account 111122223333 --region us-east-1 --offering db.r6g.large --term 1y
      --payment no-upfront --token bench-cli --endpoint "http://127.0.0.1:$port" --output json)
jvm=(-XX:TieredStopAtLevel=1 -XX:+UseSerialGC)
java "${jvm[@]}" -XX:ArchiveClassesAtExit="$work/app.jsa" -cp "$cp" dev.pledge.app.cli.PledgeCommand "${args[@]}" > /dev/null
ms() { local t0 t1; t0=$(date +%s%N); "$@" > /dev/null 2>&1; t1=$(date +%s%N); echo $(( (t1 - t0) / 1000000 )); }
median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2 ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2)}'; }
: > "$work/jar"; : > "$work/flat"; : > "$work/cds"
for _ in $(seq 1 "$n"); do
  ms java "${jvm[@]}" -jar "$work/pledge.jar" "${args[@]}" >> "$work/jar"
  ms java "${jvm[@]}" -cp "$cp" dev.pledge.app.cli.PledgeCommand "${args[@]}" >> "$work/flat"
  ms java "${jvm[@]}" -XX:SharedArchiveFile="$work/app.jsa" -cp "$cp" dev.pledge.app.cli.PledgeCommand "${args[@]}" >> "$work/cds"
done
echo "{\"experiment\":\"cli-dry-run-class-loading\",\"n\":$n,\"jar_median_ms\":$(median < "$work/jar"),\"flat_classpath_median_ms\":$(median < "$work/flat"),\"flat_classpath_appcds_median_ms\":$(median < "$work/cds"),\"load_avg_1m\":$(cut -d' ' -f1 /proc/loadavg),\"cores\":$(nproc)}"
