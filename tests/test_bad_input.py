"""Every bad input an unattended run may meet, and what telex does with it (docs/bad-input.md).

Each test is one row of the table in docs/bad-input.md: the reader never raises, and a
skipped input comes back as one line naming the file (and line) with a short reason.
"""

from __future__ import annotations

import gzip
import json
import os
import time
import tracemalloc

import pytest
from conftest import ROOT, shared_path

from telex.ingest import iter_inputs, language, readers
from telex.records import Document, PartialDate, SkippedInput

FRENCH = ("Le président égyptien s'est rendu mercredi à Rome, où il a rencontré la présidente du Conseil italien "
          "pour évoquer la situation en Libye et les flux migratoires en Méditerranée centrale. Les deux dirigeants "
          "ont signé un accord de coopération énergétique, selon un communiqué de la présidence.")
ENGLISH = ("The Egyptian president travelled to Rome on Wednesday, where he met the Italian prime minister to discuss "
           "the situation in Libya and migration across the central Mediterranean. The two leaders signed an energy "
           "cooperation agreement, according to a statement from the presidency.")
SPANISH = ("El presidente egipcio viajó el miércoles a Roma, donde se reunió con la primera ministra italiana para "
           "hablar de la situación en Libia y de la migración en el Mediterráneo central. Los dos dirigentes firmaron "
           "un acuerdo de cooperación energética, según un comunicado de la presidencia.")
GERMAN = ("Der ägyptische Präsident reiste am Mittwoch nach Rom, wo er die italienische Ministerpräsidentin traf, um "
          "über die Lage in Libyen und die Migration im zentralen Mittelmeer zu sprechen. Die beiden Politiker "
          "unterzeichneten ein Abkommen über die Zusammenarbeit im Energiebereich, teilte das Präsidialamt mit.")


def read(*paths) -> tuple[list[Document], list[SkippedInput]]:
    items = list(iter_inputs(paths))
    assert all(isinstance(i, Document | SkippedInput) for i in items)
    return [i for i in items if isinstance(i, Document)], [i for i in items if isinstance(i, SkippedInput)]


def one_skip(path, reason: str) -> SkippedInput:
    documents, skipped = read(path)
    assert not documents, [d.text[:80] for d in documents]
    [skip] = skipped
    assert skip.reason == reason, skip.message()
    assert "\n" not in skip.message() and skip.message().startswith(str(path))
    return skip


def one_doc(path) -> Document:
    documents, skipped = read(path)
    assert not skipped, [s.message() for s in skipped]
    [document] = documents
    return document


# -- empty, binary, not a file ----------------------------------------------------------


@pytest.mark.parametrize("name,content", [
    ("empty.txt", b""), ("blank.txt", b" \n\t\r\n"), ("bom.txt", b"\xef\xbb\xbf"), ("empty.html", b""),
    ("empty.jsonl", b""),
])
def test_empty_files(tmp_path, name, content):
    (tmp_path / name).write_bytes(content)
    one_skip(tmp_path / name, "empty file")


def test_blank_lines_only_jsonl_yields_nothing(tmp_path):
    (tmp_path / "blank.jsonl").write_bytes(b"\n\n  \n")
    assert read(tmp_path / "blank.jsonl") == ([], [])


@pytest.mark.parametrize("name,content", [
    ("nul.txt", b"\x00\x01\x02\x03PNG"),
    ("png.html", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8),
    ("controls.txt", bytes(range(1, 32)) * 40),  # no NUL byte, but no text either
    ("gzip.txt", gzip.compress(FRENCH.encode("utf-8") * 5)),
    ("elf.jsonl", b"\x7fELF\x02\x01\x01\x00" + bytes(range(256)) * 40 + b"\n" + bytes(range(256)) * 40),
])
def test_binary_files(tmp_path, name, content):
    (tmp_path / name).write_bytes(content)
    one_skip(tmp_path / name, "binary file, not text")  # one line for the file, not one per 'line'


def test_unknown_extension_and_missing_path(tmp_path):
    (tmp_path / "notes.docx").write_bytes(b"PK\x03\x04")
    (tmp_path / "feed.txt.gz").write_bytes(gzip.compress(b"x"))
    documents, skipped = read(tmp_path, tmp_path / "missing.txt")
    messages = sorted(s.message() for s in skipped)
    assert not documents
    assert [s.reason for s in skipped] == ["unknown extension", "unknown extension", "no such file or folder"]
    assert any("notes.docx: unknown extension ('.docx'" in m for m in messages)
    assert any("feed.txt.gz: unknown extension ('.txt.gz'" in m for m in messages)


