#!/usr/bin/env python3
"""Top frames of a JDK Flight Recorder file's execution samples.

    bench/jfr-top.py recording.jfr [--threads pledge-worker-] [--top 25] [--ours dev.pledge.]

Reads `jfr print --json --events jdk.ExecutionSample` and prints, for the samples of the threads
whose name starts with --threads (all threads if empty):
  - self: the top frame of each sample (where the CPU was), by method;
  - cumulative: every method on the stack, counted once per sample, for methods of --ours packages;
  - by package: the top frame's package (where the CPU was, by library).
Percentages are of the selected samples.
"""
import argparse
import collections
import json
import subprocess
import sys


def frames_of(event):
    st = event["values"].get("stackTrace") or {}
    out = []
    for f in st.get("frames") or []:
        m = f.get("method") or {}
        t = (m.get("type") or {}).get("name", "?")
        out.append(t.replace("/", ".") + "." + m.get("name", "?"))
    return out


def thread_of(event):
    t = event["values"].get("sampledThread") or {}
    return t.get("javaName") or t.get("osName") or ""


def package(method):
    parts = method.split(".")
    # class is the last part before the method name; keep the package (at most 4 parts)
    pkg = [p for p in parts[:-2]]
    return ".".join(pkg[:4]) if pkg else "?"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("jfr")
    ap.add_argument("--threads", default="pledge-worker-")
    ap.add_argument("--top", type=int, default=25)
    ap.add_argument("--ours", default="dev.pledge.")
    a = ap.parse_args()
    raw = subprocess.run(["jfr", "print", "--json", "--stack-depth", "200", "--events", "jdk.ExecutionSample",
                          a.jfr], check=True, capture_output=True, text=True).stdout
    events = json.loads(raw)["recording"]["events"]
    selected = [e for e in events if thread_of(e).startswith(a.threads)]
    n = len(selected)
    print(f"# {a.jfr}: {len(events)} execution samples, {n} on threads '{a.threads}*'")
    if n == 0:
        return
    self_count = collections.Counter()
    cum = collections.Counter()
    pkg = collections.Counter()
    for e in selected:
        fr = frames_of(e)
        if not fr:
            continue
        self_count[fr[0]] += 1
        pkg[package(fr[0])] += 1
        for m in set(fr):
            if m.startswith(a.ours):
                cum[m] += 1

    def table(title, counter):
        print(f"\n## {title}")
        print("| % | samples | frame |")
        print("|---:|---:|---|")
        for m, c in counter.most_common(a.top):
            print(f"| {100.0 * c / n:.1f} | {c} | `{m}` |")

    table("self (top frame)", self_count)
    table("self, by package of the top frame", pkg)
    table(f"cumulative (on the stack), {a.ours}* only", cum)


if __name__ == "__main__":
    sys.exit(main())
