#!/usr/bin/env python3
"""Slow and idle clients against the real greenmine-server under a low descriptor limit (issue 11).

Runs `greenmine-server serve` as a child under `prlimit --nofile=N`, then opens more idle connections
than it has descriptors (spread over loopback source addresses 127.0.0.2…) plus slowloris clients
sending a header byte a second, and meanwhile asks `/healthz` on a fresh connection every 100 ms from
127.0.0.1. Prints `/healthz` latencies (p50, p99, max, failures), the server's CPU use from
/proc/PID/stat (utime + stime), and how many of the idle connections the server closed.

With --body-rates, instead: one push body per rate (bytes a second, e.g. 8000,500) sent at that rate
for --seconds under the standard limits, reporting whether the server read it to the end or cut it
(the minimum is 1 KiB/s averaged over 60 s of waiting, so run it for more than 60 s).

Loopback only. Examples:
    scripts/connection-probe.py --server .build-release/release/greenmine-server
    scripts/connection-probe.py --server … --limits off     # header/idle timeouts and caps switched off
    scripts/connection-probe.py --server … --body-rates 8000,500 --seconds 90
"""
import argparse
import errno
import os
import re
import resource
import select
import socket
import subprocess
import sys
import tempfile
import threading
import time


def start_server(args, data):
    command = ["prlimit", f"--nofile={args.nofile}:{args.nofile}", args.server, "serve", "--data", data,
               "--host", "127.0.0.1", "--port", "0", "--log-level", "critical"]
    if args.body_rates:
        command += ["--demo"]
    elif args.limits == "on":
        command += ["--header-timeout", str(args.header_timeout), "--idle-timeout", str(args.idle_timeout)]
    else:
        command += ["--header-timeout", "86400", "--idle-timeout", "86400", "--stall-timeout", "86400",
                    "--max-connections-per-address", "1000000", "--max-connections", "1000000"]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    for line in process.stdout:
        account = re.match(r"\s+(demo-ent1)\t\S+\t(\S+)", line)
        if account:
            args.password = account.group(2)
        found = re.search(r"listening on http://127\.0\.0\.1:(\d+)", line)
        if found:
            return process, int(found.group(1))
    raise SystemExit("the server did not start")


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def open_idle(port, source):
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind((source, 0))
    sock.setblocking(False)
    try:
        sock.connect(("127.0.0.1", port))
    except BlockingIOError:
        pass
    return sock


def healthz(port, timeout):
    started = time.monotonic()
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
            sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
            answer = b""
            while b"\r\n\r\n" not in answer:
                chunk = sock.recv(4096)
                if not chunk:
                    break
                answer += chunk
        if answer.startswith(b"HTTP/1.1 200"):
            return time.monotonic() - started
    except OSError:
        pass
    return None


def closed_by_peer(sock):
    try:
        poller = select.poll()  # select() stops at descriptor 1024
        poller.register(sock, select.POLLIN)
        if not poller.poll(0):
            return False
        return sock.recv(1, socket.MSG_PEEK) == b""
    except OSError as error:
        return error.errno in (errno.ECONNRESET, errno.ENOTCONN, errno.EPIPE)


