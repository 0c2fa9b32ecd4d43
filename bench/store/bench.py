#!/usr/bin/env python3
"""The history database: rows per second `push` writes to SQLite and PostgreSQL for one large
scan, and how long `history` takes over a year of daily scans of 10 branches.

    bench/store/bench.py --flakegrab build/cli/flakegrab [--markers 50000] [--days 365]
                         [--branches 10] [--per-branch 600] [--repeat 3] [--work /tmp/...]

Data is generated (fixed seed) as scan documents in the shape `dump` writes (test ids with
classes and parameters, reasons, tickets, args) and pushed with `push --from`, as a job that
scans elsewhere would. PostgreSQL is a throwaway cluster (initdb, loopback, fsync on) started
and stopped here; as root its files belong to the `postgres` user. Medians over --repeat.
"""
import argparse
import json
import os
import pwd
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from bench_common import timed_rss  # noqa: E402

AREAS = ["api", "core", "io", "net", "storage", "scheduler", "ui", "auth", "cli", "plugins"]
KINDS = [("xfail", "xfail", 0.40), ("skip", "skip", 0.30), ("skipif", "skipif", 0.15),
         ("flaky", "flaky", 0.05), ("xfailflake", "xfail", 0.10)]
REASONS = ["flaky on CI, see {t}", "times out under load ({t})", "needs network",
           "broken since the upgrade to 3.12", "race in teardown, {t}", "not supported on ARM",
           "intermittent: connection reset by peer", "slow on shared runners"]


def marker(rng, i):
    area = AREAS[i % len(AREAS)]
    mod = f"tests/{area}/test_{area}_{i // 40:04d}.py"
    cls = f"Test{area.capitalize()}{(i // 8) % 5}" if i % 5 < 3 else None
    name = f"test_case_{i:06d}" + (f"[param-{i % 7}]" if i % 10 == 0 else "")
    test_id = f"{mod}::{cls}::{name}" if cls else f"{mod}::{name}"
    r = rng.random()
    for mname, kind, p in KINDS:
        if r < p:
            break
        r -= p
    ticket = f"PROJ-{1000 + i % 4000}" if i % 2 == 0 else None
    reason = rng.choice(REASONS).format(t=ticket or "no ticket")
    args = {"reason": json.dumps(reason)}
    if ticket and mname == "xfailflake":
        args = {"jira": f"'{ticket}'", "reason": json.dumps(reason)}
    condition = "sys.platform == 'darwin'" if kind == "skipif" else None
    return {"test_id": test_id, "file": mod, "line": 10 + (i % 40) * 12, "name": mname,
            "kind": kind, "scope": "param" if "[" in name else "function", "reason": reason,
            "ticket": ticket, "since": None, "strict": False if kind == "xfail" else None,
            "condition": condition, "args": args, "effective": True}


def scan_doc(markers, scanned_at, branch, commit):
    return {"schema_version": 1, "generator": {"name": "flakegrab", "version": "bench"},
            "scanned_at": scanned_at, "root": "https://git.example/org/product.git",
            "complete": True, "markers": markers,
            "stats": {"files_seen": len(markers) // 3, "files_parsed": len(markers) // 4,
                      "files_cached": 0, "parse_errors": 0, "markers": len(markers),
                      "skipped": [], "registered_markers": [], "custom_markers": []},
            "repo": "https://git.example/org/product.git", "branch": branch, "commit": commit}


def write_json(path, doc):
    with open(path, "w") as f:
        json.dump(doc, f)


class Postgres:
    """A throwaway cluster on loopback with trust auth (bench only)."""

    def __init__(self, work):
        bins = sorted(p for p in os.listdir("/usr/lib/postgresql")
                      if os.path.exists(f"/usr/lib/postgresql/{p}/bin/initdb"))
        if not bins:
            sys.exit("bench: no PostgreSQL under /usr/lib/postgresql")
        self.bin = f"/usr/lib/postgresql/{bins[-1]}/bin"
        self.dir = os.path.join(work, "pg")
        os.makedirs(self.dir)
        if os.geteuid() == 0:
            pw = pwd.getpwnam("postgres")
            os.chown(self.dir, pw.pw_uid, pw.pw_gid)
        self.port = 20000 + os.getpid() % 20000
        self.owner(["initdb", "-D", self.dir + "/data", "-U", "flakegrab", "--auth=trust",
                    "-E", "UTF8"])
        self.owner(["pg_ctl", "-D", self.dir + "/data", "-w", "-l", self.dir + "/log", "-o",
                    f"-h 127.0.0.1 -p {self.port} -k {self.dir}", "start"])

    def owner(self, argv):
        argv = [f"{self.bin}/{argv[0]}"] + argv[1:]
        if os.geteuid() == 0:
            argv = ["runuser", "-u", "postgres", "--"] + argv
        subprocess.run(argv, check=True, capture_output=True)

    def create(self, db):
        subprocess.run(["psql", "-h", "127.0.0.1", "-p", str(self.port), "-U", "flakegrab",
                        "-d", "postgres", "-qc", f"CREATE DATABASE {db}"], check=True,
                       capture_output=True)
        return f"postgresql://flakegrab@127.0.0.1:{self.port}/{db}"

    def stop(self):
        self.owner(["pg_ctl", "-D", self.dir + "/data", "-m", "fast", "-w", "stop"])


def push(flakegrab, db, docs):
    seconds, _, rss = timed_rss([flakegrab, "push", "--db", db, "--from", *docs])
    return seconds, rss


