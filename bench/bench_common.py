"""Helpers shared by the benches: timing a command with its peak RSS and CPU time."""
import collections
import subprocess
import sys
import time

# seconds: wall; cpu: user + system seconds of the command; rss: peak RSS in MiB.
Usage = collections.namedtuple("Usage", "seconds stdout rss cpu")


def timed_usage(argv, cwd=None):
    """Runs argv under /usr/bin/time; returns a Usage. (rusage of a Python child would count
    the forked interpreter's pages too.)"""
    start = time.perf_counter()
    proc = subprocess.run(["/usr/bin/time", "-f", "%M %U %S"] + argv, capture_output=True,
                          cwd=cwd)
    elapsed = time.perf_counter() - start
    if proc.returncode not in (0, 1):  # (git) grep exits 1 when nothing matches
        sys.exit(f"{argv[0]} failed ({proc.returncode}): {proc.stderr.decode()[:500]}")
    rss_kib, user, system = proc.stderr.decode().strip().splitlines()[-1].split()
    return Usage(elapsed, proc.stdout, int(rss_kib) / 1024.0, float(user) + float(system))


def timed_rss(argv, cwd=None):
    """timed_usage without the CPU time: (seconds, stdout, peak RSS in MiB)."""
    u = timed_usage(argv, cwd)
    return u.seconds, u.stdout, u.rss
