#!/usr/bin/env python3
"""Nexmark q0-q8: SQL vs the DataStream API vs the hand-written loops, on the same events.

For each query, three processes run to the end on the same N generated events (seed 42):
  loop        glint_nexmark_bench --loop-only --queries qN --events N
  datastream  glint nexmark run --query qN --events N -p P          (blackhole sink)
  sql         glint sql -p P -f <queries/nexmark/qN.sql with 'events.num' = N> (blackhole sink)
Each run is measured from outside: wall time, CPU time of the child (user + sys, from
getrusage(RUSAGE_CHILDREN)), the cores other processes kept busy meanwhile and the time the
hypervisor took the VM's cores away (steal), both from /proc/stat.
With --repeat R the three processes run in turn R times (loop, DataStream, SQL, loop, ...), so
that a slow phase of a shared host falls on both sides of a ratio; each rate is the run with the
median CPU time, each ratio the median of the R paired ratios. Prints a Markdown table.

Usage: scripts/bench_sql.py [--build build/sqlrel] [--events 10000000] [--parallelism 2]
                            [--queries q0,q1,...] [--repeat 3]
`make bench-sql` runs it on the default build.
"""
import argparse
import os
import re
import resource
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DATASTREAM_QUERIES = {"q0", "q1", "q2", "q3", "q4", "q5", "q7", "q8"}
LOOP_QUERIES = DATASTREAM_QUERIES


def machine_seconds():
    """(busy, steal) CPU-seconds of the whole machine so far."""
    with open("/proc/stat") as f:
        fields = [int(x) for x in f.readline().split()[1:]]
    idle = fields[3] + fields[4]  # idle + iowait
    steal = fields[7] if len(fields) > 7 else 0
    tick = os.sysconf("SC_CLK_TCK")
    return (sum(fields) - idle - steal) / tick, steal / tick


def run_once(command):
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    busy_before, steal_before = machine_seconds()
    start = time.monotonic()
    done = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    wall = time.monotonic() - start
    busy_after, steal_after = machine_seconds()
    busy = busy_after - busy_before
    steal = steal_after - steal_before
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        sys.exit("failed (%d): %s\n%s%s" % (done.returncode, " ".join(command), done.stdout,
                                            done.stderr))
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    others = max(0.0, (busy - cpu) / wall) if wall > 0 else 0.0
    return {"wall": wall, "cpu": cpu, "others": others,
            "steal": steal / wall if wall > 0 else 0.0}


def median(values):
    values = sorted(values)
    return values[len(values) // 2]


def measure_interleaved(commands, repeat):
    """Runs each command (None: skipped) once per round, `repeat` rounds; per command its runs."""
    runs = [[] for _ in commands]
    for _ in range(repeat):
        for i, command in enumerate(commands):
            if command:
                runs[i].append(run_once(command))
    return runs


def sql_script(query, events, directory):
    with open(os.path.join(ROOT, "queries", "nexmark", query + ".sql")) as f:
        text = f.read()
    text = re.sub(r"'events\.num'\s*=\s*'\d+'", "'events.num' = '%d'" % events, text)
    path = os.path.join(directory, query + ".sql")
    with open(path, "w") as f:
        f.write(text)
    return path


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--build", default=os.path.join(ROOT, "build", "sqlrel"))
    parser.add_argument("--events", type=int, default=10_000_000)
    parser.add_argument("--parallelism", type=int, default=2)
    # q6 is left out: as Flink's suite writes it (an OVER window over a GROUP BY that does not
    # group by dateTime) it does not bind, in Flink either.
    parser.add_argument("--queries", default="q0,q1,q2,q3,q4,q5,q7,q8")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    glint = os.path.join(args.build, "glint")
    loop_bench = os.path.join(args.build, "glint_nexmark_bench")
    for binary in (glint, loop_bench):
        if not os.path.exists(binary):
            sys.exit("missing %s: build it (ninja -C %s glint glint_nexmark_bench)" %
                     (binary, args.build))
    commit = subprocess.run(["git", "-C", ROOT, "rev-parse", "--short", "HEAD"],
                            stdout=subprocess.PIPE, text=True).stdout.strip()
    with open("/proc/loadavg") as f:
        load = " ".join(f.read().split()[:3])
    print("events %d, parallelism %d, repeat %d (median CPU run), commit %s, load average %s"
          % (args.events, args.parallelism, args.repeat, commit, load))
    print()
    print("| query | loop ev/CPU-s | DataStream ev/CPU-s | SQL ev/CPU-s | SQL/DataStream CPU | "
          "SQL/loop CPU | SQL wall s | DataStream wall s | others (cores) | steal (cores) |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    n = args.events
    with tempfile.TemporaryDirectory() as directory:
        for q in args.queries.split(","):
            loop_command = ds_command = None
            if q in LOOP_QUERIES:
                loop_command = [loop_bench, "--loop-only", "--queries", q, "--events", str(n)]
            if q in DATASTREAM_QUERIES:
                ds_command = [glint, "nexmark", "run", "--query", q, "--events", str(n), "-p",
                              str(args.parallelism)]
            sql_command = [glint, "sql", "-p", str(args.parallelism), "-f",
                           sql_script(q, n, directory)]
            loop_runs, ds_runs, sql_runs = measure_interleaved(
                [loop_command, ds_command, sql_command], args.repeat)

            def median_run(runs):
                return sorted(runs, key=lambda r: r["cpu"])[len(runs) // 2] if runs else None

            loop, ds, sql = median_run(loop_runs), median_run(ds_runs), median_run(sql_runs)

            def rate(r):
                return "%.2f M" % (n / r["cpu"] / 1e6) if r else "-"

            def ratio(a_runs, b_runs):
                if not a_runs or not b_runs:
                    return "-"
                return "%.2f" % median(a["cpu"] / b["cpu"] for a, b in zip(a_runs, b_runs))

            every = loop_runs + ds_runs + sql_runs
            others = max(r["others"] for r in every)
            steal = max(r["steal"] for r in every)
            print("| %s | %s | %s | %s | %s | %s | %.2f | %s | %.2f | %.2f |" %
                  (q, rate(loop), rate(ds), rate(sql), ratio(sql_runs, ds_runs),
                   ratio(sql_runs, loop_runs), sql["wall"], "%.2f" % ds["wall"] if ds else "-",
                   others, steal), flush=True)

if __name__ == "__main__":
    main()
