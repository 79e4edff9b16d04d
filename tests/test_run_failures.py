"""A run survives what one document does to it: a coder failure, two texts under one id, a flood of bad lines."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from telex.cli import app
from telex.pipeline import EXAMPLES_KEPT, Coder, Settings, run
from telex.storage import Store

TEXTS = [
    "Le président turc a reçu mardi à Ankara son homologue russe pour des entretiens sur la Syrie.",
    "Le ministre égyptien des Affaires étrangères a condamné l'intervention étrangère en Libye.",
    "Les Nations unies ont appelé les deux camps libyens à un cessez-le-feu immédiat.",
    "Le gouvernement algérien a proposé sa médiation entre les parties libyennes.",
]


def write_feed(path, records):
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return path


def test_a_document_that_breaks_the_coder_is_skipped_and_the_run_goes_on(tmp_path, monkeypatch):
    feed = write_feed(tmp_path / "feed.jsonl", [
        {"id": f"d{i}", "date": f"2020-06-0{i + 1}", "text": text} for i, text in enumerate(TEXTS)])
    original = Coder.code

    def fragile(self, doc, document, keep_parse=True):
        if document.doc_id == "d2":
            raise IndexError("a bug the input exposed")
        return original(self, doc, document, keep_parse)

    monkeypatch.setattr(Coder, "code", fragile)
    skipped = []
    with Store(tmp_path / "t.duckdb") as store:
        summary = run([feed], store, Settings(batch_size=4), on_skip=skipped.append)
        stored = {row[0] for row in store.con.execute("SELECT doc_id FROM documents").fetchall()}
    assert stored == {"d0", "d1", "d3"}  # the batch's other documents are coded one by one and kept
    assert summary.documents == 3
    assert summary.skip_reasons == {"coding failed": 1}
    assert [s.reason for s in skipped] == ["coding failed"]
    assert "d2: IndexError: a bug the input exposed" in skipped[0].message()
    assert "\n" not in skipped[0].message()

    monkeypatch.setattr(Coder, "code", original)  # the bug fixed: a re-run codes only what was missing
    with Store(tmp_path / "t.duckdb") as store:
        again = run([feed], store, Settings(batch_size=4))
    assert (again.documents, again.unchanged, again.skipped_count) == (1, 3, 0)


def test_two_texts_under_one_id_are_reported_not_silently_dropped(tmp_path):
    feed = write_feed(tmp_path / "feed.jsonl", [
        {"id": "same", "date": "2020-06-01", "text": TEXTS[0]},
        {"id": "same", "date": "2020-06-01", "text": TEXTS[0]},  # the same article twice: harmless
        {"id": "same", "date": "2020-06-02", "text": TEXTS[1]},  # another article under the same id: a feed error
    ])
    with Store(tmp_path / "t.duckdb") as store:
        summary = run([feed], store, Settings())
        texts = [row[0] for row in store.con.execute("SELECT text FROM documents").fetchall()]
    assert texts == [TEXTS[0]]
    assert summary.unchanged == 1
    assert summary.skip_reasons == {"duplicate id": 1}
    assert "'same' already used by another text" in summary.skipped[0].message()


def test_the_summary_counts_everything_but_keeps_only_the_first_examples(tmp_path):
    lines = [json.dumps({"id": "ok", "text": TEXTS[2]})] + ["{not json"] * (EXAMPLES_KEPT + 50)
    feed = tmp_path / "feed.jsonl"
    feed.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with Store(tmp_path / "t.duckdb") as store:
        summary = run([feed], store, Settings())
    assert summary.skipped_count == EXAMPLES_KEPT + 50
    assert len(summary.skipped) == EXAMPLES_KEPT
    assert summary.documents == 1


def test_cli_reports_a_coder_failure_in_one_line(tmp_path, monkeypatch):
    feed = write_feed(tmp_path / "feed.jsonl", [{"id": "x", "date": "2020-06-01", "text": TEXTS[3]}])

    def broken(self, doc, document, keep_parse=True):
        raise ValueError("unexpected\nsecond line")

    monkeypatch.setattr(Coder, "code", broken)
    result = CliRunner().invoke(app, ["run", str(feed), "--db", str(tmp_path / "t.duckdb")])
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    assert "coding failed (x: ValueError: unexpected)" in result.output.replace("\n", " ")
    assert "skipped 1 × coding failed" in result.output
