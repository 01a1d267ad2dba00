#!/usr/bin/env python3
"""Fuzz greenmine-server against docs/openapi.yaml with an independent tool (schemathesis, PyPI).

Usage: python3 scripts/openapi-fuzz.py SERVER_BINARY [--examples N] [--seed S] [--workdir DIR]

Seeds the demonstration data into a new folder, starts SERVER_BINARY on a free loopback port, logs in
as an enterprise (demo-ent1) and as the province (demo-province), and runs schemathesis over every
operation of docs/openapi.yaml with each token: examples, coverage and fuzzing phases, positive and
negative data, at most N cases per operation and phase. Checks: no server error (5xx), status codes,
content types, headers and response bodies as documented, 405 for undocumented methods. Logout is
fuzzed last, on its own token, so it cannot end the other runs' session.

Prints the requests sent (counted from schemathesis' HAR reports), the server errors and the
conformance failures, and a closing "N passed, M failed" over the runs; exits 1 when any failed.
"""
import argparse
import importlib.util
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SPEC = os.path.join(ROOT, "docs", "openapi.yaml")
CHECKS = ",".join([
    "not_a_server_error", "status_code_conformance", "content_type_conformance",
    "response_headers_conformance", "response_schema_conformance", "unsupported_method",
])


def parse_args():
    parser = argparse.ArgumentParser()
    parser.add_argument("server")
    parser.add_argument("--examples", type=int, default=40, help="cases per operation and phase")
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--workdir")
    return parser.parse_args()


def start_server(binary, data, log_path):
    seeded = subprocess.run([binary, "seed-demo", "--data", data, "--json"], capture_output=True, text=True,
                            check=True)
    passwords = {a["username"]: a["password"] for a in json.loads(seeded.stdout)}
    log = open(log_path, "w")
    server = subprocess.Popen([binary, "serve", "--data", data, "--host", "127.0.0.1", "--port", "0"],
                              stdout=log, stderr=subprocess.STDOUT)
    deadline = time.time() + 60
    while time.time() < deadline:
        text = open(log_path).read()
        match = re.search(r"listening on (http://127\.0\.0\.1:\d+)", text)
        if match:
            return server, match.group(1), passwords
        if server.poll() is not None:
            sys.exit("the server stopped:\n" + text)
        time.sleep(0.1)
    server.kill()
    sys.exit("the server did not start in 60 s")


def login(base, username, password):
    body = json.dumps({"username": username, "password": password}).encode()
    request = urllib.request.Request(base + "/v1/auth/login", data=body, method="POST",
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.load(response)["token"]


def har_entries(path):
    try:
        with open(path) as handle:
            return json.load(handle)["log"]["entries"]
    except (OSError, ValueError, KeyError):
        return []


def fuzz(name, base, token, args, workdir, operations):
    """One schemathesis run; returns (requests, server errors, exit code)."""
    har = os.path.join(workdir, name + ".har")
    command = [sys.executable, "-m", "schemathesis.cli", "run", SPEC, "--url", base, "-H", "Authorization: Bearer " + token,
               "--checks", CHECKS, "--max-examples", str(args.examples), "--seed", str(args.seed),
               "--phases", "examples,coverage,fuzzing", "--mode", "all", "--workers", "2",
               "--generation-database", "none", "--no-color", "--request-timeout", "30",
               "--suppress-health-check", "all", "--continue-on-failure",
               "--report", "har", "--report-har-path", har] + operations
    print("$ schemathesis " + " ".join(c if "Bearer" not in c else "'Authorization: Bearer …'" for c in command[3:]),
          flush=True)
    environment = dict(os.environ, SCHEMATHESIS_HOOKS="openapi_fuzz_hooks",
                       PYTHONPATH=os.path.dirname(os.path.abspath(__file__)))
    run = subprocess.run(command, capture_output=True, text=True, env=environment, cwd=workdir)
    output = run.stdout + run.stderr
    with open(os.path.join(workdir, name + ".out"), "w") as handle:
        handle.write(output)
    entries = har_entries(har)
    errors = [e for e in entries if e["response"]["status"] >= 500]
    statuses = {}
    for entry in entries:
        statuses[entry["response"]["status"]] = statuses.get(entry["response"]["status"], 0) + 1
    print(f"{name}: {len(entries)} requests, {len(errors)} server errors, schemathesis exit {run.returncode}; "
          f"statuses {dict(sorted(statuses.items()))}", flush=True)
    if run.returncode != 0:
        tail = output.strip().splitlines()[-80:]
        print("\n".join("  " + line for line in tail), flush=True)
    return len(entries), len(errors), run.returncode


def main():
    args = parse_args()
    if importlib.util.find_spec("schemathesis") is None:
        sys.exit("schemathesis is missing: python3 -m pip install schemathesis (.ci/run installs it)")
    workdir = os.path.abspath(args.workdir or tempfile.mkdtemp(prefix="greenmine-fuzz-"))
    os.makedirs(workdir, exist_ok=True)
    server, base, passwords = start_server(args.server, os.path.join(workdir, "server"),
                                           os.path.join(workdir, "server.log"))
    try:
        not_logout = ["--exclude-path", "/v1/auth/logout"]
        runs = [
            fuzz("enterprise", base, login(base, "demo-ent1", passwords["demo-ent1"]), args, workdir, not_logout),
            fuzz("province", base, login(base, "demo-province", passwords["demo-province"]), args, workdir,
                 not_logout),
            fuzz("logout", base, login(base, "demo-ent2", passwords["demo-ent2"]), args, workdir,
                 ["--include-path", "/v1/auth/logout"]),
        ]
    finally:
        server.terminate()
        server.wait(timeout=30)
    requests = sum(r[0] for r in runs)
    errors = sum(r[1] for r in runs)
    failed = sum(1 for r in runs if r[2] != 0 or r[1] > 0)
    log = open(os.path.join(workdir, "server.log")).read()
    print(f"total: {requests} requests, {errors} server errors, {failed} runs with failures "
          f"(reports in {workdir}); server log lines mentioning 'unhandled': {log.count('unhandled')}")
    print(f"{len(runs) - failed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
