"""Shared fixtures. The spaCy pipeline is loaded once per session (it takes seconds)."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def shared_path(*parts: str) -> Path:
    """A path under ../shared, or a clean skip where the checkout has none."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} not present")
    return path


@pytest.fixture(scope="session")
def nlp():
    from telex import nlp as telex_nlp

    return telex_nlp.load()


@pytest.fixture(scope="session")
def coder():
    from telex.pipeline import Coder, Settings

    return Coder(Settings())


@pytest.fixture
def code_text(nlp, coder):
    """Code one text as an article of the given date; returns the events."""
    from telex.records import Document, PartialDate

    def run(text: str, date: str = "2020-06-15", doc_id: str = "t"):
        document = Document(doc_id, text, date=PartialDate.parse(date))
        return coder.code(nlp(text), document).events

    return run


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory):
    """The bundled examples coded once into a database (the server tests read it; nobody writes it)."""
    from typer.testing import CliRunner

    from telex.cli import app

    examples = ROOT / "examples"
    if not examples.exists():
        pytest.skip("no bundled examples")
    db = tmp_path_factory.mktemp("demo") / "demo.duckdb"
    result = CliRunner().invoke(app, ["run", str(examples), "--db", str(db)])
    assert result.exit_code == 0, result.output
    return db
