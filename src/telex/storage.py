"""Storage stage: one DuckDB file holding documents, sentences, actor mentions and events.

Each batch of documents is written in one transaction: a run killed mid-way
leaves whole documents or nothing. A document already stored with the same
content hash is skipped; one whose text changed is replaced.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pyarrow as pa

from telex.records import CodedDocument, Event

SCHEMA_VERSION = 1

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR);
CREATE TABLE IF NOT EXISTS documents (
    doc_id VARCHAR PRIMARY KEY, content_hash VARCHAR, path VARCHAR, title VARCHAR, url VARCHAR,
    source VARCHAR, date VARCHAR, date_precision VARCHAR, date_origin VARCHAR, text VARCHAR,
    n_sentences INTEGER, n_events INTEGER, parse BLOB, model VARCHAR, ingested_at TIMESTAMP DEFAULT current_timestamp
);
CREATE TABLE IF NOT EXISTS sentences (
    doc_id VARCHAR, sent_index INTEGER, char_start INTEGER, char_end INTEGER, text VARCHAR
);
CREATE TABLE IF NOT EXISTS mentions (
    doc_id VARCHAR, sent_index INTEGER, char_start INTEGER, char_end INTEGER, text VARCHAR,
    status VARCHAR, code VARCHAR, country VARCHAR, role VARCHAR, name VARCHAR, entry_id VARCHAR, label VARCHAR
);
CREATE TABLE IF NOT EXISTS events (
    event_id VARCHAR, doc_id VARCHAR, sent_index INTEGER, sentence VARCHAR, char_start INTEGER, char_end INTEGER,
    trigger VARCHAR, trigger_start INTEGER, trigger_end INTEGER,
    date VARCHAR, date_precision VARCHAR, date_origin VARCHAR,
    source_text VARCHAR, source_start INTEGER, source_end INTEGER, source_code VARCHAR, source_country VARCHAR,
    source_role VARCHAR, source_name VARCHAR, source_entry VARCHAR, source_via VARCHAR,
    target_text VARCHAR, target_start INTEGER, target_end INTEGER, target_code VARCHAR, target_country VARCHAR,
    target_role VARCHAR, target_name VARCHAR, target_entry VARCHAR, target_via VARCHAR,
    cameo VARCHAR, root VARCHAR, quad_class INTEGER, goldstein DOUBLE, plover VARCHAR, modality VARCHAR,
    rule VARCHAR, dict_version VARCHAR,
    place_name VARCHAR, place_country VARCHAR, place_admin1 VARCHAR, place_lat DOUBLE, place_lon DOUBLE,
    place_geonameid BIGINT, path VARCHAR
);
"""

TABLES = ("documents", "sentences", "mentions", "events")
_EVENT_KEY = "event_id, doc_id, source_code, target_code, cameo, modality, date, place_name"


@dataclass
class BatchTables:
    """A batch of coded documents as one Arrow table per database table: what `Store.write_tables` inserts
    and what a distributed worker saves as a Parquet partition."""

    doc_ids: list[str]
    documents: pa.Table | None = None
    sentences: pa.Table | None = None
    mentions: pa.Table | None = None
    events: pa.Table | None = None


@dataclass
class EventChanges:
    added: int
    removed: int
    recoded: int
    unchanged: int
    listed: list[tuple[str, str, tuple]]  # (+ - ~, event_id, (doc_id, source, target, cameo, modality))


SIDE_FIELDS = ("text", "start", "end", "code", "country", "role", "name", "entry", "via")


def writer_memory() -> str:
    return os.environ.get("TELEX_DUCKDB_MEMORY", "192MB")


def whole_table_memory() -> str:
    return os.environ.get("TELEX_DUCKDB_WHOLE_TABLE_MEMORY", "4GB")


class StorageError(RuntimeError):
    """A database that cannot be opened or written, said in one line."""


