#!/usr/bin/env python3
"""Benchmarks `flakegrab dump` on a generated repository against `git grep -c -E` on the same
commit: cold scan (mirror present, empty scan cache), warm rescan (nothing changed) and a rescan
after one file changed, plus each run's peak RSS.

The repository is deterministic (fixed seed) and built with `git fast-import`; the bench is a
peer of the product, which itself never runs git.

    bench/repo/bench.py --flakegrab build/cli/flakegrab [--files 20000] [--work /tmp/fg-bench]
"""
import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import time

MARKER_PATTERN = (r"(@pytest\.mark\.(xfail|skip|skipif|flaky|xfailflake)|@unittest\.skip"
                  r"|expectedFailure|pytest\.(xfail|skip)\()")

MARKERS = [
    '@pytest.mark.xfail(reason="flaky on CI")',
    '@pytest.mark.skip(reason="needs network")',
    '@pytest.mark.skipif(sys.platform == "win32", reason="posix only")',
    '@pytest.mark.xfailflake(jira="DCOS-{n}", reason="timeout", since="2019-01-25")',
    '@pytest.mark.flaky(reruns=3)',
]


def test_file(rng, index):
    lines = ["import sys", "", "import pytest", "", ""]
    for t in range(rng.randint(3, 12)):
        # About one test in forty carries a marker: a few per cent of files have several.
        if rng.random() < 0.025:
            lines.append(rng.choice(MARKERS).format(n=index * 100 + t))
        lines.append(f"def test_case_{index}_{t}(tmp_path):")
        lines.append(f"    value = {rng.randint(0, 10**6)}")
        for k in range(rng.randint(2, 8)):
            lines.append(f"    assert value + {k} > {k - 1}")
        lines.append("")
    return "\n".join(lines) + "\n"


def generate(src, files, seed=20190125):
    rng = random.Random(seed)
    subprocess.run(["git", "init", "-q", "--bare", "-b", "main", src], check=True)
    stream = []
    stream.append("commit refs/heads/main\nmark :1\n"
                  "committer Bench <bench@example.com> 1700000000 +0000\ndata 6\nbench\n")
    for i in range(files):
        path = f"tests/pkg{i % 200:03d}/sub{i % 7}/test_mod{i:06d}.py"
        body = test_file(rng, i).encode()
        stream.append(f"M 100644 inline {path}\ndata {len(body)}\n")
        stream.append(body)
    for i in range(files // 4):  # non-test sources the path rules must pass over
        body = f"def helper_{i}():\n    return {i}\n".encode()
        stream.append(f"M 100644 inline src/lib{i % 50}/mod{i}.py\ndata {len(body)}\n")
        stream.append(body)
    stream.append("\n")
    data = b"".join(s.encode() if isinstance(s, str) else s for s in stream)
    subprocess.run(["git", "--git-dir", src, "fast-import", "--quiet"], input=data, check=True)
    subprocess.run(["git", "--git-dir", src, "repack", "-a", "-d", "-q"], check=True)


def change_one_file(src):
    path = "tests/pkg007/sub0/test_mod000007.py"
    body = b"import pytest\n\n@pytest.mark.xfail(reason='changed')\ndef test_changed():\n    pass\n"
    stream = (b"commit refs/heads/main\ncommitter Bench <bench@example.com> 1700000100 +0000\n"
              b"data 7\nchange\nfrom refs/heads/main^0\n"
              + f"M 100644 inline {path}\ndata {len(body)}\n".encode() + body + b"\n")
    subprocess.run(["git", "--git-dir", src, "fast-import", "--quiet"], input=stream, check=True)


def timed_rss(argv):
    """Runs argv under /usr/bin/time; returns (seconds, stdout, peak RSS in MiB). (rusage of a
    Python child would count the forked interpreter's pages too.)"""
    start = time.perf_counter()
    proc = subprocess.run(["/usr/bin/time", "-f", "%M"] + argv, capture_output=True)
    elapsed = time.perf_counter() - start
    if proc.returncode not in (0, 1):
        sys.exit(f"{argv[0]} failed ({proc.returncode}): {proc.stderr.decode()[:500]}")
    rss_kib = int(proc.stderr.decode().strip().splitlines()[-1])
    return elapsed, proc.stdout, rss_kib / 1024.0


def best_of(n, fn):
    runs = [fn() for _ in range(n)]
    return min(runs, key=lambda r: r[0])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--flakegrab", required=True)
    ap.add_argument("--files", type=int, default=20000)
    ap.add_argument("--work", default="/tmp/flakegrab-bench")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()

    shutil.rmtree(args.work, ignore_errors=True)
    os.makedirs(args.work)
    src = os.path.join(args.work, "src.git")
    cache = os.path.join(args.work, "cache")
    t0 = time.perf_counter()
    generate(src, args.files)
    print(f"generated {args.files} test files in {time.perf_counter() - t0:.1f}s")

    url = "file://" + src
    dump = [args.flakegrab, "dump", url, "main", "--cache-dir", cache, "--format", "json"]
    subprocess.run(dump + ["--no-cache"], check=True, stdout=subprocess.DEVNULL)  # mirror only

    def grep():
        commit = subprocess.run(["git", "--git-dir", src, "rev-parse", "main"], check=True,
                                capture_output=True, text=True).stdout.strip()
        return timed_rss(["git", "--git-dir", src, "grep", "-c", "-E", MARKER_PATTERN, commit])

    def cold():
        shutil.rmtree(os.path.join(cache, "scan"), ignore_errors=True)
        return timed_rss(dump)

    grep_s, grep_out, _ = best_of(args.repeat, grep)
    cold_s, cold_out, cold_rss = best_of(args.repeat, cold)
    warm_s, _, warm_rss = best_of(args.repeat, lambda: timed_rss(dump))
    change_one_file(src)
    grep1_s, _, _ = best_of(args.repeat, grep)
    one_s, one_out, one_rss = timed_rss(dump)  # only the first run after the change counts

    doc = json.loads(cold_out)
    grep_files = len(grep_out.splitlines())
    print(f"markers found: {len(doc['markers'])}; files git grep matched: {grep_files}")
    print(f"git grep -c -E:        {grep_s * 1000:8.1f} ms")
    print(f"cold scan:             {cold_s * 1000:8.1f} ms  ratio {cold_s / grep_s:5.2f}x"
          f"  peak RSS {cold_rss:6.1f} MiB")
    print(f"warm rescan:           {warm_s * 1000:8.1f} ms  ratio {warm_s / grep_s:5.2f}x"
          f"  peak RSS {warm_rss:6.1f} MiB")
    print(f"one file changed:      {one_s * 1000:8.1f} ms  ratio {one_s / grep1_s:5.2f}x"
          f"  peak RSS {one_rss:6.1f} MiB")
    stats = json.loads(one_out)["stats"]
    print(f"one-file rescan parsed {stats['files_parsed']} file(s),"
          f" {stats['files_cached']} from cache")


if __name__ == "__main__":
    main()
