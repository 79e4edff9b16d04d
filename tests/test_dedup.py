"""The same real-world event reported by several articles becomes one event with its counts."""

import json

from typer.testing import CliRunner

from telex.cli import app
from telex.storage import Store

ARTICLES = [
    {"id": "agence-a-1", "source": "Agence A", "date": "2023-08-07",
     "text": "NIAMEY, 7 août - Le Niger a vivement critiqué la France lundi. Le ton monte entre les deux capitales."},
    {"id": "agence-b-1", "source": "Agence B", "date": "2023-08-08",
     "text": "Le Niger a critiqué la France lundi, au lendemain de nouvelles déclarations de Paris."},
    {"id": "journal-c-1", "source": "Journal C", "date": "2023-08-08",
     "text": "Les autorités de Niamey ont multiplié les messages. Le Niger a critiqué la France lundi à la radio."},
    {"id": "agence-a-2", "source": "Agence A", "date": "2023-09-20",
     "text": "Le Niger a de nouveau critiqué la France mercredi."},
]


def test_one_event_many_mentions(tmp_path):
    feed = tmp_path / "feed.jsonl"
    feed.write_text("\n".join(json.dumps(a, ensure_ascii=False) for a in ARTICLES) + "\n", encoding="utf-8")
    db = tmp_path / "t.duckdb"
    result = CliRunner().invoke(app, ["run", str(feed), "--db", str(db)])
    assert result.exit_code == 0, result.output
    with Store(db, read_only=True) as store:
        groups = store.con.execute(
            "SELECT date, num_mentions, num_sources, num_articles FROM event_groups "
            "WHERE source_code = 'NER' AND target_code = 'FRA' AND root = '11' ORDER BY date").fetchall()
        stories = store.con.execute("SELECT articles FROM stories ORDER BY articles DESC").fetchall()
    assert groups == [("2023-08-07", 3, 3, 3), ("2023-09-20", 1, 1, 1)]
    assert stories[0] == (3,)  # the three reports of 7 August are one story


def test_window_is_configurable(tmp_path):
    feed = tmp_path / "feed.jsonl"
    feed.write_text("\n".join(json.dumps(a, ensure_ascii=False) for a in ARTICLES) + "\n", encoding="utf-8")
    db = tmp_path / "t.duckdb"
    assert CliRunner().invoke(app, ["run", str(feed), "--db", str(db)]).exit_code == 0
    assert CliRunner().invoke(app, ["dedup", "--db", str(db), "--window", "60"]).exit_code == 0
    with Store(db, read_only=True) as store:
        [(mentions,)] = store.con.execute(
            "SELECT num_mentions FROM event_groups WHERE source_code = 'NER' AND target_code = 'FRA'").fetchall()
    assert mentions == 4