def bench_push(args, work, pg, rng):
    markers = [marker(rng, i) for i in range(args.markers)]
    day1 = os.path.join(work, "big-day1.json")
    day2 = os.path.join(work, "big-day2.json")
    write_json(day1, scan_doc(markers, "2026-11-01T05:00:00Z", "main", "a" * 40))
    write_json(day2, scan_doc(markers, "2026-11-02T05:00:00Z", "main", "b" * 40))
    rows = []
    for backend in ("sqlite", "postgres"):
        first, second, rss = [], [], 0.0
        for r in range(args.repeat):
            db = (f"sqlite:{work}/push-{r}.db" if backend == "sqlite"
                  else pg.create(f"push_{r}"))
            t1, m1 = push(args.flakegrab, db, [day1])   # empty database
            t2, m2 = push(args.flakegrab, db, [day2])   # the next day: first_seen carried over
            first.append(t1)
            second.append(t2)
            rss = max(rss, m1, m2)
        rows.append((backend, statistics.median(first), statistics.median(second), rss))
    print(f"\npush of one {args.markers:,}-marker scan (`push --from`, medians of {args.repeat}):")
    print("| backend | first push (empty db) | rows/s | next day's push | rows/s | peak RSS |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for backend, t1, t2, rss in rows:
        print(f"| {backend} | {t1:.2f} s | {args.markers / t1:,.0f} | {t2:.2f} s | "
              f"{args.markers / t2:,.0f} | {rss:.0f} MiB |")


def year_docs(args, work, rng):
    """One document per 30 days, each holding every branch's daily scans, with daily churn:
    a few markers added, removed or reworded per branch and day."""
    docs = []
    branches = ["main"] + [f"release/{i}" for i in range(1, args.branches)]
    state = {b: {i: marker(rng, i) for i in range(args.per_branch)} for b in branches}
    next_id = args.per_branch
    start = time.mktime((2025, 11, 1, 5, 0, 0, 0, 0, 0)) - time.timezone
    batch = []
    for day in range(args.days):
        stamp = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(start + day * 86400))
        for b in branches:
            ms = state[b]
            for _ in range(rng.randint(0, 3)):  # added
                ms[next_id] = marker(rng, next_id)
                next_id += 1
            for _ in range(rng.randint(0, 3)):  # removed
                if ms:
                    del ms[rng.choice(list(ms))]
            if ms and rng.random() < 0.3:  # reworded
                k = rng.choice(list(ms))
                ms[k] = dict(ms[k], reason=ms[k]["reason"] + " (again)")
            doc = scan_doc(list(ms.values()), stamp, b, f"{day:08x}".ljust(40, "0"))
            batch.append(doc)
        if len(batch) >= 30 * len(branches) or day == args.days - 1:
            path = os.path.join(work, f"year-{len(docs):02d}.json")
            write_json(path, {"schema_version": 1, "generator": {"name": "flakegrab"},
                              "complete": True, "scans": batch, "failed": []})
            docs.append(path)
            batch = []
    return docs


def bench_history(args, work, pg, rng):
    docs = year_docs(args, work, rng)
    dbs = {"sqlite": f"sqlite:{work}/year.db", "postgres": pg.create("year")}
    print(f"\nhistory over {args.days} daily scans of {args.branches} branches "
          f"(~{args.per_branch} markers each; medians of {args.repeat}):")
    print("| backend | load (push --from, all) | rows | `history` (all days, json) | "
          "`--branch main --since` 30 days | `--test ID` | peak RSS |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    test_id = marker(random.Random(0), 5)["test_id"]
    for backend, db in dbs.items():
        t0 = time.perf_counter()
        for d in docs:
            push(args.flakegrab, db, [d])
        load = time.perf_counter() - t0
        if backend == "sqlite":
            rows = subprocess.run(["sqlite3", db[7:], "SELECT count(*) FROM flakegrab_markers"],
                                  capture_output=True, text=True).stdout.strip()
        else:
            rows = subprocess.run(["psql", "-h", "127.0.0.1", "-p", str(pg.port), "-U",
                                   "flakegrab", "-d", "year", "-Atc",
                                   "SELECT count(*) FROM flakegrab_markers"],
                                  capture_output=True, text=True).stdout.strip()
        cases = [["history"], ["history", "--branch", "main", "--since", "2026-10-01"],
                 ["history", "--test", test_id]]
        times, rss = [[] for _ in cases], 0.0
        for _ in range(args.repeat):
            for i, c in enumerate(cases):
                s, out, m = timed_rss([args.flakegrab, *c, "--db", db])
                if not out:
                    sys.exit(f"bench: {' '.join(c)} printed nothing")
                times[i].append(s)
                rss = max(rss, m)
        med = [statistics.median(t) for t in times]
        print(f"| {backend} | {load:.1f} s | {int(rows):,} | {med[0]:.2f} s | {med[1]:.2f} s | "
              f"{med[2]:.2f} s | {rss:.0f} MiB |")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--flakegrab", required=True)
    ap.add_argument("--markers", type=int, default=50000)
    ap.add_argument("--days", type=int, default=365)
    ap.add_argument("--branches", type=int, default=10)
    ap.add_argument("--per-branch", type=int, default=600)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--work", default=None)
    ap.add_argument("--skip-history", action="store_true")
    args = ap.parse_args()
    args.flakegrab = os.path.abspath(args.flakegrab)
    work = args.work or tempfile.mkdtemp(prefix="flakegrab-store-bench-")
    os.makedirs(work, exist_ok=True)
    if os.geteuid() == 0:
        os.chmod(work, 0o755)
    print(f"load average {os.getloadavg()[0]:.1f}; data in {work}")
    pg = Postgres(work)
    try:
        bench_push(args, work, pg, random.Random(1))
        if not args.skip_history:
            bench_history(args, work, pg, random.Random(2))
    finally:
        pg.stop()
        if not args.work:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
