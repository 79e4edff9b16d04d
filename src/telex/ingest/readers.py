"""Readers for the input formats: .txt, .jsonl (optionally gzipped) and .html.

A reader yields `Document` records, or `SkippedInput` records that say in one
line which file (and line) could not be read and why. Readers never raise on
bad input: the run goes on. docs/bad-input.md lists every bad input tried and
what happens to it.
"""

from __future__ import annotations

import codecs
import gzip
import json
import os
import re
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

from telex.ingest.article_dates import article_date, parse_header
from telex.ingest.boilerplate import remove_boilerplate_lines
from telex.ingest.language import foreign
from telex.records import Document, PartialDate, SkippedInput
from telex.textnorm import clean

SUPPORTED_SUFFIXES = (".txt", ".jsonl", ".jsonl.gz", ".html", ".htm")
MAX_ARTICLE_CHARS = 2_000_000
# A .txt or .html holds one article, so it is refused from its size (stat) before any byte is read.
# A .txt over 4 bytes a character cannot hold an article short enough; a page may carry markup and scripts.
MAX_TXT_BYTES = 4 * MAX_ARTICLE_CHARS
MAX_HTML_BYTES = 32 * 2**20
MAX_FILE_BYTES = MAX_HTML_BYTES  # kept for callers: the largest single-article file read
# JSON Lines are streamed line by line, whatever the file size; one line is read at most this far.
MAX_LINE_BYTES = 6 * MAX_ARTICLE_CHARS + 2**20  # JSON escapes (\u00e9) take 6 bytes a character
# A file whose first lines are all broken is not JSON Lines: one message for the file, not one per line.
MAX_LEADING_BAD_LINES = 20
SNIFF_BYTES = 8192
BINARY_CONTROL_SHARE = 0.05

Item = Document | SkippedInput

# Control characters no text carries (tab, newline, form feed and carriage return are text).
_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")
_SURROGATES = re.compile(r"[\ud800-\udfff]")
_NAME_CONTROLS = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_WORD = re.compile(r"[^\W\d_]{2,}")


def display(path: Path | str) -> str:
    """A path as one line of text that can be printed and stored: undecodable file-name bytes and
    control characters (a newline is legal in a Linux file name) become U+FFFD."""
    return _NAME_CONTROLS.sub("\ufffd", os.fsencode(path).decode("utf-8", errors="replace"))


def _looks_binary(text: str) -> bool:
    sample = text[:SNIFF_BYTES]
    return bool(sample) and len(_CONTROLS.findall(sample)) > BINARY_CONTROL_SHARE * len(sample)


def decode(raw: bytes) -> str | None:
    """Bytes to text, or None for binary data.

    UTF-8 first (with or without BOM; a character cut at the end of a truncated file
    is dropped, and a few stray bytes in a UTF-8 text become U+FFFD). Otherwise
    Windows-1252, which is Latin-1 plus printable characters (’ œ €) where Latin-1
    has only control codes: real Latin-1 text decodes the same either way.
    """
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = raw.decode("utf-16", errors="replace")
        return None if _looks_binary(text) else text
    if b"\x00" in raw[:SNIFF_BYTES]:
        return None
    text = _to_text(raw)
    return None if _looks_binary(text) else text


def _to_text(raw: bytes) -> str:
    if raw.startswith(codecs.BOM_UTF8):
        raw = raw[len(codecs.BOM_UTF8):]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        text = _salvage_utf8(raw, error)
        # 0x81 0x8D 0x8F 0x90 0x9D are undefined in Windows-1252: U+FFFD
        return text if text is not None else raw.decode("cp1252", errors="replace")


def _salvage_utf8(raw: bytes, error: UnicodeDecodeError) -> str | None:
    if error.reason == "unexpected end of data" and error.end == len(raw):
        return raw[:error.start].decode("utf-8")  # valid up to the cut, by construction
    lenient = raw.decode("utf-8", errors="replace")
    bad = lenient.count("\ufffd")
    good = sum(1 for c in lenient if c > "\x7f" and c != "\ufffd")
    # Windows-1252 accents are invalid UTF-8 one by one; UTF-8 with a stray byte has mostly valid ones.
    return lenient if good >= 3 * bad else None


def _text(value: str) -> str:
    """Text safe to store and print: no lone surrogates (from JSON escapes), no control codes."""
    return _CONTROLS.sub(" ", _SURROGATES.sub("\ufffd", value))


