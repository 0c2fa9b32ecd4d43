"""Helpers shared by the benches: timing a command with its peak RSS."""
import subprocess
import sys
import time


def timed_rss(argv, cwd=None):
    """Runs argv under /usr/bin/time; returns (seconds, stdout, peak RSS in MiB). (rusage of a
    Python child would count the forked interpreter's pages too.)"""
    start = time.perf_counter()
    proc = subprocess.run(["/usr/bin/time", "-f", "%M"] + argv, capture_output=True, cwd=cwd)
    elapsed = time.perf_counter() - start
    if proc.returncode not in (0, 1):  # (git) grep exits 1 when nothing matches
        sys.exit(f"{argv[0]} failed ({proc.returncode}): {proc.stderr.decode()[:500]}")
    rss_kib = int(proc.stderr.decode().strip().splitlines()[-1])
    return elapsed, proc.stdout, rss_kib / 1024.0
