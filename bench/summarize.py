#!/usr/bin/env python3
"""Prints the median lines of a pledge-bench results file as the Markdown table in docs/performance.md.

usage: bench/summarize.py bench/results/<date>.jsonl
The last median line of each scenario (and of each recovery configuration) wins.
"""
import json
import sys

ROWS = [
    # scenario, field, label, target, check(value) -> bool or None
    ("engine-throughput", "executions_per_s", "engine: executions/s ({executions} executions x {items} item, {workers} workers)", "", None),
    ("engine-throughput", "dbscheduler_per_s", "db-scheduler 16.12.0: no-op tasks/s, same run, same database", "", None),
    ("engine-throughput", "ratio", "ratio ours / db-scheduler", ">= 1", lambda v: v >= 1),
    ("engine-throughput", "commits_per_execution", "commits per single-item execution", "<= 4", lambda v: v <= 4),
    ("engine-throughput", "dbscheduler_commits_per_task", "db-scheduler commits per task", "", None),
    ("engine-throughput", "cpu_ms_per_execution_app", "engine: CPU ms per execution, bench JVM (process; with the cloud also the SDK and the in-process emulator)", "", None),
    ("engine-throughput", "cpu_ms_per_execution_app_threads", "engine: CPU ms per execution, worker threads alone", "", None),
    ("engine-throughput", "cpu_ms_per_execution_db", "engine: CPU ms per execution, PostgreSQL server", "", None),
    ("engine-throughput", "dbscheduler_cpu_ms_per_task_app", "db-scheduler: CPU ms per task, bench JVM (process)", "", None),
    ("engine-throughput", "dbscheduler_cpu_ms_per_task_db", "db-scheduler: CPU ms per task, PostgreSQL server", "", None),
    ("engine-throughput", "cpu_ratio_ours_to_dbscheduler", "CPU per unit of work, ours / db-scheduler (JVM + PostgreSQL)", "", None),
    ("engine-throughput", "pg_commits_per_s", "PostgreSQL single-row commits/s (4 connections)", "", None),
    ("engine-throughput", "commit_bound_executions_per_s", "commit-bound executions/s (commits/s / commits per execution)", "", None),
    ("approval-latency", "p50_ms", "approve response -> purchase at the emulator, p50 ms (n {n})", "<= 50", lambda v: v <= 50),
    ("approval-latency", "p95_ms", "... p95 ms", "", None),
    ("approval-latency", "p99_ms", "... p99 ms", "<= 250", lambda v: v <= 250),
    ("summary-scale", "summary_p50_ms", "summary endpoint at {rows} executions, p50 ms", "", None),
    ("summary-scale", "summary_p99_ms", "summary endpoint at {rows} executions, p99 ms", "<= 10", lambda v: v <= 10),
    ("summary-scale", "list_p50_ms", "first list page (50) at {rows} executions, p50 ms", "", None),
    ("summary-scale", "list_p99_ms", "first list page (50) at {rows} executions, p99 ms", "", None),
    ("recovery", "recovery_s", "recovery after kill -9, s (lease 10 s)", "<= 20", lambda v: v <= 20),
    ("recovery", "commitments", "commitments after recovery", "= 1", lambda v: v == 1),
    ("api-throughput", "approvals_per_s", "approvals/s over HTTP, {clients} clients, engine {engine} ({approvals} timed)", "", None),
    ("api-throughput", "p99_ms", "approve call p99 ms, {clients} clients", "", None),
    ("cli-start", "median_ms", "`./pledge buy --dry-run --type {type}` median wall time as users run it (fresh clone, launcher included), ms", "<= 500", lambda v: v <= 500),
    ("cli-start", "launcher_cds_loaded", "the launcher's start-up archive loaded ({type})", "= true", lambda v: v is True),
    ("cli-start", "prepared_copy_median_ms", "same dry run on the harness's prepared copy of the launcher layout ({type}), ms", "", None),
    ("cli-start", "boot_jar_median_ms", "same dry run from the Boot jar (`java -jar pledge.jar`), ms", "", None),
]

# run-by-run figures printed under the table (the prose cites them: the spread, the JIT's first run)
RUN_FIELDS = [
    ("executions_per_s", "executions/s"),
    ("dbscheduler_per_s", "db-scheduler tasks/s"),
]