def _field(value) -> str | None:
    """A metadata field (title, url, source) as a string, whatever the JSON held."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float):
        value = str(value)
    if not isinstance(value, str):
        return None
    value = _text(value).strip()
    return value or None


def _finish(doc_id: str, text: str, path: str, metadata_date: PartialDate | None, line: int | None = None,
            **meta) -> Item:
    if len(text) > MAX_ARTICLE_CHARS:
        return SkippedInput(path, "article too long", line, f"{len(text):,} > {MAX_ARTICLE_CHARS:,} characters")
    text = clean(_text(text))
    header_date, text = parse_header(text)
    # Datelines and bylines are page furniture too: read the date before dropping them.
    date, origin = article_date(text, metadata_date or header_date)
    text = remove_boilerplate_lines(text)
    if not text.strip():
        return SkippedInput(path, "no text left after removing page furniture", line)
    if not _WORD.search(text):
        return SkippedInput(path, "no sentences", line, "no words: only digits, punctuation or symbols")
    language = foreign(text)
    if language:
        return SkippedInput(path, "not French", line, language)
    if origin == "metadata" and header_date is not None and metadata_date is None:
        origin = "header"
    where = f"{path}:{line}" if line is not None else path
    return Document(doc_id=doc_id, text=text, path=where, date=date, date_origin=origin,
                    **{k: _field(v) for k, v in meta.items()})


def _read_small(path: Path, name: str, limit: int) -> str | SkippedInput:
    """The decoded content of a one-article file, never reading more than `limit` bytes."""
    with path.open("rb") as handle:
        raw = handle.read(limit + 1)
    if len(raw) > limit:  # grew since stat, or stat lied (a /proc file)
        return SkippedInput(name, "file too large", detail=f"over {limit // 2**20} MiB")
    if not raw.strip():
        return SkippedInput(name, "empty file")
    text = decode(raw)
    if text is None:
        return SkippedInput(name, "binary file, not text")
    if not text.strip():  # a byte-order mark alone
        return SkippedInput(name, "empty file")
    return text


def read_txt(path: Path) -> Iterator[Item]:
    name = display(path)
    text = _read_small(path, name, MAX_TXT_BYTES)
    if isinstance(text, SkippedInput):
        yield text
        return
    yield _finish(display(path.stem), text, name, None)


def read_html(path: Path) -> Iterator[Item]:
    import trafilatura  # imported here: it is slow to import and only HTML needs it

    name = display(path)
    html = _read_small(path, name, MAX_HTML_BYTES)
    if isinstance(html, SkippedInput):
        yield html
        return
    # A page cut mid-tag ('...</p><a hr') would leave the tag's start in the text.
    cut = html.rfind("<")
    if cut > html.rfind(">"):
        html = html[:cut]
    try:
        extracted = trafilatura.bare_extraction(html, include_comments=False, include_tables=False,
                                                with_metadata=True)
    except (ValueError, TypeError, LookupError, RecursionError, MemoryError) as error:
        # lxml and trafilatura fail in these ways on pathological markup (nesting, odd encodings).
        yield SkippedInput(name, "HTML could not be parsed", detail=type(error).__name__)
        return
    if extracted is None:
        yield SkippedInput(name, "no article text found in the HTML")
        return
    data = extracted.as_dict() if hasattr(extracted, "as_dict") else dict(extracted)
    body = data.get("text") or ""
    if not body.strip():
        yield SkippedInput(name, "no article text found in the HTML")
        return
    title = data.get("title")
    text = f"{title}\n\n{body}" if title and not body.startswith(title) else body
    yield _finish(display(path.stem), text, name, PartialDate.parse(data.get("date")),
                  title=title, url=data.get("url"), source=data.get("sitename"))


def _lines(handle: BinaryIO) -> Iterator[tuple[int, bytes | None]]:
    """(number, line) pairs, never holding more than MAX_LINE_BYTES of one line; None for a longer line."""
    number = 0
    while True:
        raw = handle.readline(MAX_LINE_BYTES + 1)
        if not raw:
            return
        number += 1
        if len(raw) > MAX_LINE_BYTES and not raw.endswith(b"\n"):
            while raw and not raw.endswith(b"\n"):  # skip the rest of the line in small reads
                raw = handle.readline(2**20)
            yield number, None
            continue
        yield number, raw


def _doc_id(value, fallback: str) -> str:
    if isinstance(value, str) and value.strip():
        return _text(value)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return fallback  # missing, empty, or not a usable id (a list, an object): the line number names it


def _record(raw: bytes, number: int, path: Path, name: str) -> Item | None:
    if not raw.strip():
        return None
    line = decode(raw)
    if line is None:
        return SkippedInput(name, "binary data, not text", number)
    try:
        record = json.loads(line)
    except json.JSONDecodeError as error:
        return SkippedInput(name, "not valid JSON", number, error.msg)
    except RecursionError:
        return SkippedInput(name, "not valid JSON", number, "nested too deeply")
    if not isinstance(record, dict):
        return SkippedInput(name, "line is not a JSON object", number, type(record).__name__)
    text = record.get("text")
    if not isinstance(text, str) or not text.strip():
        return SkippedInput(name, "no 'text' field", number,
                            None if text is None else f"'text' is {type(text).__name__ if text else 'empty'}")
    date = record.get("date")
    stem = display(path.name.removesuffix(".gz").removesuffix(".jsonl"))
    return _finish(
        _doc_id(record.get("id"), f"{stem}-{number}"),
        text,
        name,
        PartialDate.parse(date) if isinstance(date, str | int) and not isinstance(date, bool) else None,
        number,
        title=record.get("title"),
        url=record.get("url"),
        source=record.get("source"),
    )


_NOT_A_RECORD = ("not valid JSON", "line is not a JSON object", "binary data, not text", "line too long")


def read_jsonl(path: Path) -> Iterator[Item]:
    name = display(path)
    if path.stat().st_size == 0:
        yield SkippedInput(name, "empty file")
        return
    gzipped = path.name.lower().endswith(".gz")
    with path.open("rb") as plain:
        # Not decode(): a NUL in one line among articles is that line's problem, not the file's.
        if not gzipped and _looks_binary(_to_text(plain.read(SNIFF_BYTES))):
            yield SkippedInput(name, "binary file, not text")
            return
        plain.seek(0)
        handle = gzip.GzipFile(fileobj=plain, mode="rb") if gzipped else plain
        leading: list[SkippedInput] = []  # unreadable lines before the first JSON record, held back
        seen_good = False  # a line was a JSON record (an article, or one skipped for its content)
        number = 0
        try:
            for number, raw in _lines(handle):
                item = SkippedInput(name, "line too long", number, f"over {MAX_LINE_BYTES // 2**20} MiB") \
                    if raw is None else _record(raw, number, path, name)
                if item is None:
                    continue
                if seen_good or isinstance(item, Document) or item.reason not in _NOT_A_RECORD:
                    if not seen_good:
                        seen_good = True
                        yield from leading
                        leading = []
                    yield item
                    continue
                leading.append(item)
                if len(leading) >= MAX_LEADING_BAD_LINES:
                    yield SkippedInput(name, "not JSON Lines", None,
                                       f"none of the first {MAX_LEADING_BAD_LINES} lines is a JSON record; "
                                       f"line 1: {leading[0].reason}")
                    return
        except (gzip.BadGzipFile, EOFError, zlib.error) as error:
            yield from leading
            leading = []
            what = "not a gzip file" if isinstance(error, gzip.BadGzipFile) and number == 0 else "truncated gzip"
            yield SkippedInput(name, what, number + 1 if number else None, str(error).splitlines()[0] or None)
            return
        yield from leading


def read_path(path: Path) -> Iterator[Item]:
    """Read one file, whatever happens: problems come back as `SkippedInput`."""
    name = display(path)
    lower = path.name.lower()
    if lower.endswith(".jsonl") or lower.endswith(".jsonl.gz"):
        reader, limit = read_jsonl, None
    elif lower.endswith(".txt"):
        reader, limit = read_txt, MAX_TXT_BYTES
    elif lower.endswith((".html", ".htm")):
        reader, limit = read_html, MAX_HTML_BYTES
    else:
        suffix = "".join(path.suffixes[-2:]) if lower.endswith(".gz") else path.suffix
        yield SkippedInput(name, "unknown extension",
                           detail=f"'{suffix or '(none)'}'; expected .txt, .jsonl, .jsonl.gz or .html")
        return
    try:
        if path.is_symlink() and not path.exists():
            yield SkippedInput(name, "broken symbolic link")
            return
        if not path.is_file():  # a FIFO or a device would block or never end
            yield SkippedInput(name, "not a regular file")
            return
        size = path.stat().st_size
    except OSError as error:
        yield SkippedInput(name, "cannot read", detail=error.strerror or str(error))
        return
    if limit is not None and size > limit:
        yield SkippedInput(name, "file too large", detail=f"{size / 2**20:.0f} MiB > {limit // 2**20} MiB "
                                                          f"for one article; split it or use .jsonl")
        return
    try:
        yield from reader(path)
    except OSError as error:
        yield SkippedInput(name, "cannot read", detail=error.strerror or str(error))


def _expand(paths: Iterable[Path]) -> Iterator[Path | SkippedInput]:
    for path in paths:
        if path.is_dir():
            unreadable: list[OSError] = []  # os.walk skips a folder it cannot list, silently unless told
            for root, dirs, files in os.walk(path, onerror=unreadable.append):
                while unreadable:
                    error = unreadable.pop(0)
                    yield SkippedInput(display(error.filename or root), "cannot read folder", detail=error.strerror)
                dirs.sort()
                for name in sorted(files):
                    if name.startswith("."):
                        continue
                    yield Path(root) / name
            for error in unreadable:
                yield SkippedInput(display(error.filename or path), "cannot read folder", detail=error.strerror)
        elif path.is_symlink() and not path.exists():
            yield SkippedInput(display(path), "broken symbolic link")
        elif path.exists():
            yield path
        else:
            yield SkippedInput(display(path), "no such file or folder")


def iter_inputs(paths: Iterable[str | Path]) -> Iterator[Item]:
    """All documents under the given files and folders (recursively), in a stable order."""
    for item in _expand(Path(p) for p in paths):
        if isinstance(item, SkippedInput):
            yield item
        else:
            yield from read_path(item)
