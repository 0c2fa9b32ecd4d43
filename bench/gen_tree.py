#!/usr/bin/env python3
"""Deterministic generated Python test tree shared by bench/repo and bench/scan.

The tree is built as a bare git repository with `git fast-import` (fixed seed, fixed author and
dates, so the same --files always gives the same commit sha) and can be checked out for the
working-directory scan.

Content (per test file, 3-12 test functions):
- about one test in forty carries a muted marker (xfail / skip / skipif / flaky / xfailflake,
  or @unittest.skip / expectedFailure in unittest-style files), so ~17% of files contain one;
- about one file in five has a @pytest.fixture and one test in ten is parametrized, so the
  RE2 prefilter passes many files that have no muted marker (as in real suites);
- one file in ten is unittest-style (class TestX(unittest.TestCase)).
Plus files/4 non-test sources under src/ that the path rules must pass over.

That is the `simple` profile. `--profile real` (bench/gen_real.py) builds a tree shaped like
pandas' or CPython's instead: most files mention skip, mutes come from imported helper modules and
base classes, one file in twenty-five has 5,000 lines.

    bench/gen_tree.py --files 20000 --out /tmp/fg-tree [--profile real]   # bare repo + checkout
"""
import argparse
import os
import random
import shutil
import subprocess
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gen_real  # noqa: E402

SEED = 20190125

# The baseline pattern for `git grep -c -E`: the muted-marker spellings the generator writes.
MARKER_PATTERN = (r"(@pytest\.mark\.(xfail|skip|skipif|flaky|xfailflake)|@unittest\.skip"
                  r"|expectedFailure|pytest\.(xfail|skip)\()")

MARKERS = [
    '@pytest.mark.xfail(reason="flaky on CI")',
    '@pytest.mark.skip(reason="needs network")',
    '@pytest.mark.skipif(sys.platform == "win32", reason="posix only")',
    '@pytest.mark.xfailflake(jira="DCOS-{n}", reason="timeout", since="2019-01-25")',
    '@pytest.mark.flaky(reruns=3)',
]
UNITTEST_MARKERS = ['@unittest.skip("broken upstream")', "@unittest.expectedFailure"]

MARKED_TEST_RATE = 0.025
FIXTURE_FILE_RATE = 0.2
PARAMETRIZE_RATE = 0.1
UNITTEST_FILE_RATE = 0.1

COMMITTER = "Bench <bench@example.com>"
BASE_TIME = 1700000000


def _body(rng, lines, indent, index, t):
    lines.append(f'{indent}    """Checks case {t} of module {index}."""')
    lines.append(f"{indent}    value = compute({rng.randint(0, 10**6)}, retries={rng.randint(1, 5)})")
    for k in range(rng.randint(2, 8)):
        lines.append(f"{indent}    assert value + {k} > {k - 1}, \"step {k} of case {t}\"")
    lines.append("")


def test_file(rng, index):
    """One test module's source text."""
    unittest_style = rng.random() < UNITTEST_FILE_RATE
    lines = [f'"""Tests for module {index}."""', "import os", "import sys", ""]
    if unittest_style:
        lines += ["import unittest", "", "from app.core import compute", "", "",
                  f"class TestModule{index}(unittest.TestCase):"]
        for t in range(rng.randint(3, 12)):
            if rng.random() < MARKED_TEST_RATE:
                lines.append("    " + rng.choice(UNITTEST_MARKERS))
            lines.append(f"    def test_case_{index}_{t}(self):")
            _body(rng, lines, "    ", index, t)
        return "\n".join(lines) + "\n"

    lines += ["import pytest", "", "from app.core import compute", "", ""]
    if rng.random() < FIXTURE_FILE_RATE:
        lines += ["@pytest.fixture", "def workspace(tmp_path):",
                  "    (tmp_path / 'data').mkdir()", "    return tmp_path", "", ""]
    for t in range(rng.randint(3, 12)):
        if rng.random() < MARKED_TEST_RATE:
            lines.append(rng.choice(MARKERS).format(n=index * 100 + t))
        if rng.random() < PARAMETRIZE_RATE:
            lines.append('@pytest.mark.parametrize("mode", ["fast", "slow"])')
            lines.append(f"def test_case_{index}_{t}(tmp_path, mode):")
        else:
            lines.append(f"def test_case_{index}_{t}(tmp_path):")
        _body(rng, lines, "", index, t)
        lines.append("")
    return "\n".join(lines) + "\n"


