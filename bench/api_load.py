"""Load test of `telex serve` on loopback: many requests, many at once, no error allowed.

    python bench/api_load.py [--db out/demo.duckdb] [--requests 10000] [--concurrency 50] [--out out/bench-load.json]

A real server process (`telex serve`, uvicorn) is started on a free loopback port
and hit by `--concurrency` client threads, each holding its own keep-alive
connection, until `--requests` requests are done. The paths are every GET
operation of the server's own OpenAPI description that needs no parameter, plus
filtered event queries built from values found in the database, so the test
follows the API as it grows. Reported: throughput, latency percentiles, and the
count of errors (any status other than 200, or a broken connection); the script
exits 1 if there is any error, so it can gate a release.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
SPEC_PATH = "/api/openapi.json"


def ensure_demo_db(db: Path) -> None:
    if db.exists():
        return
    db.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run([str(BIN / "telex"), "run", str(ROOT / "examples"), "--db", str(db)], check=True,
                   stdout=subprocess.DEVNULL)


def get(port: int, path: str) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def plain_get_paths(spec: dict) -> list[str]:
    """GET operations that need neither a path parameter nor a required query parameter."""
    paths = []
    for path, operations in spec.get("paths", {}).items():
        operation = operations.get("get")
        if operation is None or "{" in path:
            continue
        if any(p.get("required") for p in operation.get("parameters", [])):
            continue
        paths.append(path)
    return sorted(paths)


def filtered_paths(port: int, spec: dict) -> list[str]:
    """Event queries filtered by values that exist in the database (an actor, a root, a month)."""
    if "/api/events" not in spec.get("paths", {}):
        return []
    status, body = get(port, "/api/events?page_size=50")
    if status != 200:
        return []
    payload = json.loads(body)
    rows = payload.get("events") or payload.get("rows") or payload.get("items") or []
    queries = []
    for row in rows[:5]:
        if row.get("source_code"):
            queries.append({"source": row["source_code"]})
        if row.get("root"):
            queries.append({"root": row["root"]})
        if row.get("date"):
            queries.append({"date_from": row["date"][:7] + "-01"})
    paths = []
    for query in queries:
        path = "/api/events?" + urllib.parse.urlencode(query)
        if get(port, path)[0] == 200:  # only parameters this API accepts
            paths.append(path)
    return sorted(set(paths))


def hammer(port: int, paths: list[str], total: int, concurrency: int) -> tuple[list[float], list[str], float]:
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    counter = iter(range(total))

    def client() -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        local_latencies, local_errors = [], []
        while True:
            with lock:
                i = next(counter, None)
            if i is None:
                break
            path = paths[i % len(paths)]
            t0 = time.perf_counter()
            try:
                connection.request("GET", path)
                response = connection.getresponse()
                body = response.read()
                if response.status != 200:
                    local_errors.append(f"{path}: HTTP {response.status} {body[:160].decode(errors='replace')}")
            except (OSError, http.client.HTTPException) as error:
                local_errors.append(f"{path}: {type(error).__name__}: {error}")
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            local_latencies.append(time.perf_counter() - t0)
        connection.close()
        with lock:
            latencies.extend(local_latencies)
            errors.extend(local_errors)

    threads = [threading.Thread(target=client) for _ in range(concurrency)]
    t0 = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies, errors, time.perf_counter() - t0


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q / 100 * (len(ordered) - 1))))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, default=ROOT / "out" / "demo.duckdb")
    parser.add_argument("--requests", type=int, default=10_000)
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--out", type=Path, default=ROOT / "out" / "bench-load.json")
    args = parser.parse_args()

    from telex.serving.server import start_local

    ensure_demo_db(args.db)
    try:
        server, port = start_local(args.db, timeout=60, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    except RuntimeError as error:
        sys.exit(str(error))
    try:
        spec = json.loads(get(port, SPEC_PATH)[1])
        paths = plain_get_paths(spec) + filtered_paths(port, spec)
        if not paths:
            sys.exit("the server's OpenAPI description lists no GET operation to load")
        hammer(port, paths, min(200, args.requests), min(10, args.concurrency))  # warm caches, not counted
        latencies, errors, seconds = hammer(port, paths, args.requests, args.concurrency)
    finally:
        server.terminate()
        server.wait(timeout=10)

    results = {
        "requests": len(latencies), "concurrency": args.concurrency, "paths": paths, "seconds": round(seconds, 2),
        "requests_per_s": round(len(latencies) / seconds, 1),
        "latency_ms": {name: round(1000 * value, 1) for name, value in (
            ("p50", percentile(latencies, 50)), ("p95", percentile(latencies, 95)),
            ("p99", percentile(latencies, 99)), ("max", max(latencies)), ("mean", statistics.fmean(latencies)))},
        "errors": len(errors), "error_examples": errors[:10],
        "database": str(args.db), "cpus": os.cpu_count(),
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    latency = results["latency_ms"]
    print(f"{results['requests']} requests over {len(paths)} paths, {args.concurrency} at once: "
          f"{results['requests_per_s']} requests/s, p50 {latency['p50']} ms, p95 {latency['p95']} ms, "
          f"p99 {latency['p99']} ms, errors {results['errors']}")
    print(f"written to {args.out}")
    if errors:
        for line in errors[:10]:
            print(f"  {line}", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