def test_fifo_and_broken_link_do_not_block(tmp_path):
    os.mkfifo(tmp_path / "pipe.txt")  # reading it would wait forever for a writer
    (tmp_path / "gone.txt").symlink_to(tmp_path / "nowhere.txt")
    started = time.monotonic()
    documents, skipped = read(tmp_path)
    assert time.monotonic() - started < 5
    assert {s.path.rsplit("/", 1)[1]: s.reason for s in skipped} == {
        "pipe.txt": "not a regular file", "gone.txt": "broken symbolic link"}


def test_undecodable_file_name(tmp_path):
    path = os.path.join(os.fsencode(tmp_path), b"caf\xe9.txt")  # a Latin-1 name from a Windows archive
    with open(path, "wb") as handle:
        handle.write(FRENCH.encode("utf-8"))
    [document] = read(tmp_path)[0]
    assert document.doc_id == "caf\ufffd" and document.path.endswith("caf\ufffd.txt")
    document.path.encode("utf-8")  # printable and storable: no surrogate escapes left


def test_file_name_with_a_newline_gives_one_line(tmp_path):
    (tmp_path / "two\nlines.txt").write_text(ENGLISH, encoding="utf-8")
    [skip] = read(tmp_path)[1]
    assert skip.message() == f"{tmp_path}/two\ufffdlines.txt: not French (detected en, p=1.00)"


# -- encodings ----------------------------------------------------------------------------


def test_windows_1252_punctuation_is_decoded(tmp_path):
    text = "L’Élysée a reçu l’œuvre — un budget de 5 € — « sans délai »."
    (tmp_path / "cp1252.txt").write_bytes(text.encode("cp1252"))
    assert one_doc(tmp_path / "cp1252.txt").text == "L'Élysée a reçu l'œuvre — un budget de 5 € — « sans délai »."


def test_latin_1_is_decoded(tmp_path):
    text = "Le général a été reçu à l'Élysée, où il a évoqué la sécurité des côtes françaises."
    (tmp_path / "latin1.txt").write_bytes(text.encode("latin-1"))
    assert one_doc(tmp_path / "latin1.txt").text == text


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16"])
def test_byte_order_marks(tmp_path, encoding):
    (tmp_path / "bom.txt").write_bytes(FRENCH.encode(encoding))
    assert one_doc(tmp_path / "bom.txt").text == FRENCH


def test_utf8_cut_inside_a_character(tmp_path):
    raw = (FRENCH + " Paris, été").encode("utf-8")[:-1]  # ends in the first byte of 'é'
    (tmp_path / "cut.txt").write_bytes(raw)
    text = one_doc(tmp_path / "cut.txt").text
    assert text.endswith("Paris, ét") and "égyptien" in text  # no mojibake from a Windows-1252 fallback


def test_utf8_with_a_stray_windows_1252_byte(tmp_path):
    raw = FRENCH.encode("utf-8") + b" Le ministre a d\xe9clar\xe9 la fin."
    (tmp_path / "mixed.txt").write_bytes(raw)
    text = one_doc(tmp_path / "mixed.txt").text
    assert "égyptien" in text and "d\ufffdclar\ufffd" in text


def test_jsonl_in_windows_1252(tmp_path):
    line = json.dumps({"id": "w", "text": "L’armée a quitté la région."}, ensure_ascii=False)
    (tmp_path / "feed.jsonl").write_bytes(line.encode("cp1252") + b"\n")
    assert one_doc(tmp_path / "feed.jsonl").text == "L'armée a quitté la région."


# -- size ---------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["huge.txt", "huge.html"])
def test_very_large_single_article_file_is_refused_unread(tmp_path, monkeypatch, name):
    path = tmp_path / name
    with path.open("wb") as handle:
        handle.truncate(200 * 2**20)  # a sparse 200 MB file
    opened = []
    real_open = type(path).open
    monkeypatch.setattr(type(path), "open", lambda self, *a, **k: opened.append(self) or real_open(self, *a, **k))
    skip = one_skip(path, "file too large")
    assert "200 MiB" in skip.message() and opened == []  # decided from stat: not one byte read