class Store:
    def __init__(self, path: str | Path, read_only: bool = False):
        self.path = str(path)
        try:
            if read_only and not Path(self.path).exists():
                raise StorageError(f"{self.path}: no such database (run `telex run` first)")
            self.con = duckdb.connect(self.path, read_only=read_only)
        except duckdb.IOException as error:
            message = str(error).splitlines()[0]
            if "lock" in message.lower():
                raise StorageError(f"{self.path}: database is busy (another telex process is writing to it)") from None
            raise StorageError(f"{self.path}: cannot open database ({message})") from None
        except duckdb.Error as error:
            raise StorageError(f"{self.path}: not a telex database ({str(error).splitlines()[0]})") from None
        if not read_only:
            # DuckDB keeps the blocks it has written cached up to 80% of the machine's memory, so a writer's
            # memory grew with the database (the stored parses above all); a fixed budget keeps it flat, and
            # larger operations spill to disk. 128MB is too little for a checkpoint; 256MB held at 12,000 docs,
            # but the writer's peak then rose by its whole budget at a checkpoint (1,051 MiB at 5,000 docs against
            # 997 MiB with 192MB, 975 MiB with 160MB).
            self.con.execute("SET memory_limit = ?", [writer_memory()])
            # A checkpoint's vacuum merges the row groups written since the last one into the table's open row
            # group, re-reading all of it: at every checkpoint the writer's peak grew with the database (+40 MB
            # at 900 documents, +200 MB at 4,200). Without it, each checkpoint writes its own row groups: memory
            # stays flat, the file came out a quarter smaller, queries took as long, and row groups emptied by
            # deletes are still dropped (a recode does not grow the file).
            self.con.execute("SET max_vacuum_tasks = 0")
            self.con.execute(SCHEMA)
            self.con.execute("INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)", [str(SCHEMA_VERSION)])

    def close(self) -> None:
        self.con.close()

    @contextmanager
    def whole_table_memory(self):
        """A larger budget for operations over whole tables (dedup, stories), which run once per run.

        The writer's small budget keeps batch after batch flat, but grouping 100,000 events needs more than it
        (an out-of-memory error at 183 MB); the budget goes back down afterwards.
        """
        self.con.execute("SET memory_limit = ?", [whole_table_memory()])
        try:
            yield self.con
        finally:
            self.con.execute("SET memory_limit = ?", [writer_memory()])

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- writing -----------------------------------------------------------------
    def known_hashes(self) -> dict[str, str]:
        return dict(self.con.execute("SELECT doc_id, content_hash FROM documents").fetchall())

    def write(self, batch: list[CodedDocument], model: str = "") -> None:
        """Write a batch atomically: all of its documents, or none."""
        if batch:
            self.write_tables(batch_tables(batch, model))

    def write_tables(self, tables: BatchTables) -> None:
        """Write rows already turned into Arrow tables (by this process or a remote worker), atomically."""
        if not tables.doc_ids:
            return
        self.con.execute("BEGIN TRANSACTION")
        try:
            # Only documents already stored (a changed text) have rows to replace. Batches are atomic, so a
            # document absent from `documents` has no rows anywhere: new documents, the common case, skip the
            # deletes, which would otherwise scan the growing event and mention tables at every batch.
            stored = [row[0] for row in self.con.execute(
                "SELECT doc_id FROM documents WHERE doc_id IN (SELECT unnest(?))", [tables.doc_ids]).fetchall()]
            for table in ("events", "mentions", "sentences", "documents") if stored else ():
                self.con.execute(f"DELETE FROM {table} WHERE doc_id IN (SELECT unnest(?))", [stored])
            for table in TABLES:
                self._insert(table, getattr(tables, table))
            self.con.execute("COMMIT")
        except BaseException:
            self.con.execute("ROLLBACK")
            raise

    def _insert(self, table: str, arrow: pa.Table | None) -> None:
        if arrow is None or arrow.num_rows == 0:
            return
        self.con.register("batch_rows", arrow)
        try:
            columns = ", ".join(arrow.column_names)
            self.con.execute(f"INSERT INTO {table} ({columns}) SELECT {columns} FROM batch_rows")
        finally:
            self.con.unregister("batch_rows")

    def replace_coding(self, batch: list[CodedDocument]) -> None:
        """Replace the mentions and events of already stored documents (after a dictionary change)."""
        if not batch:
            return
        ids = [c.document.doc_id for c in batch]
        _, _, mentions, events = _rows(batch, "")
        self.con.execute("BEGIN TRANSACTION")
        try:
            for table in ("events", "mentions"):
                self.con.execute(f"DELETE FROM {table} WHERE doc_id IN (SELECT unnest(?))", [ids])
            self._insert("mentions", to_arrow(mentions) if mentions else None)
            self._insert("events", to_arrow(events) if events else None)
            self.con.execute("UPDATE documents SET n_events = c.n FROM (SELECT unnest(?) AS doc_id, unnest(?) AS n) c "
                             "WHERE documents.doc_id = c.doc_id", [ids, [len(c.events) for c in batch]])
            self.con.execute("COMMIT")
        except BaseException:
            self.con.execute("ROLLBACK")
            raise

    def stored_parses(self, batch_size: int = 256) -> Iterator[tuple[dict, bytes]]:
        """Documents with their stored parse, streamed (in storage order: no sort of the parses in memory)."""
        # A cursor of its own: the caller writes through `self.con` between chunks, and a new statement on a
        # connection ends the result it was streaming (recode stopped after the first chunk).
        reader = self.con.cursor()
        try:
            reader.execute("SELECT doc_id, text, path, title, url, source, date, date_origin, model, parse "
                           "FROM documents WHERE parse IS NOT NULL")
            for record in _stream(reader, batch_size):
                yield record, record.pop("parse")
        finally:
            reader.close()

    def snapshot_events(self) -> None:
        """Keep the identity and coding of every event aside, so `event_changes` can say what a recode changed."""
        self.con.execute(f"CREATE OR REPLACE TEMP TABLE events_before AS SELECT {_EVENT_KEY} FROM events")

    def event_changes(self, limit: int = 1000) -> EventChanges:
        """Events added, removed and recoded (same event, other modality, date or place) since `snapshot_events`,
        counted in SQL so a large database is never pulled into Python; the first `limit` changes are listed."""
        diff = f"""
            WITH a AS (SELECT {_EVENT_KEY} FROM events), b AS (SELECT * FROM events_before)
            SELECT '+' AS sign, a.* FROM a ANTI JOIN b USING (event_id)
            UNION ALL SELECT '-', b.* FROM b ANTI JOIN a USING (event_id)
            UNION ALL SELECT '~', a.* FROM a JOIN b ON a.event_id = b.event_id
                WHERE a.modality IS DISTINCT FROM b.modality OR a.date IS DISTINCT FROM b.date
                   OR a.place_name IS DISTINCT FROM b.place_name"""
        counts = dict(self.con.execute(f"SELECT sign, count(*) FROM ({diff}) GROUP BY sign").fetchall())
        total = self.con.execute("SELECT count(*) FROM events_before").fetchone()[0]
        rows = self.con.execute(
            f"SELECT sign, event_id, doc_id, source_code, target_code, cameo, modality FROM ({diff}) "
            "ORDER BY doc_id, source_code, target_code, cameo, event_id, sign LIMIT ?", [limit]).fetchall()
        self.con.execute("DROP TABLE events_before")
        removed = counts.get("-", 0)
        return EventChanges(added=counts.get("+", 0), removed=removed, recoded=counts.get("~", 0),
                            unchanged=total - removed - counts.get("~", 0),
                            listed=[(r[0], r[1], tuple(r[2:])) for r in rows])

    # -- reading -----------------------------------------------------------------
    def counts(self) -> dict[str, int]:
        return {
            table: self.con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            for table in ("documents", "sentences", "mentions", "events")
        }

    def event_rows(self, modalities: Iterable[str] | None = ("asserted",)) -> Iterator[dict]:
        query = "SELECT * FROM events"
        params: list = []
        if modalities is not None:
            query += " WHERE modality IN (SELECT unnest(?))"
            params.append(list(modalities))
        query += " ORDER BY doc_id, sent_index, trigger_start, event_id"
        yield from _stream(self.con.execute(query, params))

    def group_rows(self) -> Iterator[dict]:
        """Deduplicated events (see dedup.py), with the first article's URL."""
        cursor = self.con.execute(
            "SELECT g.*, d.url AS source_url FROM event_groups g LEFT JOIN documents d ON d.doc_id = g.first_doc_id "
            "ORDER BY g.date NULLS LAST, g.group_id")
        yield from _stream(cursor)

    def has_table(self, name: str) -> bool:
        return bool(self.con.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_name = ?", [name]).fetchone()[0])

    def event(self, event_id: str) -> dict | None:
        cursor = self.con.execute("SELECT * FROM events WHERE event_id = ?", [event_id])
        row = cursor.fetchone()
        return dict(zip([d[0] for d in cursor.description], row)) if row else None

    def document(self, doc_id: str) -> dict | None:
        cursor = self.con.execute("SELECT * EXCLUDE (parse) FROM documents WHERE doc_id = ?", [doc_id])
        row = cursor.fetchone()
        return dict(zip([d[0] for d in cursor.description], row)) if row else None


def _stream(cursor, batch_size: int = 2048) -> Iterator[dict]:
    """Rows of a query as dicts, fetched in chunks so a large table never sits in memory whole."""
    names = [d[0] for d in cursor.description]
    while chunk := cursor.fetchmany(batch_size):
        for row in chunk:
            yield dict(zip(names, row))


def to_arrow(rows: list[dict]) -> pa.Table:
    return pa.Table.from_pylist(rows)


def batch_tables(batch: list[CodedDocument], model: str = "") -> BatchTables:
    docs, sentences, mentions, events = _rows(batch, model)
    return BatchTables([c.document.doc_id for c in batch],
                       *(to_arrow(rows) if rows else None for rows in (docs, sentences, mentions, events)))


def _side(prefix: str, ref) -> dict:
    if ref is None:
        return {f"{prefix}_{f}": None for f in SIDE_FIELDS}
    actor = ref.actor
    return {
        f"{prefix}_text": ref.text, f"{prefix}_start": ref.start, f"{prefix}_end": ref.end,
        f"{prefix}_code": actor.code if actor else None, f"{prefix}_country": actor.country if actor else None,
        f"{prefix}_role": actor.role if actor else None, f"{prefix}_name": actor.name if actor else None,
        f"{prefix}_entry": actor.entry_id if actor else None, f"{prefix}_via": ref.via,
    }


def event_row(e: Event) -> dict:
    place = e.place
    return {
        "event_id": e.event_id, "doc_id": e.doc_id, "sent_index": e.sent_index, "sentence": e.sentence,
        "char_start": e.char_start, "char_end": e.char_end, "trigger": e.trigger,
        "trigger_start": e.trigger_start, "trigger_end": e.trigger_end,
        "date": e.date.iso() if e.date else None, "date_precision": e.date.precision if e.date else None,
        "date_origin": e.date_origin,
        **_side("source", e.source), **_side("target", e.target),
        "cameo": e.cameo, "root": e.root, "quad_class": e.quad_class, "goldstein": e.goldstein,
        "plover": e.plover, "modality": e.modality, "rule": e.rule, "dict_version": e.dict_version,
        "place_name": place.name if place else None, "place_country": place.country if place else None,
        "place_admin1": place.admin1 if place else None, "place_lat": place.lat if place else None,
        "place_lon": place.lon if place else None, "place_geonameid": place.geonameid if place else None,
        "path": json.dumps(e.path, ensure_ascii=False),
    }


def _rows(batch: list[CodedDocument], model: str):
    docs, sentences, mentions, events = [], [], [], []
    for coded in batch:
        d = coded.document
        docs.append({
            "doc_id": d.doc_id, "content_hash": d.content_hash, "path": d.path, "title": d.title, "url": d.url,
            "source": d.source, "date": d.date.iso() if d.date else None,
            "date_precision": d.date.precision if d.date else None, "date_origin": d.date_origin, "text": d.text,
            "n_sentences": len(coded.sentences), "n_events": len(coded.events), "parse": coded.parse, "model": model,
        })
        sentences.extend(
            {"doc_id": s.doc_id, "sent_index": s.index, "char_start": s.start, "char_end": s.end, "text": s.text}
            for s in coded.sentences
        )
        for m in coded.mentions:
            a = m.actor
            mentions.append({
                "doc_id": m.doc_id, "sent_index": m.sent_index, "char_start": m.start, "char_end": m.end,
                "text": m.text, "status": m.status, "code": a.code if a else None, "country": a.country if a else None,
                "role": a.role if a else None, "name": a.name if a else None, "entry_id": a.entry_id if a else None,
                "label": m.label,
            })
        events.extend(event_row(e) for e in coded.events)
    return docs, sentences, mentions, events
