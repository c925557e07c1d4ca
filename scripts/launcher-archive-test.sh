#!/usr/bin/env bash
# Checks the ./pledge launcher's start-up archive as a sequence of ordinary events, on a copy of the
# launcher and of app/target/pledge.jar in a temporary directory (the repository's own app/target is
# not touched):
#   1. first use: extracts the jar, records the archive, silently; the archive loads;
#   2. second use: nothing recorded again, nothing said, the archive loads;
#   3. a jar of the extracted layout changes (its time): the next launch records the archive again,
#      once, and says so on stderr; the one after says nothing, and the archive loads again;
#   4. `java` on the PATH becomes another file (a copy of the JDK): the next launch records again and
#      says so; going back to the first java records again too;
#   5. a link on the PATH to the same java binary is the same java: nothing recorded;
#   6. app/target/pledge.jar is rebuilt (newer): the next launch extracts and records again, says so.
# Needs app/target/pledge.jar (mvn -B -q -o -pl app -am package -DskipTests). Takes about a minute.
# Prints "ok" per step; exits non-zero at the first failure, with what was expected and seen.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
[[ -f "$repo/app/target/pledge.jar" ]] || { echo "needs $repo/app/target/pledge.jar" >&2; exit 2; }
work="$(mktemp -d /tmp/pledge-launcher-test.XXXXXX)"
trap 'rm -rf "$work"' EXIT

# a repository root as the launcher sees it: sources older than the jar, so it does not rebuild
root="$work/repo"
mkdir -p "$root/app/target" "$root/common" "$root/providers"
cp "${PLEDGE_LAUNCHER:-$repo/pledge}" "$root/pledge"   # PLEDGE_LAUNCHER: another launcher to check
touch -d '2000-01-01' "$root/pom.xml"
cp "$repo/app/target/pledge.jar" "$root/app/target/pledge.jar"
cli="$root/app/target/pledge-cli"

fail() { echo "FAIL: $*" >&2; exit 1; }

# runs ./pledge --version; sets $err (its stderr) and $top (classes it loaded from the dynamic archive)
launch() {
  local out
  out="$(PLEDGE_JAVA_OPTS=-Xlog:class+load=info "$root/pledge" --version 2>"$work/err")" || fail "pledge --version failed: $(cat "$work/err")"
  err="$(cat "$work/err")"
  top="$(grep -c 'shared objects file (top)' <<< "$out" || true)"
  grep -q '^pledge ' <<< "$out" || fail "no version line in: $out"
}
recorded_at() { stat -c %Y.%y "$cli/pledge.jsa" 2>/dev/null || echo none; }
expect_silent_and_loaded() {
  [[ -z "$err" ]] || fail "$1: expected nothing on stderr, saw: $err"
  (( top > 0 )) || fail "$1: the start-up archive did not load"
}
expect_recorded_once() {
  grep -q 'recording it again\|recording the start-up archive again' <<< "$err" || fail "$1: expected the launcher to say it records again, stderr: $err"
  (( $(grep -c 'again' <<< "$err") == 1 )) || fail "$1: said more than once: $err"
  (( top > 0 )) || fail "$1: the archive recorded again did not load"
}

launch
expect_silent_and_loaded "first use"
first="$(recorded_at)"
echo "ok 1 first use records the archive silently and it loads ($top classes)"

launch
expect_silent_and_loaded "second use"
[[ "$(recorded_at)" == "$first" ]] || fail "second use recorded the archive again"
echo "ok 2 second use: nothing recorded, archive loads"

sleep 1.1
touch "$cli/lib/picocli-"*.jar
launch
expect_recorded_once "a jar changed"
[[ "$(recorded_at)" != "$first" ]] || fail "a jar changed but the archive was not recorded again"
again="$(recorded_at)"
launch
expect_silent_and_loaded "after recording again"
[[ "$(recorded_at)" == "$again" ]] || fail "recorded a second time"
echo "ok 3 a changed jar: recorded again once, said on stderr; next launch silent and loaded"

# another java: a copy of the JDK in use (another file, same version)
java_home="$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")"
cp -a "$java_home" "$work/jdk"
PATH="$work/jdk/bin:$PATH" launch
expect_recorded_once "another java"
PATH="$work/jdk/bin:$PATH" launch
expect_silent_and_loaded "another java, second launch"
launch
expect_recorded_once "back to the first java"
echo "ok 4 another java on the PATH: recorded again once and said; and again when back"

mkdir -p "$work/links"
ln -s "$(readlink -f "$(command -v java)")" "$work/links/java"
before="$(recorded_at)"
PATH="$work/links:$PATH" launch
expect_silent_and_loaded "a link to the same java"
[[ "$(recorded_at)" == "$before" ]] || fail "a link to the same java recorded the archive again"
echo "ok 5 a link to the same java: nothing recorded"

sleep 1.1
touch "$root/app/target/pledge.jar"
launch
expect_recorded_once "pledge.jar rebuilt"
launch
expect_silent_and_loaded "after pledge.jar rebuilt"
echo "ok 6 a newer pledge.jar: extracted and recorded again once, said on stderr"
echo "all ok"
