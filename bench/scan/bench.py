#!/usr/bin/env python3
"""Benchmarks the working-directory scan, `flakegrab scan DIR`, on a large generated checkout
against `git grep -c -E '<marker pattern>'` on the same tree (or `grep -rcE` when the tree has no
.git), in one run: median seconds of --repeat interleaved repetitions, test files per second,
the median per-repetition ratio to the baseline, and peak RSS; then the same for a rescan
with `--cache-dir` after a first scan filled the cache (nothing changed).

The tree is bench/gen_tree.py's repository (deterministic) checked out on disk; --tree DIR
benchmarks an existing directory instead. Runs are with a warm page cache.

    bench/scan/bench.py --flakegrab build/cli/flakegrab [--files 20000] [--repeat 5]
                        [--profile simple|real]
"""
import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import gen_tree  # noqa: E402
from bench_common import timed_rss  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--flakegrab", required=True)
    ap.add_argument("--files", type=int, default=20000)
    ap.add_argument("--work", default="/tmp/flakegrab-bench-scan")
    ap.add_argument("--tree", help="benchmark this existing directory instead of generating one")
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--threads", type=int, default=0, help="flakegrab --threads (0 = all cores)")
    ap.add_argument("--profile", choices=gen_tree.PROFILES, default="simple")
    args = ap.parse_args()
    flakegrab = os.path.abspath(args.flakegrab)

    if args.tree:
        tree = os.path.abspath(args.tree)
    else:
        shutil.rmtree(args.work, ignore_errors=True)
        os.makedirs(args.work)
        bare, tree = os.path.join(args.work, "src.git"), os.path.join(args.work, "tree")
        t0 = time.perf_counter()
        gen_tree.make_bare_repo(bare, args.files, profile=args.profile)
        gen_tree.checkout(bare, tree)
        print(f"generated and checked out {args.files} test files (+{args.files // 4} non-test)"
              f" in {time.perf_counter() - t0:.1f}s; main = {gen_tree.head(bare)}")

    if os.path.isdir(os.path.join(tree, ".git")):
        baseline_name = "git grep -c -E"
        baseline = ["git", "grep", "-c", "-E", gen_tree.pattern(args.profile)]
    else:
        baseline_name = "grep -rcE"
        baseline = ["grep", "-rcE", "--include=*.py", gen_tree.pattern(args.profile), "."]
    scan = [flakegrab, "scan", "--threads", str(args.threads), tree]

    cache_dir = os.path.join(args.work, "scan-cache")
    shutil.rmtree(cache_dir, ignore_errors=True)
    cached_scan = scan[:2] + ["--cache-dir", cache_dir] + scan[2:]
    timed_rss(baseline, cwd=tree)  # warm the page cache for both sides
    timed_rss(scan)
    timed_rss(cached_scan)  # fills the cache: the rows below are rescans with nothing changed
    runs, cached_runs = [], []  # (flakegrab s, baseline s, flakegrab rss)
    for _ in range(args.repeat):
        g, grep_out, _ = timed_rss(baseline, cwd=tree)
        s, out, rss = timed_rss(scan)
        runs.append((s, g, rss))
        g, _, _ = timed_rss(baseline, cwd=tree)
        s, _, rss = timed_rss(cached_scan)
        cached_runs.append((s, g, rss))

    doc = json.loads(out)
    seen = doc["stats"]["files_seen"]
    matched = sum(1 for line in grep_out.decode().splitlines() if not line.endswith(":0"))
    s = statistics.median(r[0] for r in runs)
    g = statistics.median(r[1] for r in runs)
    ratio = statistics.median(r[0] / r[1] for r in runs)
    print(f"markers found: {len(doc['markers'])} in {seen} test files"
          f" ({doc['stats']['files_parsed']} parsed or prefiltered);"
          f" files {baseline_name} matched: {matched}")
    print(f"\n{args.repeat} repetitions, medians; threads={args.threads or os.cpu_count()}"
          f" on {os.cpu_count()} cores; load average {os.getloadavg()[0]:.2f} at the end"
          " (other work on the machine skews ratios: see bench/README.md)")
    print(f"{baseline_name + ':':22} {g * 1000:8.0f} ms")
    print(f"{'flakegrab scan:':22} {s * 1000:8.0f} ms  {seen / s:8.0f} test files/s"
          f"  ratio {ratio:5.2f}x  peak RSS {max(r[2] for r in runs):6.1f} MiB")
    cs = statistics.median(r[0] for r in cached_runs)
    print(f"{'scan --cache-dir again:':22} {cs * 1000:8.0f} ms  {seen / cs:8.0f} test files/s"
          f"  ratio {statistics.median(r[0] / r[1] for r in cached_runs):5.2f}x"
          f"  peak RSS {max(r[2] for r in cached_runs):6.1f} MiB")
    print("(ratio = median of per-repetition flakegrab/baseline; peak RSS = max over runs)")


if __name__ == "__main__":
    main()
