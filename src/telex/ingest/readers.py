"""Readers for the three input formats: .txt, .jsonl and .html.

A reader yields `Document` records, or `SkippedInput` records that say in one
line which file (and line) could not be read and why. Readers never raise on
bad input: the run goes on.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator
from pathlib import Path

from telex.ingest.article_dates import article_date, parse_header
from telex.ingest.boilerplate import remove_boilerplate_lines
from telex.records import Document, PartialDate, SkippedInput
from telex.textnorm import clean

SUPPORTED_SUFFIXES = (".txt", ".jsonl", ".html", ".htm")
MAX_FILE_BYTES = 200 * 1024 * 1024  # larger files are refused, never read whole
MAX_ARTICLE_CHARS = 2_000_000

Item = Document | SkippedInput


def _decode(raw: bytes, path: str) -> str | SkippedInput:
    if b"\x00" in raw[:8192]:
        return SkippedInput(path, "binary file (NUL bytes), not text")
    for encoding in ("utf-8-sig",):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            pass
    # Latin-1 and Windows-1252 are what French scrapers bring back when not UTF-8.
    try:
        return raw.decode("cp1252")
    except UnicodeDecodeError:
        return raw.decode("latin-1")


def _finish(doc_id: str, text: str, path: str, metadata_date: PartialDate | None, **meta) -> Item:
    text = clean(text)
    header_date, text = parse_header(text)
    # Datelines and bylines are page furniture too: read the date before dropping them.
    date, origin = article_date(text, metadata_date or header_date)
    text = remove_boilerplate_lines(text)
    if not text.strip():
        return SkippedInput(path, "no text left after removing page furniture")
    if len(text) > MAX_ARTICLE_CHARS:
        return SkippedInput(path, f"article longer than {MAX_ARTICLE_CHARS} characters")
    if origin == "metadata" and header_date is not None and metadata_date is None:
        origin = "header"
    return Document(doc_id=doc_id, text=text, path=path, date=date, date_origin=origin, **meta)


def read_txt(path: Path) -> Iterator[Item]:
    raw = path.read_bytes()
    if not raw.strip():
        yield SkippedInput(str(path), "empty file")
        return
    text = _decode(raw, str(path))
    if isinstance(text, SkippedInput):
        yield text
        return
    yield _finish(path.stem, text, str(path), None)


def read_html(path: Path) -> Iterator[Item]:
    import trafilatura  # imported here: it is slow to import and only HTML needs it

    raw = path.read_bytes()
    if not raw.strip():
        yield SkippedInput(str(path), "empty file")
        return
    html = _decode(raw, str(path))
    if isinstance(html, SkippedInput):
        yield html
        return
    extracted = trafilatura.bare_extraction(html, include_comments=False, include_tables=False, with_metadata=True)
    if extracted is None:
        yield SkippedInput(str(path), "no article text found in the HTML")
        return
    data = extracted.as_dict() if hasattr(extracted, "as_dict") else dict(extracted)
    body = data.get("text") or ""
    if not body.strip():
        yield SkippedInput(str(path), "no article text found in the HTML")
        return
    title = data.get("title")
    text = f"{title}\n\n{body}" if title and not body.startswith(title) else body
    yield _finish(
        path.stem,
        text,
        str(path),
        PartialDate.parse(data.get("date")),
        title=title,
        url=data.get("url"),
        source=data.get("sitename"),
    )


def read_jsonl(path: Path) -> Iterator[Item]:
    if path.stat().st_size == 0:
        yield SkippedInput(str(path), "empty file")
        return
    with path.open("rb") as handle:
        for number, raw in enumerate(handle, start=1):
            if not raw.strip():
                continue
            line = _decode(raw, str(path))
            if isinstance(line, SkippedInput):
                yield SkippedInput(str(path), line.reason, number)
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as error:
                yield SkippedInput(str(path), f"not valid JSON ({error.msg})", number)
                continue
            if not isinstance(record, dict):
                yield SkippedInput(str(path), "line is not a JSON object", number)
                continue
            text = record.get("text")
            if not isinstance(text, str) or not text.strip():
                yield SkippedInput(str(path), "no 'text' field", number)
                continue
            doc_id = str(record.get("id") or f"{path.stem}-{number}")
            item = _finish(
                doc_id,
                text,
                f"{path}:{number}",
                PartialDate.parse(record.get("date")),
                title=record.get("title"),
                url=record.get("url"),
                source=record.get("source"),
            )
            yield item


_READERS = {".txt": read_txt, ".jsonl": read_jsonl, ".html": read_html, ".htm": read_html}


def read_path(path: Path) -> Iterator[Item]:
    """Read one file, whatever happens: problems come back as `SkippedInput`."""
    suffix = path.suffix.lower()
    reader = _READERS.get(suffix)
    if reader is None:
        yield SkippedInput(str(path), f"unknown extension '{suffix or '(none)'}' (expected .txt, .jsonl or .html)")
        return
    try:
        size = path.stat().st_size
    except OSError as error:
        yield SkippedInput(str(path), f"cannot read ({error.strerror})")
        return
    if size > MAX_FILE_BYTES and suffix != ".jsonl":
        yield SkippedInput(str(path), f"file too large ({size // 2**20} MiB > {MAX_FILE_BYTES // 2**20} MiB)")
        return
    try:
        yield from reader(path)
    except OSError as error:
        yield SkippedInput(str(path), f"cannot read ({error.strerror or error})")


def _expand(paths: Iterable[Path]) -> Iterator[Path | SkippedInput]:
    for path in paths:
        if path.is_dir():
            for root, dirs, files in os.walk(path):
                dirs.sort()
                for name in sorted(files):
                    if name.startswith("."):
                        continue
                    yield Path(root) / name
        elif path.exists():
            yield path
        else:
            yield SkippedInput(str(path), "no such file or folder")


def iter_inputs(paths: Iterable[str | Path]) -> Iterator[Item]:
    """All documents under the given files and folders (recursively), in a stable order."""
    for item in _expand(Path(p) for p in paths):
        if isinstance(item, SkippedInput):
            yield item
        else:
            yield from read_path(item)
