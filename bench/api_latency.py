"""Latency of the `telex serve` API on a database of 100,000+ events.

    python bench/api_latency.py [--events 100000] [--runs 200] [--out out/bench-api.json]

Builds a synthetic database with the real schema by replicating the events (with their documents, sentences
and mentions) of the example corpus with shifted dates and fresh ids, then calls each main endpoint --runs
times in-process through the full ASGI stack (FastAPI TestClient: routing, validation, middleware, a fresh
read-only DuckDB connection per request, JSON encoding) and reports p50/p95/max in milliseconds.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import random
import statistics
import sys
import time
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parents[1]
DAY_SHIFT = "CAST(strftime(CAST({d} AS DATE) + to_days(CAST(k % 3650 AS INTEGER)), '%Y-%m-%d') AS VARCHAR)"


def build_demo(path: Path) -> None:
    from typer.testing import CliRunner

    from telex.cli import app

    result = CliRunner().invoke(app, ["run", str(ROOT / "examples"), "--db", str(path)])
    if result.exit_code != 0:
        raise SystemExit(result.output)


def build_big(demo: Path, big: Path, events: int) -> dict:
    """Copies 0..k-1 of every demo document; copy k's dates move k days on (mod ten years)."""
    from telex.dedup import rebuild
    from telex.storage import Store

    final, big = big, big.with_suffix(".partial.duckdb")  # renamed when whole: an interrupted build is not reused
    big.unlink(missing_ok=True)
    with Store(big):
        pass  # creates the schema
    con = duckdb.connect(str(big))
    con.execute(f"ATTACH '{demo}' AS demo (READ_ONLY)")
    n_demo = con.execute("SELECT count(*) FROM demo.events").fetchone()[0]
    copies = math.ceil(events / n_demo)
    con.execute("CREATE TEMP TABLE copies AS SELECT range AS k FROM range(?)", [copies])
    day = DAY_SHIFT.format(d="date")
    con.execute(f"""INSERT INTO documents SELECT t.* REPLACE (doc_id || '~' || k AS doc_id,
        CASE WHEN date_precision = 'day' THEN {day} ELSE date END AS date) FROM demo.documents t, copies""")
    con.execute("INSERT INTO sentences SELECT t.* REPLACE (doc_id || '~' || k AS doc_id) FROM demo.sentences t, copies")
    con.execute("INSERT INTO mentions SELECT t.* REPLACE (doc_id || '~' || k AS doc_id) FROM demo.mentions t, copies")
    con.execute(f"""INSERT INTO events SELECT t.* REPLACE (event_id || '~' || k AS event_id,
        doc_id || '~' || k AS doc_id, CASE WHEN date_precision = 'day' THEN {day} ELSE date END AS date)
        FROM demo.events t, copies""")
    con.execute("DETACH demo")
    con.close()
    with Store(big) as store:
        rebuild(store)
        counts = store.counts()
    big.replace(final)
    return counts


