#!/usr/bin/env python3
"""`flakegrab serve` under wrk against nginx serving the same bytes statically.

Generates a working tree of --files test modules with --per-file muted tests each (50,000
markers by default), serves it with `flakegrab serve --scan-dir`, saves the /markers body (and
its gzip) to files, and starts nginx on a loopback port to serve them: the ceiling for sending
those bytes. Then, interleaved per repetition, runs wrk (keep-alive, --connections, --seconds)
against:
  flakegrab /markers plain, gzip, and plain on a second server rescanning every second;
  nginx plain, gzip (a precompressed file sent with Content-Encoding: gzip).
Reports the median req/s, p50 and p99 latency per case and the ratios to nginx; exits 1 when a
target is missed (req/s >= 0.5x nginx, p99 <= 10x nginx's, gzip >= 0.8x plain).

    bench/serve/bench.py --flakegrab build/cli/flakegrab [--repeat 3] [--seconds 5]
"""
import argparse
import gzip
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.request


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_http(url, seconds=120):
    end = time.time() + seconds
    while time.time() < end:
        try:
            with urllib.request.urlopen(url, timeout=5) as r:
                if r.status == 200:
                    return r.read()
        except OSError:
            time.sleep(0.1)
    sys.exit(f"no answer from {url}")


def generate(tree, files, per_file):
    shutil.rmtree(tree, ignore_errors=True)
    os.makedirs(os.path.join(tree, "tests"))
    marks = ['@pytest.mark.xfail(reason="flaky on CI", strict=True)', "@pytest.mark.skip",
             '@pytest.mark.xfailflake(jira="DCOS-{n}", reason="timeout", since="2019-01-25")',
             '@pytest.mark.skipif(sys.platform == "win32", reason="posix only")']
    for f in range(files):
        body = ["import sys", "import pytest", ""]
        for t in range(per_file):
            body += [marks[(f + t) % len(marks)].format(n=f * per_file + t),
                     f"def test_{t}():", "    assert True", ""]
        with open(os.path.join(tree, "tests", f"test_mod{f:04d}.py"), "w") as out:
            out.write("\n".join(body))


def start_nginx(work, port):
    www = os.path.join(work, "www")
    conf = os.path.join(work, "nginx.conf")
    with open(conf, "w") as c:
        c.write(f"""worker_processes 2;
pid {work}/nginx.pid;
error_log {work}/nginx-error.log;
events {{ worker_connections 1024; }}
http {{
  access_log off;
  client_body_temp_path {work}/tmp; proxy_temp_path {work}/tmp; fastcgi_temp_path {work}/tmp;
  uwsgi_temp_path {work}/tmp; scgi_temp_path {work}/tmp;
  sendfile on; tcp_nodelay on; keepalive_requests 100000;
  server {{
    listen 127.0.0.1:{port};
    root {www};
    location = /markers.json {{ default_type application/json; }}
    location = /markers.json.gz {{ default_type application/json; add_header Content-Encoding gzip; }}
  }}
}}
""")
    os.makedirs(os.path.join(work, "tmp"), exist_ok=True)
    proc = subprocess.Popen(["nginx", "-c", conf, "-p", work, "-g", "daemon off;"],
                            stderr=subprocess.DEVNULL)
    wait_http(f"http://127.0.0.1:{port}/markers.json")
    return proc


def wrk(url, seconds, connections, gzip_wanted):
    argv = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "--timeout", "10s"]
    if gzip_wanted:
        argv += ["-H", "Accept-Encoding: gzip"]
    out = subprocess.run(argv + [url], capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))

    def latency(p):
        m = re.search(rf"\s{p}%\s+([\d.]+)(us|ms|s)\b", out)
        return float(m.group(1)) * {"us": 1e-3, "ms": 1.0, "s": 1e3}[m.group(2)]
    return rps, latency(50), latency(99)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--flakegrab", required=True)
    ap.add_argument("--files", type=int, default=500)
    ap.add_argument("--per-file", type=int, default=100)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--seconds", type=int, default=5)
    ap.add_argument("--connections", type=int, default=8)
    ap.add_argument("--work", default="/tmp/fg-serve-bench")
    a = ap.parse_args()
    for tool in ("wrk", "nginx"):
        if not shutil.which(tool):
            sys.exit(f"bench/serve needs {tool} (apt-get install wrk nginx)")

    tree = os.path.join(a.work, "tree")
    generate(tree, a.files, a.per_file)
    procs = []
    try:
        ports = {"steady": free_port(), "refreshing": free_port()}
        for name, refresh in (("steady", 3600), ("refreshing", 1)):
            procs.append(subprocess.Popen(
                [a.flakegrab, "serve", "--scan-dir", tree, "--listen",
                 f"127.0.0.1:{ports[name]}", "--refresh", str(refresh)],
                stderr=subprocess.DEVNULL))
        body = wait_http(f"http://127.0.0.1:{ports['steady']}/markers")
        wait_http(f"http://127.0.0.1:{ports['refreshing']}/healthz")
        markers = body.count(b'"test_id"')
        os.makedirs(os.path.join(a.work, "www"), exist_ok=True)
        with open(os.path.join(a.work, "www", "markers.json"), "wb") as f:
            f.write(body)
        with open(os.path.join(a.work, "www", "markers.json.gz"), "wb") as f:
            f.write(gzip.compress(body, 6))
        nginx_port = free_port()
        procs.append(start_nginx(a.work, nginx_port))

        fg = f"http://127.0.0.1:{ports['steady']}/markers"
        cases = {
            "flakegrab plain": (fg, False),
            "flakegrab gzip": (fg, True),
            "flakegrab plain, refresh every 1 s": (
                f"http://127.0.0.1:{ports['refreshing']}/markers", False),
            "nginx plain": (f"http://127.0.0.1:{nginx_port}/markers.json", False),
            "nginx gzip": (f"http://127.0.0.1:{nginx_port}/markers.json.gz", True),
        }
        results = {k: [] for k in cases}
        for _ in range(a.repeat):
            for name, (url, gz) in cases.items():
                results[name].append(wrk(url, a.seconds, a.connections, gz))
    finally:
        for p in procs:
            p.send_signal(signal.SIGTERM)
        for p in procs:
            p.wait(timeout=10)

    med = {k: tuple(statistics.median(r[i] for r in v) for i in range(3))
           for k, v in results.items()}
    print(f"{markers} markers, body {len(body) / 1e6:.1f} MB ({len(gzip.compress(body, 6)) / 1e6:.2f}"
          f" MB gzip); wrk -t2 -c{a.connections} -d{a.seconds}s, keep-alive, median of "
          f"{a.repeat}\n")
    print(f"{'case':38} {'req/s':>9} {'p50 ms':>9} {'p99 ms':>9} {'req/s vs nginx':>15}")
    for name, (rps, p50, p99) in med.items():
        base = med["nginx gzip" if "gzip" in name else "nginx plain"][0]
        print(f"{name:38} {rps:9.1f} {p50:9.2f} {p99:9.2f} {rps / base:14.2f}x")
    ok = True
    for kind in ("plain", "gzip"):
        fg_rps, _, fg_p99 = med[f"flakegrab {kind}"]
        ng_rps, _, ng_p99 = med[f"nginx {kind}"]
        ok &= fg_rps >= 0.5 * ng_rps and fg_p99 <= 10 * ng_p99
    ok &= med["flakegrab gzip"][0] >= 0.8 * med["flakegrab plain"][0]
    print("\ntargets (>= 0.5x nginx req/s, p99 <= 10x nginx, gzip >= 0.8x plain):",
          "met" if ok else "MISSED")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