def test_very_large_jsonl_is_streamed(tmp_path):
    path = tmp_path / "huge.jsonl"
    good = [json.dumps({"id": f"a{i}", "text": FRENCH}) for i in range(30)]  # > 8 KB: the sniff sees text
    with path.open("wb") as handle:
        handle.write(("\n".join(good) + "\n").encode())
        handle.truncate(200 * 2**20)  # then 190+ MB with no newline at all
    language.detect(FRENCH)  # the language model's one-time load is not the reader's memory
    tracemalloc.start()
    try:
        documents, skipped = read(path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert len(documents) == 30
    assert [(s.reason, s.line) for s in skipped] == [("line too long", 31)]
    assert peak < 3 * readers.MAX_LINE_BYTES < 200 * 2**20 / 4, peak  # never the whole file, nor the whole line


def test_article_too_long(tmp_path):
    path = tmp_path / "long.jsonl"
    path.write_text(json.dumps({"id": "x", "text": "a " * (readers.MAX_ARTICLE_CHARS // 2 + 1)}) + "\n"
                    + json.dumps({"id": "y", "text": FRENCH}) + "\n", encoding="utf-8")
    documents, skipped = read(path)
    assert [d.doc_id for d in documents] == ["y"]
    assert [(s.reason, s.line) for s in skipped] == [("article too long", 1)]


# -- JSON Lines ----------------------------------------------------------------------------


def test_jsonl_broken_lines_are_reported_with_numbers(tmp_path):
    path = tmp_path / "feed.jsonl"
    lines = [
        json.dumps({"id": "one", "text": FRENCH}),
        "{not json",
        json.dumps({"id": "two", "title": "Titre"}),
        json.dumps(["a list"]),
        json.dumps({"id": "three", "text": 42}),
        "\x00\x01\x02\x03\x04\x05\x06\x07\x08\x0b\x0c\x0e\x0f",
        json.dumps({"id": "four", "text": FRENCH}),
        json.dumps({"id": "cut", "text": FRENCH})[:50],  # the last line, cut mid-record, no newline
    ]
    path.write_text("\n".join(lines), encoding="utf-8")
    documents, skipped = read(path)
    assert [d.doc_id for d in documents] == ["one", "four"]
    assert [(s.line, s.reason) for s in skipped] == [
        (2, "not valid JSON"), (3, "no 'text' field"), (4, "line is not a JSON object"), (5, "no 'text' field"),
        (6, "binary data, not text"), (8, "not valid JSON")]
    assert skipped[0].message().startswith(f"{path}:2: not valid JSON (")
    assert documents[1].path == f"{path}:7"


def test_a_file_that_is_not_json_lines_gets_one_message(tmp_path):
    path = tmp_path / "table.jsonl"
    path.write_text("id;text;date\n" + "".join(f"{i};Texte {i};2020-01-01\n" for i in range(500)), encoding="utf-8")
    skip = one_skip(path, "not JSON Lines")
    assert "line 1: not valid JSON" in skip.message()


def test_jsonl_of_foreign_articles_is_not_mistaken_for_a_bad_file(tmp_path):
    """Cyrillic and CJK UTF-8 are mostly bytes 0x80-0xBF (C1 controls in Latin-1): text, not binary;
    a feed of English articles is JSON Lines whose records are skipped one by one, not 'not JSON Lines'."""
    russian = "Президент Египта в среду прибыл в Рим, где встретился с премьер-министром Италии. " * 4
    chinese = "埃及总统周三抵达罗马，会见了意大利总理，讨论利比亚局势和地中海中部的移民问题。" * 6
    path = tmp_path / "foreign.jsonl"
    lines = [{"id": f"r{i}", "text": t} for i, t in enumerate([russian, chinese, ENGLISH] * 10)]
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in lines), encoding="utf-8")
    documents, skipped = read(path)
    assert not documents and len(skipped) == 30 and {s.reason for s in skipped} == {"not French"}
    curly = tmp_path / "curly.jsonl"  # French with typographic apostrophes: 2 of their 3 UTF-8 bytes are 0x80-0x9F
    curly.write_text(json.dumps({"text": FRENCH.replace("'", "’") + " L’État, l’Élysée, qu’il, d’où, l’on." * 40},
                                ensure_ascii=False) + "\n", encoding="utf-8")
    one_doc(curly)


def test_jsonl_odd_fields(tmp_path):
    path = tmp_path / "odd.jsonl"
    records = [
        {"id": ["a", "list"], "text": FRENCH, "date": "hier"},
        {"id": 7, "text": FRENCH, "date": 2021, "title": 12, "url": ["x"], "source": {"a": 1}},
        {"id": "", "text": FRENCH, "date": "2021-02-30"},  # a day February does not have
        {"id": "surrogate", "text": FRENCH + " \ud800 fin \u0000\u0007.", "title": "T\udc00"},
        {"id": True, "text": FRENCH, "date": None},
    ]
    path.write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
    documents, skipped = read(path)
    assert not skipped
    assert [d.doc_id for d in documents] == ["odd-1", "7", "odd-3", "surrogate", "odd-5"]
    assert [d.date for d in documents[:3]] == [None, PartialDate(2021), None]
    assert documents[1].title == "12" and documents[1].url is None and documents[1].source is None
    assert documents[3].text.endswith(" \ufffd fin   .") and documents[3].title == "T\ufffd"
    for document in documents:
        document.text.encode("utf-8")  # storable: what DuckDB and the content hash need
        assert document.content_hash


@pytest.mark.parametrize("date", ["31/02/2020", "2021-02-29"])
def test_impossible_dates_in_the_text_are_ignored(tmp_path, date):
    (tmp_path / "d.txt").write_text(f"Agence | {date} 09h21\n\n{FRENCH}", encoding="utf-8")
    assert one_doc(tmp_path / "d.txt").date is None
    # a day the month lacks does not refine a month known from metadata either
    (tmp_path / "m.jsonl").write_text(json.dumps({"text": f"ANKARA, 30 février (Agence) - {FRENCH}",
                                                  "date": "2021-02"}) + "\n", encoding="utf-8")
    assert one_doc(tmp_path / "m.jsonl").date == PartialDate(2021, 2)


def test_jsonl_gz(tmp_path):
    lines = "".join(json.dumps({"id": f"g{i}", "text": FRENCH + f" Numéro {i}."}) + "\n" for i in range(200))
    (tmp_path / "feed.jsonl.gz").write_bytes(gzip.compress(lines.encode("utf-8")))
    assert len(read(tmp_path / "feed.jsonl.gz")[0]) == 200


def test_truncated_gzip_keeps_what_came_before(tmp_path):
    lines = "".join(json.dumps({"id": f"g{i}", "text": FRENCH + f" Numéro {i}."}) + "\n" for i in range(200))
    data = gzip.compress(lines.encode("utf-8"))
    (tmp_path / "cut.jsonl.gz").write_bytes(data[: len(data) // 2])
    documents, skipped = read(tmp_path / "cut.jsonl.gz")
    assert 0 < len(documents) < 200
    assert skipped[-1].reason == "truncated gzip" and skipped[-1].line == len(documents) + 1 + (len(skipped) - 1)


def test_jsonl_gz_that_is_not_gzip(tmp_path):
    (tmp_path / "plain.jsonl.gz").write_text(json.dumps({"text": FRENCH}), encoding="utf-8")
    one_skip(tmp_path / "plain.jsonl.gz", "not a gzip file")


# -- HTML -----------------------------------------------------------------------------------

PARAGRAPHS = f"<p>{FRENCH}</p><p>Il a ajouté que la coopération entre les deux pays continuerait.</p>"


def test_html_scripts_styles_and_junk_never_reach_the_text(tmp_path):
    html = f"""<html><head><title>Visite</title><style>body{{font:STYLESECRET}}</style>
    <script>var SCRIPTSECRET = 1; document.write('<p>WRITESECRET</p>');</script>
    <script type="application/ld+json">{{"@type": "NewsArticle", "headline": "LDSECRET"}}</script></head><body>
    <div class="ad">Publicité ADSECRET</div><noscript>NOSCRIPTSECRET</noscript>
    <article><h1>Le président égyptien en visite à Rome</h1>{PARAGRAPHS}
    <p>Selon la présidence, <script>INLINESECRET()</script> la visite a duré deux jours.</p>
    <iframe src="x">IFRAMESECRET</iframe><button onclick="ONCLICKSECRET()">ok</button></article>
    <!-- COMMENTSECRET --></body></html>"""
    (tmp_path / "junk.html").write_text(html, encoding="utf-8")
    text = one_doc(tmp_path / "junk.html").text
    assert "s'est rendu mercredi à Rome" in text and "la visite a duré deux jours" in text
    assert "SECRET" not in text


@pytest.mark.parametrize("cut_at", ["Les deux dirigeants", "</p><p>Il", "<p>Il a"])
def test_html_cut_mid_page_or_mid_tag(tmp_path, cut_at):
    html = f"<html><body><article><h1>Titre</h1>{PARAGRAPHS}</article></body></html>"
    cut = html.index(cut_at) + len(cut_at) // 2
    (tmp_path / "cut.html").write_text(html[:cut], encoding="utf-8")
    text = one_doc(tmp_path / "cut.html").text
    assert "s'est rendu mercredi à Rome" in text and "<" not in text


def test_html_without_an_article(tmp_path):
    (tmp_path / "nav.html").write_text("<html><body><script>x()</script><p></p></body></html>", encoding="utf-8")
    one_skip(tmp_path / "nav.html", "no article text found in the HTML")


def test_html_nested_too_deeply(tmp_path):
    (tmp_path / "deep.html").write_text("<html><body>" + "<div>" * 100_000 + PARAGRAPHS + "</div>" * 100_000,
                                        encoding="utf-8")
    documents, skipped = read(tmp_path / "deep.html")
    assert len(documents) + len(skipped) == 1  # lxml gives up on the nesting: skipped, not a crash


# -- content ----------------------------------------------------------------------------------


@pytest.mark.parametrize("content", ["1234 5678\n\n... !!! ???\n\n2020-01-01 12:00", "— • — • —\n* * *", "a 1 b 2 c 3"])
def test_text_with_no_sentences(tmp_path, content):
    (tmp_path / "nowords.txt").write_text(content, encoding="utf-8")
    one_skip(tmp_path / "nowords.txt", "no sentences")


def test_page_furniture_only(tmp_path):
    (tmp_path / "furniture.txt").write_text("Partagez cet article\n© 2021 Agence X. Tous droits réservés.",
                                            encoding="utf-8")
    one_skip(tmp_path / "furniture.txt", "no text left after removing page furniture")


def test_text_with_no_date_is_kept_undated(tmp_path):
    (tmp_path / "undated.txt").write_text(FRENCH, encoding="utf-8")
    document = one_doc(tmp_path / "undated.txt")
    assert document.date is None and document.date_origin is None


# -- language ---------------------------------------------------------------------------------


@pytest.mark.parametrize("text,language", [(ENGLISH, "en"), (SPANISH, "es"), (GERMAN, "de")])
def test_articles_in_other_languages_are_skipped(tmp_path, text, language):
    (tmp_path / "foreign.txt").write_text(text, encoding="utf-8")
    skip = one_skip(tmp_path / "foreign.txt", "not French")
    assert f"(detected {language}, p=" in skip.message()


def test_short_texts_are_kept_whatever_their_language(tmp_path):
    (tmp_path / "short.txt").write_text("Obama met Putin in Moscow.", encoding="utf-8")
    one_doc(tmp_path / "short.txt")


def test_french_with_english_quotes_is_kept(tmp_path):
    text = (FRENCH + ' « We will not back down », a déclaré le porte-parole, avant d\'ajouter : "This agreement is '
            'a milestone for both our nations and for the whole region". ' + FRENCH)
    (tmp_path / "quotes.txt").write_text(text, encoding="utf-8")
    one_doc(tmp_path / "quotes.txt")


def test_language_filter_can_be_turned_off(tmp_path, monkeypatch):
    (tmp_path / "en.txt").write_text(ENGLISH, encoding="utf-8")
    monkeypatch.setenv("TELEX_LANGUAGES", "any")
    one_doc(tmp_path / "en.txt")
    monkeypatch.setenv("TELEX_LANGUAGES", "fr,en")
    one_doc(tmp_path / "en.txt")


def test_examples_are_all_accepted():
    documents, skipped = read(ROOT / "examples")
    assert [s.reason for s in skipped] == ["unknown extension"]  # examples/README.md
    assert len(documents) == 18


@pytest.mark.slow
def test_no_wikinews_article_is_rejected():
    """All 1,191 French Wikinews articles pass ingest: no false 'not French', no other skip."""
    path = shared_path("corpus", "wikinews-fr", "articles.jsonl")
    documents, skipped = read(path, shared_path("corpus", "seeds"))
    assert not skipped, [s.message() for s in skipped[:5]]
    assert len(documents) == 1191 + 5


# -- the whole run ------------------------------------------------------------------------------


def test_telex_run_on_a_folder_of_bad_inputs(tmp_path):
    """One line per bad file (or JSONL line), a summary that counts them, exit 0, good files stored."""
    from typer.testing import CliRunner

    from telex.cli import app
    from telex.storage import Store

    corpus = tmp_path / "in"
    corpus.mkdir()
    bad = {
        "empty.txt": b"", "binary.txt": b"\x00\x01\x02PNG", "controls.txt": bytes(range(1, 32)) * 40,
        "png.html": b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8, "notes.docx": b"PK\x03\x04",
        "english.txt": ENGLISH.encode(), "spanish.txt": SPANISH.encode(), "nowords.txt": b"12 34 ... !!!",
        "furniture.txt": "Partagez cet article\n© Agence X. Tous droits réservés.".encode(),
        "table.jsonl": ("id;text\n" + "".join(f"{i};Texte {i}\n" for i in range(40))).encode(),
        "nav.html": b"<html><body><script>x()</script></body></html>",
        "fake.jsonl.gz": b"not gzip at all",
    }
    for name, content in bad.items():
        (corpus / name).write_bytes(content)
    for name in ("huge.txt", "huge.html"):
        with (corpus / name).open("wb") as handle:
            handle.truncate(200 * 2**20)
    os.mkfifo(corpus / "pipe.txt")
    (corpus / "gone.txt").symlink_to(corpus / "nowhere.txt")
    lines = [json.dumps({"id": "j1", "text": FRENCH, "date": "2023-04-05"}), "{oops",
             json.dumps({"id": "j2", "text": 42}), json.dumps({"id": "j3", "text": FRENCH, "date": "2021-02-30"}),
             json.dumps({"id": "j4", "text": FRENCH})[:40]]
    (corpus / "feed.jsonl").write_text("\n".join(lines), encoding="utf-8")
    (corpus / "good.txt").write_text("date 2022-05-02\n\n" + FRENCH, encoding="utf-8")
    (corpus / "latin1.txt").write_bytes(("L’Égypte et l’Italie ont signé un accord à Rome. " + FRENCH).encode("cp1252"))
    (corpus / "page.html").write_text(f"<html><body><script>SECRET()</script><article>{PARAGRAPHS}</article>"
                                      "</body></html>", encoding="utf-8")
    db = tmp_path / "t.duckdb"
    result = CliRunner().invoke(app, ["run", str(corpus), "--db", str(db)])
    output = result.output
    assert result.exit_code == 0 and "Traceback" not in output, output
    skipped_lines = [line for line in output.splitlines() if line.startswith("skipped ")]
    expected = [*bad, "huge.txt", "huge.html", "pipe.txt", "gone.txt", "feed.jsonl:2", "feed.jsonl:3", "feed.jsonl:5"]
    for name in expected:
        assert sum(f"/{name}: " in line for line in skipped_lines) == 1, (name, skipped_lines)
    assert len(skipped_lines) == len(expected)
    assert f"│ skipped inputs             │ {len(expected):>8} │" in output.replace("┃", "│")
    assert "skipped 2 × not French" in output and "skipped 3 × binary file, not text" in output
    assert "undated" in output and "feed.jsonl:4" in output  # j3: its impossible date is dropped, it is kept
    with Store(db, read_only=True) as store:
        stored = dict(store.con.execute("SELECT doc_id, date FROM documents").fetchall())
        assert "SECRET" not in "".join(t for (t,) in store.con.execute("SELECT text FROM documents").fetchall())
    assert stored == {"j1": "2023-04-05", "j3": None, "good": "2022-05-02", "latin1": None, "page": None}
    again = CliRunner().invoke(app, ["run", str(corpus), "--db", str(db)])
    assert again.exit_code == 0 and "Traceback" not in again.output


def test_jsonl_nested_too_deeply(tmp_path):
    path = tmp_path / "deep.jsonl"
    path.write_text("[" * 100_000 + "]" * 100_000 + "\n" + json.dumps({"id": "ok", "text": FRENCH}) + "\n",
                    encoding="utf-8")
    documents, skipped = read(path)
    assert [d.doc_id for d in documents] == ["ok"]
    assert [(s.line, s.reason) for s in skipped] == [(1, "not valid JSON")]


def test_unreadable_folder_is_reported(tmp_path, monkeypatch):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "one.txt").write_text(FRENCH, encoding="utf-8")
    (tmp_path / "locked").mkdir()
    real_scandir = os.scandir

    def scandir(path="."):
        if os.fspath(path).endswith("locked"):  # what a folder without read permission does (tests run as root)
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    documents, skipped = read(tmp_path)
    assert [d.doc_id for d in documents] == ["one"]
    assert [s.message() for s in skipped] == [f"{tmp_path / 'locked'}: cannot read folder (Permission denied)"]