def endpoints(con) -> list[tuple[str, list[str]]]:
    """(name, URLs to cycle through): fixed queries, plus random ids and offsets where the endpoint takes one."""
    rng = random.Random(7)
    ids = [r[0] for r in con.execute("SELECT event_id FROM events USING SAMPLE 200 ROWS").fetchall()]
    docs = [r[0] for r in con.execute("SELECT doc_id FROM documents USING SAMPLE 200 ROWS").fetchall()]
    total = con.execute("SELECT count(*) FROM events").fetchone()[0]
    return [
        ("events (first page)", ["/api/events"]),
        ("events actor+root", ["/api/events?actor=TUR&root=04"]),
        ("events date range, sorted", ["/api/events?date_from=2021-01&date_to=2021-06&sort=goldstein&order=desc"]),
        ("events text search", ["/api/events?q=Haftar&limit=100"]),
        ("events deep page", [f"/api/events?offset={rng.randrange(total - 50)}" for _ in range(50)]),
        ("events 500-row page", [f"/api/events?offset={rng.randrange(total - 500)}&limit=500" for _ in range(50)]),
        ("event detail", [f"/api/events/{i}" for i in ids]),
        ("summary", ["/api/summary"]),
        ("summary actor", ["/api/summary?actor=RUS"]),
        ("timeline month", ["/api/timeline?interval=month"]),
        ("timeline day", ["/api/timeline?interval=day"]),
        ("counts by root", ["/api/counts?by=root"]),
        ("pairs", ["/api/pairs?limit=100"]),
        ("network", ["/api/network"]),
        ("places", ["/api/places"]),
        ("actors", ["/api/actors?limit=50"]),
        ("documents", ["/api/documents?limit=50"]),
        ("document detail", [f"/api/documents/{d}" for d in docs]),
        ("stories", ["/api/stories?limit=50"]),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--work", default=str(ROOT / "out" / "bench-api"))
    parser.add_argument("--out", default=str(ROOT / "out" / "bench-api.json"))
    parser.add_argument("--rebuild", action="store_true", help="rebuild the synthetic database even if present")
    args = parser.parse_args()
    from fastapi.testclient import TestClient

    from telex.serving.app import create_app

    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    demo, big = work / "demo.duckdb", work / f"big-{args.events}.duckdb"
    started = time.perf_counter()
    if not demo.exists():
        build_demo(demo)
    if big.exists() and not args.rebuild:
        con = duckdb.connect(str(big), read_only=True)
        counts = {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                  for t in ("documents", "sentences", "mentions", "events")}
        con.close()
    else:
        counts = build_big(demo, big, args.events)
    built = time.perf_counter() - started
    print(f"built {big} in {built:.1f} s: {counts}", file=sys.stderr)

    client = TestClient(create_app(big))
    con = duckdb.connect(str(big), read_only=True)
    plan = endpoints(con)
    con.close()
    load_before = [round(x, 2) for x in os.getloadavg()]
    results = []
    for name, urls in plan:
        for url in urls[:3]:  # warm the OS page cache, as a server that has answered once has
            assert client.get(url).status_code == 200, url
        times, cpu = [], []
        for i in range(args.runs):
            url = urls[i % len(urls)]
            t, c = time.perf_counter(), time.process_time()
            response = client.get(url)
            times.append((time.perf_counter() - t) * 1000)
            cpu.append((time.process_time() - c) * 1000)  # all threads of this process: DuckDB's too
            if response.status_code != 200:
                raise SystemExit(f"{url}: {response.status_code} {response.text[:200]}")
        times.sort()
        cpu.sort()
        results.append({"endpoint": name, "example": urls[0], "runs": len(times),
                        "p50_ms": round(statistics.median(times), 1),
                        "p95_ms": round(times[math.ceil(0.95 * len(times)) - 1], 1),
                        "max_ms": round(times[-1], 1), "cpu_p50_ms": round(statistics.median(cpu), 1),
                        "cpu_p95_ms": round(cpu[math.ceil(0.95 * len(cpu)) - 1], 1), "bytes": len(response.content)})
    report = {"events": counts["events"], "documents": counts["documents"], "mentions": counts["mentions"],
              "runs_per_endpoint": args.runs, "build_seconds": round(built, 1), "machine": platform.platform(),
              "cpus": os.cpu_count(), "python": platform.python_version(),
              "duckdb": duckdb.__version__, "load_average_before": load_before,
              "load_average_after": [round(x, 2) for x in os.getloadavg()], "budget_p95_ms": 200, "results": results,
              "all_under_budget": all(r["p95_ms"] < 200 for r in results)}
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(report, indent=2), encoding="utf-8")
    width = max(len(r["endpoint"]) for r in results)
    print(f"{counts['events']:,} events, {counts['documents']:,} documents, {args.runs} calls per endpoint")
    print(f"{'endpoint':<{width}}  {'p50 ms':>7}  {'p95 ms':>7}  {'max ms':>7}  {'CPU p95':>7}")
    for r in results:
        flag = "" if r["p95_ms"] < 200 else "  OVER BUDGET"
        print(f"{r['endpoint']:<{width}}  {r['p50_ms']:>7}  {r['p95_ms']:>7}  {r['max_ms']:>7}  "
              f"{r['cpu_p95_ms']:>7}{flag}")
    print(f"load average (1, 5, 15 min) before {load_before}, after {report['load_average_after']} "
          f"on {os.cpu_count()} CPUs: other processes on the machine inflate these times")
    print(f"written to {args.out}")


if __name__ == "__main__":
    main()
