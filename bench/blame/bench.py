#!/usr/bin/env python3
"""Cost of dating markers with git blame: `flakegrab audit` first run vs the daily run.

Builds (git fast-import, deterministic) a repository with --commits commits over --files test
modules: each commit edits one to three modules (test bodies, new tests, now and then a new
muted marker), so marker lines sit under a long history. Then, per repetition:
- scan only: `flakegrab dump` with an empty cache (what the scan alone costs);
- first audit: `flakegrab audit` with an empty cache (scan + blame of every marker line);
- daily audit: after one new commit changing --changed modules, with the previous run's cache
  (scan cache hits, blame of the changed files only);
- baseline: `git blame --porcelain -L N,N <commit> -- FILE` for every marker line, one process
  per file with all its lines (what git itself takes to date the same lines).
Medians over --repeat; compare ratios, not absolute times.
"""
import argparse
import os
import random
import shutil
import statistics
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from bench_common import timed_rss  # noqa: E402

MARKERS = [
    '@pytest.mark.xfail(reason="https://github.com/acme/shop/issues/{n}")',
    '@pytest.mark.skip(reason="slow on CI")',
    '@pytest.mark.xfailflake(jira="SHOP-{n}", reason="flaky")',
    '@pytest.mark.flaky(reruns=3)',
]


def module(rng, tests):
    out = ["import pytest", "", ""]
    for name, marker, body in tests:
        if marker:
            out.append(marker)
        out.append(f"def {name}():")
        out.extend(body)
        out.extend(["", ""])
    return "\n".join(out) + "\n"


def build(path, files, commits, seed=7):
    rng = random.Random(seed)
    state = {}
    for f in range(files):
        state[f"tests/pkg{f % 40}/test_mod{f}.py"] = [
            (f"test_{i}", None, [f"    assert {i} == {i}"]) for i in range(rng.randint(3, 12))
        ]
    names = sorted(state)
    subprocess.run(["git", "init", "-q", "--bare", path], check=True)
    fi = subprocess.Popen(["git", "fast-import", "--quiet"], cwd=path, stdin=subprocess.PIPE)
    when = 1600000000

    def commit(touched, message):
        nonlocal when
        when += 3600
        data = [f"commit refs/heads/main\ncommitter Bench <b@x> {when} +0000\n"
                f"data {len(message)}\n{message}\n"]
        for name in touched:
            text = module(rng, state[name]).encode()
            data.append(f"M 100644 inline {name}\ndata {len(text)}\n")
            fi.stdin.write("".join(data).encode())
            fi.stdin.write(text + b"\n")
            data = []
        if data:
            fi.stdin.write("".join(data).encode())

    commit(names, "initial")
    for c in range(1, commits):
        touched = rng.sample(names, rng.randint(1, 3))
        for name in touched:
            tests = state[name]
            i = rng.randrange(len(tests))
            t_name, marker, body = tests[i]
            roll = rng.random()
            if roll < 0.08 and marker is None:
                marker = rng.choice(MARKERS).format(n=c)
            elif roll < 0.5:
                body = body + [f"    assert {c} > 0"]
            elif roll < 0.6:
                tests.append((f"test_new{c}", None, [f"    assert {c}"]))
            tests[i] = (t_name, marker, body)
        commit(touched, f"change {c}")
    fi.stdin.close()
    if fi.wait() != 0:
        sys.exit("fast-import failed")
    return state


def marker_lines(state):
    out = {}
    for name, tests in state.items():
        line = 4
        for _, marker, body in tests:
            if marker:
                out.setdefault(name, []).append(line)
                line += 1
            line += 1 + len(body) + 2
    return out


def change_one_commit(path, state, changed, rng, step):
    names = rng.sample(sorted(state), changed)
    when = 1900000000 + step * 86400
    msg = f"daily {step}"
    parts = [f"commit refs/heads/main\ncommitter Bench <b@x> {when} +0000\ndata {len(msg)}\n{msg}\n"
             "from refs/heads/main^0\n"]
    blobs = []
    for name in names:
        t_name, marker, body = state[name][0]
        state[name][0] = (t_name, marker, body + [f"    assert {step} >= 0"])
        text = module(rng, state[name]).encode()
        blobs.append((name, text))
    fi = subprocess.Popen(["git", "fast-import", "--quiet", "--force"], cwd=path,
                          stdin=subprocess.PIPE)
    fi.stdin.write(parts[0].encode())
    for name, text in blobs:
        fi.stdin.write(f"M 100644 inline {name}\ndata {len(text)}\n".encode() + text + b"\n")
    fi.stdin.close()
    fi.wait()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--flakegrab", required=True)
    ap.add_argument("--files", type=int, default=400)
    ap.add_argument("--commits", type=int, default=4000)
    ap.add_argument("--changed", type=int, default=3)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--work", default="/tmp/flakegrab-bench-blame")
    a = ap.parse_args()
    fg = os.path.abspath(a.flakegrab)
    shutil.rmtree(a.work, ignore_errors=True)
    os.makedirs(a.work)
    repo = os.path.join(a.work, "src.git")
    t0 = time.perf_counter()
    state = build(repo, a.files, a.commits)
    lines = marker_lines(state)
    print(f"repo: {a.commits} commits, {a.files} test modules, "
          f"{sum(map(len, lines.values()))} marker lines in {len(lines)} files "
          f"(built in {time.perf_counter() - t0:.1f} s)")
    rng = random.Random(11)
    audit = [fg, "audit", repo, "main", "--marker", "xfailflake=xfail", "--as-of", "2030-01-01"]
    dump = [fg, "dump", repo, "main", "--marker", "xfailflake=xfail"]
    res = {"scan": [], "first": [], "daily": [], "git": []}
    for step in range(a.repeat):
        cache = os.path.join(a.work, f"cache{step}")
        env_cache = {"XDG_CACHE_HOME": cache}
        os.environ.update(env_cache)
        shutil.rmtree(cache, ignore_errors=True)
        res["scan"].append(timed_rss(dump)[0])
        shutil.rmtree(cache, ignore_errors=True)
        t, out, _ = timed_rss(audit)
        res["first"].append(t)
        change_one_commit(repo, state, a.changed, rng, step)
        res["daily"].append(timed_rss(audit)[0])
        head = subprocess.run(["git", "rev-parse", "main"], cwd=repo, capture_output=True,
                              text=True).stdout.strip()
        start = time.perf_counter()
        for name, ls in marker_lines(state).items():
            argv = ["git", "blame", "--porcelain"]
            for ln in ls:
                argv += ["-L", f"{ln},{ln}"]
            subprocess.run(argv + [head, "--", name], cwd=repo, capture_output=True, check=True)
        res["git"].append(time.perf_counter() - start)
    med = {k: statistics.median(v) for k, v in res.items()}
    print(f"scan only (dump, empty cache): {med['scan']:.2f} s")
    print(f"first audit (scan + blame):    {med['first']:.2f} s  -> blame ~{med['first'] - med['scan']:.2f} s")
    print(f"daily audit ({a.changed} files changed): {med['daily']:.2f} s")
    print(f"git blame, same lines:         {med['git']:.2f} s")
    print(f"ratios: first/git {med['first'] / med['git']:.2f}, (first-scan)/git "
          f"{(med['first'] - med['scan']) / med['git']:.2f}, daily/first {med['daily'] / med['first']:.3f}")


if __name__ == "__main__":
    main()
