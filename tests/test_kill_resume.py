"""A `telex run` killed at any moment (SIGKILL) and started again ends with exactly the
database of an uninterrupted run: no duplicate, no loss, no corrupt file.

Real runs, as subprocesses. The test cannot ask the killed process how far it got (DuckDB
locks the file while the writer runs, and product code has no test hook), so it watches the
write-ahead log grow on disk: each committed batch appends to `<db>.wal`. The uninterrupted
run gives the log's final size; a run is killed when its log reaches a fraction of that size,
which lands in the first batches, mid-run, or in the final dedup and checkpoint. What the kill
left is then checked (the file opens, batches are whole) before the run is resumed.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest
from conftest import ROOT

from telex.ingest import iter_inputs
from telex.records import Document

BATCH = 4
COPIES = 3  # the 18 example articles, three times under other names and dates: 54 documents, 14 batches


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("corpus")
    documents = [d for d in iter_inputs([ROOT / "examples"]) if isinstance(d, Document)]
    n = 0
    for copy in range(COPIES):
        for d in documents:
            n += 1
            header = f"date 202{copy}-{1 + n % 12:02d}-{1 + n % 28:02d}\n\n"
            (folder / f"{copy}-{d.doc_id}.txt").write_text(header + d.text, encoding="utf-8")
    return folder


def start(corpus: Path, db: Path) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if k != "TELEX_DEBUG"}
    return subprocess.Popen([sys.executable, "-m", "telex.cli", "run", str(corpus), "--db", str(db),
                             "--batch-size", str(BATCH)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env)


def wal_size(db: Path) -> int:
    try:
        return os.stat(f"{db}.wal").st_size
    except FileNotFoundError:
        return 0


def wait_all(runs: list[tuple[subprocess.Popen, Path]]) -> int:
    """Wait for runs to end by themselves; returns the largest size a write-ahead log reached."""
    largest = 0
    while any(proc.poll() is None for proc, _ in runs):
        largest = max([largest] + [wal_size(db) for _, db in runs])
        time.sleep(0.002)
    for proc, _ in runs:
        output = proc.stdout.read().decode("utf-8", "replace")
        assert proc.returncode == 0 and "Traceback" not in output, output
    return largest


def kill_all(runs: list[tuple[subprocess.Popen, Path, int]]) -> None:
    """SIGKILL each run when its write-ahead log reaches its size."""
    pending = list(runs)
    while pending:
        for run in list(pending):
            proc, db, size = run
            if proc.poll() is not None or wal_size(db) >= size:
                proc.send_signal(signal.SIGKILL)
                proc.wait()
                pending.remove(run)
                assert proc.returncode == -signal.SIGKILL, "the run ended before the kill point"
        time.sleep(0.001)


def snapshot(db: Path) -> dict:
    """Everything a run stores, as sorted rows (the ingestion timestamp and the binary parse aside)."""
    con = duckdb.connect(str(db), read_only=True)  # replays the WAL a kill left behind
    try:
        tables = {
            "documents": "SELECT * EXCLUDE (ingested_at, parse) FROM documents",
            "sentences": "SELECT * FROM sentences",
            "mentions": "SELECT * FROM mentions",
            "events": "SELECT * FROM events",
        }
        if con.execute("SELECT count(*) FROM information_schema.tables WHERE table_name = 'event_groups'").fetchone()[0]:
            tables["event_groups"] = "SELECT * FROM event_groups"
            tables["event_mentions"] = "SELECT * FROM event_mentions"
        found = {name: sorted(map(repr, con.execute(query).fetchall())) for name, query in tables.items()}
        # Batches are whole: every stored document has all of its sentences and events, and no more.
        found["torn"] = con.execute("""
            SELECT d.doc_id FROM documents d
            LEFT JOIN (SELECT doc_id, count(*) AS n FROM sentences GROUP BY doc_id) s USING (doc_id)
            LEFT JOIN (SELECT doc_id, count(*) AS n FROM events GROUP BY doc_id) e USING (doc_id)
            WHERE d.n_sentences != coalesce(s.n, 0) OR d.n_events != coalesce(e.n, 0)""").fetchall()
        found["orphans"] = con.execute(
            "SELECT count(*) FROM (SELECT doc_id FROM sentences UNION ALL SELECT doc_id FROM mentions "
            "UNION ALL SELECT doc_id FROM events) WHERE doc_id NOT IN (SELECT doc_id FROM documents)").fetchone()[0]
        found["duplicate events"] = con.execute(
            "SELECT count(*) - count(DISTINCT event_id) FROM events").fetchone()[0]
        return found
    finally:
        con.close()


KILL_POINTS = {"early": 0.1, "mid-run": 0.5, "at-the-end": 0.97}  # fractions of the final log size


@pytest.fixture(scope="module")
def uninterrupted(corpus, tmp_path_factory) -> tuple[dict, int]:
    db = tmp_path_factory.mktemp("a") / "a.duckdb"
    largest = wait_all([(start(corpus, db), db)])
    found = snapshot(db)
    assert len(found["documents"]) == 18 * COPIES and found["events"] and found["event_groups"]
    assert not found["torn"] and not found["orphans"] and not found["duplicate events"]
    return found, largest


@pytest.fixture(scope="module")
def killed_and_resumed(corpus, uninterrupted, tmp_path_factory) -> dict[str, tuple[dict, dict]]:
    """Per kill point: what the kill left, and the database after resuming. The three runs go side
    by side: each is killed on its own log's size, so sharing the CPU moves nothing but the clock."""
    _, largest = uninterrupted
    dbs = {name: tmp_path_factory.mktemp(name) / "b.duckdb" for name in KILL_POINTS}
    kill_all([(start(corpus, dbs[name]), dbs[name], int(f * largest)) for name, f in KILL_POINTS.items()])
    left = {name: snapshot(db) for name, db in dbs.items()}  # the files open after a SIGKILL
    wait_all([(start(corpus, db), db) for db in dbs.values()])
    return {name: (left[name], snapshot(db)) for name, db in dbs.items()}


@pytest.mark.slow
@pytest.mark.parametrize("where", list(KILL_POINTS))
def test_killed_run_resumes_to_the_same_database(uninterrupted, killed_and_resumed, where):
    expected, _ = uninterrupted
    left, resumed = killed_and_resumed[where]
    stored = len(left["documents"])
    assert not left["torn"] and not left["orphans"] and not left["duplicate events"]
    assert stored % BATCH == 0 or stored == len(expected["documents"]), stored  # whole batches only
    assert set(left["events"]) <= set(expected["events"])
    if where != "at-the-end":
        assert 0 < stored < len(expected["documents"]), f"the kill did not land mid-run ({stored} stored)"
    assert resumed == expected