def shown_key(key):
    """A scenario key as the table shows it: 'engine-throughput (executor none)'."""
    for scenario in dict.fromkeys(row[0] for row in ROWS):
        if key.startswith(scenario + " "):
            return f"{scenario} ({key[len(scenario) + 1:]})"
    return key


def cli_type(line):
    """The --type of a cli-start line's command, or None."""
    words = line.get("command", "").split()
    i = words.index("--type") + 1 if "--type" in words else len(words)
    return words[i] if i < len(words) else None


def main(path):
    medians = {}
    singles = {}
    started = {}   # scenario key -> its first line (load at start), in the order they ran
    per_run = {}   # scenario key -> its run lines, in order (reset by a later set of the same key)
    for raw in open(path):
        raw = raw.strip()
        if not raw.startswith("{"):
            continue
        line = json.loads(raw)
        key = line["scenario"]
        if key == "recovery":
            key += " sweep " + str(line.get("lease_sweep_interval"))
        if key == "engine-throughput" and line.get("executor", "cloud") != "cloud":
            key += " executor " + line["executor"]
        if key == "cli-start" and cli_type(line):
            key += " " + cli_type(line)
        if line.get("aggregate") == "median":
            medians[key] = line
        else:
            singles[key] = dict(line, runs=1)
            if line.get("run") == 1 or key not in per_run:
                per_run[key] = []
                started.pop(key, None)
            started.setdefault(key, line)
            per_run[key].append(line)
    # a configuration run only once has no median line: show that run, marked "1 runs"
    for key, line in singles.items():
        medians.setdefault(key, line)
    print("| figure | median of runs | target | status |")
    print("|---|---|---|---|")
    for scenario, field, label, target, check in ROWS:
        keys = [k for k in medians if k == scenario or k.startswith(scenario + " ")]
        for k in keys:
            line = medians[k]
            value = line.get(field)
            if value is None:
                continue
            suffix = "" if k == scenario else " (" + k[len(scenario) + 1:] + ")"
            if scenario == "cli-start" and k != scenario:
                suffix = ""
            status = "" if check is None else ("met" if check(value) else "**missed**")
            fields = {k: (int(v) if isinstance(v, float) and v.is_integer() else v) for k, v in line.items()}
            if scenario == "cli-start":
                fields["type"] = cli_type(line) or "?"
            shown = label.format(**fields)
            if scenario == "cli-start" and field == "median_ms" and "user_command" not in line:
                # results recorded before the harness timed ./pledge itself: the figure is the prepared copy's
                shown = f"`pledge buy --dry-run --type {fields['type']}` median wall time on the harness's prepared copy (./pledge itself not timed in this set), ms"
                status = ""
                print(f"| {shown}{suffix} | {value} ({line.get('runs')} runs) |  |  |")
                continue
            print(f"| {shown}{suffix} | {value} ({line.get('runs')} runs) | {target} | {status} |")
    any_line = next(iter(medians.values()), None)
    if any_line:
        m = any_line["machine"]
        pg = m.get("postgresql", {})
        print()
        print(f"Machine: {m['cores']} cores ({m['cpu']}), {m['memory_gb']} GB, {m['os']}, {m['jdk']}; "
              f"PostgreSQL {pg.get('version')} ({pg.get('source')}, fsync={pg.get('fsync')}, "
              f"synchronous_commit={pg.get('synchronous_commit')}, shared_buffers={pg.get('shared_buffers')}).")
        # per scenario, in the order they ran: a sorted list of loads once led the prose to pin 9.26 (recovery)
        # on the first engine run (2.29)
        loads = [f"{shown_key(k)} {line['machine'].get('load_avg_1m_at_start')}" for k, line in started.items()]
        print(f"1-minute load average when each scenario started: {', '.join(loads)}.")
        for key, runs in per_run.items():
            shown = "; ".join(f"{label} {', '.join(str(r.get(field)) for r in runs)}"
                              for field, label in RUN_FIELDS if runs[0].get(field) is not None)
            if len(runs) > 1 and shown:
                print(f"Runs of {shown_key(key)}, in order: {shown}.")
        print(f"Source: `{path}`, tabulated by `bench/summarize.py`.")


if __name__ == "__main__":
    main(sys.argv[1])
