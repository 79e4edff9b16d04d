"""Export stage: the events table as JSONL, CSV or Parquet, with stable field names."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TextIO

import pyarrow as pa
import pyarrow.parquet as pq

FORMATS = ("jsonl", "csv", "parquet")
FLAT_COLUMNS = (
    "event_id", "doc_id", "sent_index", "date", "date_precision", "source_code", "source_country", "source_role",
    "source_name", "source_text", "target_code", "target_country", "target_role", "target_name", "target_text",
    "cameo", "root", "quad_class", "goldstein", "plover", "modality", "rule", "dict_version", "trigger",
    "trigger_start", "trigger_end", "char_start", "char_end", "sentence", "place_name", "place_country",
    "place_lat", "place_lon",
)


def _side(row: dict, prefix: str) -> dict | None:
    if row.get(f"{prefix}_code") is None and row.get(f"{prefix}_text") is None:
        return None
    return {
        "text": row.get(f"{prefix}_text"), "code": row.get(f"{prefix}_code"),
        "country": row.get(f"{prefix}_country"), "role": row.get(f"{prefix}_role"),
        "name": row.get(f"{prefix}_name"), "entry": row.get(f"{prefix}_entry"),
        "start": row.get(f"{prefix}_start"), "end": row.get(f"{prefix}_end"),
    }


def event_json(row: dict) -> dict:
    """One stored event as the documented JSON object (field names other tools rely on)."""
    place = None
    if row.get("place_name"):
        place = {"name": row["place_name"], "country": row["place_country"], "admin1": row.get("place_admin1"),
                 "lat": row["place_lat"], "lon": row["place_lon"]}
    return {
        "event_id": row["event_id"], "doc_id": row["doc_id"], "sentence": row["sentence"],
        "char_start": row["char_start"], "char_end": row["char_end"], "date": row["date"],
        "date_precision": row.get("date_precision"), "source": _side(row, "source"), "target": _side(row, "target"),
        "cameo": row["cameo"], "root": row["root"], "quad_class": row["quad_class"], "goldstein": row["goldstein"],
        "plover": row.get("plover"), "modality": row["modality"], "rule": row["rule"],
        "dict_version": row.get("dict_version"), "trigger": {"text": row["trigger"], "start": row["trigger_start"],
                                                             "end": row["trigger_end"]},
        "place": place,
    }


def write(rows: Iterable[dict], fmt: str, out: TextIO | Path) -> int:
    """Write events; returns how many. Parquet needs a path, the text formats take a stream."""
    if fmt == "jsonl":
        return _write_jsonl(rows, out)
    if fmt == "csv":
        return _write_csv(rows, out)
    if fmt == "parquet":
        return _write_parquet(rows, Path(out))
    raise ValueError(f"unknown format {fmt!r} (expected one of {', '.join(FORMATS)})")


def _write_jsonl(rows: Iterable[dict], out: TextIO) -> int:
    n = 0
    for row in rows:
        out.write(json.dumps(event_json(row), ensure_ascii=False) + "\n")
        n += 1
    return n


def _write_csv(rows: Iterable[dict], out: TextIO) -> int:
    writer = csv.DictWriter(out, fieldnames=FLAT_COLUMNS, extrasaction="ignore")
    writer.writeheader()
    n = 0
    for row in rows:
        writer.writerow(row)
        n += 1
    return n


def _chunks(rows: Iterable[dict], size: int = 10_000) -> Iterator[list[dict]]:
    chunk: list[dict] = []
    for row in rows:
        chunk.append({k: row.get(k) for k in FLAT_COLUMNS})
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


SCHEMA = pa.schema([
    (name, pa.int64() if name in {"sent_index", "quad_class", "trigger_start", "trigger_end", "char_start", "char_end"}
     else pa.float64() if name in {"goldstein", "place_lat", "place_lon"} else pa.string())
    for name in FLAT_COLUMNS
])


def _write_parquet(rows: Iterable[dict], path: Path) -> int:
    n = 0
    with pq.ParquetWriter(path, SCHEMA) as writer:
        for chunk in _chunks(rows):
            writer.write_table(pa.Table.from_pylist(chunk, schema=SCHEMA))
            n += len(chunk)
    if n == 0:
        pq.write_table(SCHEMA.empty_table(), path)
    return n
