"""Property-based fuzzing of the ingest readers: whatever the bytes, a reader yields Documents or
one-line SkippedInputs naming the file, and never raises."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from telex.ingest import iter_inputs
from telex.records import Document, SkippedInput

FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SUFFIXES = [".txt", ".jsonl", ".html", ".jsonl.gz"]

# Bytes that look like what scrapers bring back: text in several encodings, markup, JSON, and noise.
fragments = st.one_of(
    st.binary(max_size=300),
    st.text(max_size=300).map(lambda t: t.encode("utf-8", "surrogatepass")),
    st.text(alphabet=st.characters(max_codepoint=255), max_size=300).map(lambda t: t.encode("latin-1")),
    st.sampled_from([b"<html>", b"<script>alert(1)</script>", b"</p><p>", b"<!--", b"<![CDATA[", b"\xef\xbb\xbf",
                     b"\xff\xfe", b"{\"text\": \"", b"\"}\n", b"\n", b"\r\n", b"\x00", b"\x1f\x8b\x08",
                     "Le Premier ministre a reçu son homologue à Paris. ".encode(), "été".encode("cp1252")]),
)
contents = st.lists(fragments, max_size=12).map(b"".join)


def check(items: list, path: Path) -> None:
    for item in items:
        assert isinstance(item, Document | SkippedInput)
        if isinstance(item, SkippedInput):
            message = item.message()
            assert "\n" not in message and message.startswith(str(path)), message
            assert item.reason and len(item.reason) < 60
        else:
            item.text.encode("utf-8")  # no lone surrogates: storable and hashable
            assert item.text.strip() and item.content_hash
            for value in (item.title, item.url, item.source):
                assert value is None or isinstance(value, str)


def read_bytes_as(content: bytes, suffix: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"input{suffix}"
        path.write_bytes(content)
        check(list(iter_inputs([path])), path)


@FUZZ
@given(content=contents, suffix=st.sampled_from(SUFFIXES))
def test_readers_never_raise_on_arbitrary_bytes(content, suffix):
    read_bytes_as(content, suffix)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=40),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=8,
)
field_values = st.one_of(json_values, st.sampled_from(
    ["", " ", "2021-02-30", "2020-13-01", "0000-00-00", "99999-01-01", "hier", "2020", "2020-06",
     "Le Mali a rappelé son ambassadeur à Alger. " * 3, "\ud800", "\u0000", "x" * 500]))
records = st.dictionaries(st.sampled_from(["id", "text", "date", "title", "url", "source", "other"]),
                          field_values, max_size=7)


@FUZZ
@given(lines=st.lists(st.one_of(records.map(json.dumps), json_values.map(json.dumps), st.text(max_size=60)),
                      min_size=1, max_size=8))
def test_jsonl_records_with_odd_fields_never_raise(lines):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "feed.jsonl"
        path.write_text("\n".join(lines), encoding="utf-8", errors="surrogatepass")
        items = list(iter_inputs([path]))
        check(items, path)
        lined = [i for i in items if isinstance(i, SkippedInput) and i.line is not None]
        assert all(1 <= i.line <= path.read_bytes().count(b"\n") + 1 for i in lined)
