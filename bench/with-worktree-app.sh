#!/usr/bin/env bash
# Copies bench/target/pledge-bench.jar to $1 with the pledge-app jar inside it replaced by this
# worktree's (app/target/pledge.jar.original), so the bench measures the app as built here without
# `mvn install`: a reactor `package` of bench resolves pledge-app from ~/.m2, whatever was installed
# there last. Build first: mvn -B -q -o -pl bench -am package -DskipTests
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="${1:?usage: bench/with-worktree-app.sh <output jar>}"
app="$root/app/target/pledge.jar.original"
[[ -f "$app" ]] || { echo "no $app: build the app first" >&2; exit 1; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cp "$root/bench/target/pledge-bench.jar" "$work/bench.jar"
entry="$(unzip -Z1 "$work/bench.jar" | grep -E '^BOOT-INF/lib/pledge-app-[^/]*\.jar$')"
mkdir -p "$work/$(dirname "$entry")"
cp "$app" "$work/$entry"
# nested jars must stay stored (uncompressed) for Spring Boot's loader
(cd "$work" && zip -q -0 bench.jar "$entry")
cp "$work/bench.jar" "$out"
echo "$out: pledge-bench with $(basename "$entry") from $app" >&2