def slow_push(port, password, rate, seconds):
    """A push body sent at `rate` bytes a second for `seconds`; returns (outcome, seconds it lasted)."""
    import json
    login = json.dumps({"username": "demo-ent1", "password": password}).encode()
    with socket.create_connection(("127.0.0.1", port)) as sock:
        sock.sendall(b"POST /v1/auth/login HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                     + f"Content-Length: {len(login)}\r\nConnection: close\r\n\r\n".encode() + login)
        answer = b""
        while True:
            chunk = sock.recv(65536)
            if not chunk:
                break
            answer += chunk
    token = json.loads(answer.split(b"\r\n\r\n", 1)[1])["token"]
    head = b'{"clientId":"6f9619ff-8b86-d011-b42d-00c04fc964ff","mutations":[]}'
    length = int(rate * seconds) + len(head)
    started = time.monotonic()
    with socket.create_connection(("127.0.0.1", port)) as sock:
        sock.sendall(b"POST /v1/sync/push HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                     + f"Authorization: Bearer {token}\r\nContent-Length: {length}\r\n\r\n".encode() + head)
        sent, step = len(head), max(1, rate // 10)
        try:
            while sent < length:
                count = min(step, length - sent)
                sock.sendall(b" " * count)
                sent += count
                time.sleep(0.1)
                readable, _, _ = select.select([sock], [], [], 0)
                if readable and not sock.recv(1, socket.MSG_PEEK):
                    return f"cut by the server after {sent} bytes", time.monotonic() - started
            status = sock.recv(64).split(b" ")[1].decode()
            return f"read to the end ({sent} bytes), answered {status}", time.monotonic() - started
        except OSError as error:
            return f"cut by the server after {sent} bytes ({error.strerror})", time.monotonic() - started


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))] if ordered else float("nan")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--server", default=".build/debug/greenmine-server")
    parser.add_argument("--nofile", type=int, default=256, help="the server's descriptor limit")
    parser.add_argument("--idle", type=int, default=400, help="idle connections to open")
    parser.add_argument("--slow", type=int, default=50, help="slowloris clients, a header byte a second")
    parser.add_argument("--sources", type=int, default=20, help="loopback source addresses for them")
    parser.add_argument("--seconds", type=float, default=20, help="how long to hold them")
    parser.add_argument("--limits", choices=["on", "off"], default="on")
    parser.add_argument("--header-timeout", type=float, default=5)
    parser.add_argument("--idle-timeout", type=float, default=5)
    parser.add_argument("--body-rates", help="comma-separated bytes a second for slow push bodies")
    args = parser.parse_args()

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    data = tempfile.mkdtemp(prefix="greenmine-probe-")
    process, port = start_server(args, data)
    if args.body_rates:
        try:
            results = {}

            def run(rate):
                results[rate] = slow_push(port, args.password, rate, args.seconds)

            rates = [int(value) for value in args.body_rates.split(",")]
            threads = [threading.Thread(target=run, args=(rate,)) for rate in rates]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            for rate in rates:
                outcome, lasted = results[rate]
                print(f"push body at {rate} B/s ({rate * 8 / 1000:.0f} kbit/s) for up to {args.seconds:.0f} s: "
                      f"{outcome}, after {lasted:.1f} s")
        finally:
            process.terminate()
            process.wait()
            subprocess.run(["rm", "-rf", data])
        return
    try:
        latencies, failures = [], 0
        stop = threading.Event()

        def probe():
            nonlocal failures
            while not stop.is_set():
                latency = healthz(port, timeout=5)
                if latency is None:
                    failures += 1
                else:
                    latencies.append(latency)
                time.sleep(0.1)

        baseline = [healthz(port, 5) for _ in range(20)]
        cpu_start, wall_start = cpu_seconds(process.pid), time.monotonic()
        prober = threading.Thread(target=probe)
        prober.start()
        sources = [f"127.0.0.{2 + index % args.sources}" for index in range(args.idle + args.slow)]
        idle = [open_idle(port, sources[index]) for index in range(args.idle)]
        slow = [open_idle(port, sources[args.idle + index]) for index in range(args.slow)]
        head = b"GET /healthz HTTP/1.1\r\nHost: localhost\r\nX-Slow: " + b"a" * 10_000
        sent, cut = 0, set()
        while time.monotonic() - wall_start < args.seconds:
            for index, sock in enumerate(slow):
                try:
                    sock.send(head[sent:sent + 1])
                except (BrokenPipeError, ConnectionResetError):
                    cut.add(index)
                except OSError:
                    pass  # not yet connected (waiting in the listen queue)
            sent += 1
            time.sleep(1)
        stop.set()
        prober.join()
        cpu = cpu_seconds(process.pid) - cpu_start
        wall = time.monotonic() - wall_start
        closed_idle = sum(closed_by_peer(sock) for sock in idle)
        closed_slow = sum(index in cut or closed_by_peer(sock) for index, sock in enumerate(slow))
        after = [healthz(port, 5) for _ in range(20)]
        for sock in idle + slow:
            sock.close()

        def ms(value):
            return f"{value * 1000:.1f} ms"

        print(f"server: {args.server}, limits {args.limits}, ulimit -n {args.nofile}, "
              f"header/idle timeout {args.header_timeout}/{args.idle_timeout} s")
        print(f"held {args.idle} idle + {args.slow} slowloris connections from {args.sources} addresses "
              f"for {wall:.1f} s")
        good = [value for value in baseline if value is not None]
        print(f"/healthz before: p50 {ms(percentile(good, 0.5))}, max {ms(max(good))}")
        print(f"/healthz during: {len(latencies)} answered, {failures} failed or > 5 s; "
              f"p50 {ms(percentile(latencies, 0.5))}, p99 {ms(percentile(latencies, 0.99))}, "
              f"max {ms(max(latencies)) if latencies else 'n/a'}")
        good = [value for value in after if value is not None]
        print(f"/healthz after: {len(good)} of 20 answered" + (f", max {ms(max(good))}" if good else ""))
        print(f"server CPU during: {cpu:.2f} s over {wall:.1f} s = {100 * cpu / wall:.1f} % of one core")
        print(f"closed by the server: {closed_idle} of {args.idle} idle, {closed_slow} of {args.slow} slowloris")
    finally:
        process.terminate()
        process.wait()
        subprocess.run(["rm", "-rf", data])


if __name__ == "__main__":
    sys.exit(main())