def test_path(i):
    return f"tests/pkg{i % 200:03d}/sub{i % 7}/test_mod{i:06d}.py"


PROFILES = ("simple", "real")


def pattern(profile):
    """The `git grep -c -E` baseline pattern of a profile."""
    return gen_real.PATTERN if profile == "real" else MARKER_PATTERN


def _inline(path, text):
    body = text.encode()
    return f"M 100644 inline {path}\ndata {len(body)}\n".encode() + body


def _stream(files, seed, profile):
    rng = random.Random(seed)
    out = [f"commit refs/heads/main\nmark :1\ncommitter {COMMITTER} {BASE_TIME} +0000\n"
           "data 6\nbench\n".encode()]
    if profile == "real":
        out += [_inline(path, text) for path, text in gen_real.helper_files(rng)]
    for i in range(files):
        if profile == "real":
            out.append(_inline(gen_real.test_path(i), gen_real.test_file(rng, i)))
        else:
            out.append(_inline(test_path(i), test_file(rng, i)))
    for i in range(files // 4):  # non-test sources the path rules must pass over
        body = f"def helper_{i}():\n    return {i}\n".encode()
        out.append(f"M 100644 inline src/lib{i % 50}/mod{i}.py\ndata {len(body)}\n".encode())
        out.append(body)
    out.append(b"\n")
    return b"".join(out)


def make_bare_repo(dest, files, seed=SEED, profile="simple"):
    """Creates the bare repository dest (branch main, one commit, fully packed)."""
    subprocess.run(["git", "init", "-q", "--bare", "-b", "main", dest], check=True)
    subprocess.run(["git", "--git-dir", dest, "fast-import", "--quiet"],
                   input=_stream(files, seed, profile), check=True)
    subprocess.run(["git", "--git-dir", dest, "repack", "-a", "-d", "-q"], check=True)


def checkout(bare, dest):
    """A working tree of bare's main at dest (a local clone: files on disk plus .git)."""
    subprocess.run(["git", "clone", "-q", "--no-hardlinks", bare, dest], check=True)


def head(git_dir, ref="main"):
    return subprocess.run(["git", "--git-dir", git_dir, "rev-parse", ref], check=True,
                          capture_output=True, text=True).stdout.strip()


def _commit(bare, n, path, text):
    stream = (f"commit refs/heads/main\ncommitter {COMMITTER} {BASE_TIME + 100 * n} +0000\n"
              f"data 7\nchange\nfrom refs/heads/main^0\n").encode() + _inline(path, text) + b"\n"
    subprocess.run(["git", "--git-dir", bare, "fast-import", "--quiet"], input=stream, check=True)
    return head(bare)


def change_one_file(bare, n, profile="simple"):
    """Commits change number n (n = 1, 2, ...) to one test file on main; returns the commit."""
    path = gen_real.test_path(7) if profile == "real" else test_path(7)
    return _commit(bare, n, path, f"import pytest\n\n@pytest.mark.xfail(reason='change {n}')\n"
                   f"def test_changed_{n}():\n    pass\n")


def change_helper(bare, n):
    """Commits change number n to the real profile's helper module, which most tests import."""
    return _commit(bare, n, "tests/support/__init__.py", gen_real.helper_change(n))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--files", type=int, default=20000)
    ap.add_argument("--out", required=True, help="directory to create (replaced if present)")
    ap.add_argument("--profile", choices=PROFILES, default="simple")
    args = ap.parse_args()
    shutil.rmtree(args.out, ignore_errors=True)
    os.makedirs(args.out)
    bare = os.path.join(args.out, "src.git")
    make_bare_repo(bare, args.files, profile=args.profile)
    checkout(bare, os.path.join(args.out, "tree"))
    print(f"{bare} (main {head(bare)}) and {os.path.join(args.out, 'tree')}")


if __name__ == "__main__":
    main()
