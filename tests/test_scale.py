"""Scale: streaming in bounded memory, worker processes, incremental runs, recoding without parsing, Dask."""

from __future__ import annotations

import multiprocessing

import pytest
from conftest import ROOT
from hypothesis import given, settings
from hypothesis import strategies as st
from spacy.language import Language

from telex import pipeline
from telex.pipeline import Settings, recode, run
from telex.records import Document
from telex.storage import Store

EXAMPLES = ROOT / "examples"
KEY = "SELECT event_id, doc_id, cameo, source_code, target_code, modality FROM events"


def snapshot(db) -> tuple[set, dict]:
    with Store(db, read_only=True) as store:
        return set(store.con.execute(KEY).fetchall()), store.counts()


@pytest.fixture(scope="module")
def examples_db(tmp_path_factory):
    """The examples coded by one process: the reference the other routes must equal."""
    db = tmp_path_factory.mktemp("single") / "single.duckdb"
    with Store(db) as store:
        summary = run([EXAMPLES], store, Settings())
    assert summary.documents > 10 and summary.events > 20
    return db


def _feed(n: int, pulled: list[int]):
    def iter_inputs(paths):
        for i in range(n):
            pulled[0] += 1
            yield Document(f"d{i}", f"Le président français a rencontré son homologue allemand à Berlin. ({i})")
    return iter_inputs


@pytest.mark.parametrize("workers", [1, 2])
def test_inputs_are_read_lazily_batch_by_batch(tmp_path, monkeypatch, workers):
    # A pipeline that materialised its inputs would have read all 40 documents before writing the first batch.
    pulled = [0]
    monkeypatch.setattr(pipeline, "iter_inputs", _feed(40, pulled))
    seen_at_first_write: list[int] = []
    with Store(tmp_path / "lazy.duckdb") as store:
        summary = run(["-"], store, Settings(batch_size=2, workers=workers),
                      on_batch=lambda n: seen_at_first_write.append(pulled[0]))
        assert store.counts()["documents"] == 40
    assert summary.documents == 40 and pulled[0] == 40
    # one batch in the single process; at most two batches per worker in flight, plus the one being submitted
    assert seen_at_first_write[0] <= (2 if workers == 1 else 2 * (2 * workers + 1))


def test_two_workers_code_exactly_what_one_process_codes(examples_db, tmp_path):
    children: list[int] = []
    with Store(tmp_path / "two.duckdb") as store:
        summary = run([EXAMPLES], store, Settings(workers=2, batch_size=4),
                      on_batch=lambda n: children.append(len(multiprocessing.active_children())))
    assert max(children) == 2  # really two worker processes
    assert summary.documents == snapshot(examples_db)[1]["documents"]
    assert snapshot(tmp_path / "two.duckdb") == snapshot(examples_db)


def test_a_second_run_skips_every_stored_document(examples_db, tmp_path, monkeypatch):
    db = tmp_path / "again.duckdb"
    db.write_bytes(examples_db.read_bytes())
    before = snapshot(db)

    def no_parsing(*args, **kwargs):
        raise AssertionError("a stored document was parsed again")

    monkeypatch.setattr(Language, "__call__", no_parsing)
    monkeypatch.setattr(Language, "pipe", no_parsing)
    with Store(db) as store:
        summary = run([EXAMPLES], store, Settings())
    assert summary.documents == 0 and summary.unchanged == before[1]["documents"]
    assert snapshot(db) == before


def test_recode_after_a_new_pattern_reports_the_added_events_without_parsing(examples_db, tmp_path, monkeypatch):
    db = tmp_path / "recode.duckdb"
    db.write_bytes(examples_db.read_bytes())
    events_before, counts_before = snapshot(db)
    extra = tmp_path / "patterns.yaml"
    extra.write_text("- {id: user-annoncer, verb: annoncer, code: '010', target: [any]}\n", encoding="utf-8")

    def no_parsing(*args, **kwargs):
        raise AssertionError("recode parsed a document")

    monkeypatch.setattr(Language, "__call__", no_parsing)
    monkeypatch.setattr(Language, "pipe", no_parsing)
    with Store(db) as store:
        # small batches: the stored parses are read in chunks while the new coding is written between them
        summary = recode(store, Settings(pattern_files=(str(extra),), batch_size=4))
        added = {row[0] for row in store.con.execute(
            "SELECT event_id FROM events WHERE rule = 'user-annoncer'").fetchall()}
    events_after, counts_after = snapshot(db)
    assert summary.documents == counts_before["documents"]
    assert added and summary.added == len(events_after - events_before) >= len(added)
    assert summary.removed == len(events_before - events_after)
    assert {event_id for sign, event_id, _ in summary.changes if sign == "+"} >= added
    assert counts_after["sentences"] == counts_before["sentences"]
    with Store(db) as store:  # back to the bundled dictionaries: exactly the events of the run again
        back = recode(store, Settings())
    assert back.removed == summary.added and back.added == summary.removed
    assert snapshot(db) == (events_before, counts_before)


@pytest.mark.slow
def test_dask_local_cluster_codes_exactly_what_one_process_codes(examples_db, tmp_path):
    pytest.importorskip("distributed")
    from telex.distributed import run_dask

    parts = tmp_path / "parts"
    with Store(tmp_path / "dask.duckdb") as store:
        summary = run_dask([EXAMPLES], store, Settings(batch_size=4), "local:2", run_folder=parts)
        in_place = store.con.execute(f"SELECT count(*) FROM '{parts}/events/*.parquet'").fetchone()[0]
    events, counts = snapshot(tmp_path / "dask.duckdb")
    assert summary.documents == counts["documents"] and len(list((parts / "documents").glob("*.parquet"))) > 1
    assert (events, counts) == snapshot(examples_db)
    assert in_place == counts["events"]  # the partitions can be queried where they are


def test_dask_addresses_are_checked():
    from telex.distributed import parse_address

    assert parse_address("local:3") == ("local", 3)
    assert parse_address("tcp://10.0.0.1:8786") == ("remote", "tcp://10.0.0.1:8786")
    for bad in ("local:0", "local:x", "10.0.0.1:8786"):
        with pytest.raises(ValueError):
            parse_address(bad)


def _union_find(nodes: list[str], edges: list[tuple[str, str]]) -> dict[str, str]:
    parent = {n: n for n in nodes}

    def find(n: str) -> str:
        while parent[n] != n:
            n = parent[n]
        return n

    for a, b in edges:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    return {n: find(n) for n in nodes}


@given(st.lists(st.tuples(st.integers(0, 30), st.integers(0, 30)), max_size=60))
@settings(max_examples=40, deadline=None)
def test_story_components_in_sql_equal_union_find(pairs):
    import duckdb

    from telex.dedup import connect_components

    nodes = [f"d{i:02d}" for i in range(31)]
    edges = sorted({(f"d{min(a, b):02d}", f"d{max(a, b):02d}") for a, b in pairs if a != b})
    edges += [(f"d{i:02d}", f"d{i + 1:02d}") for i in range(20, 29)]  # a long chain: several passes
    con = duckdb.connect()
    con.execute("CREATE TABLE labels AS SELECT unnest(?) AS story_id, unnest(?) AS doc_id", [nodes, nodes])
    con.execute("CREATE TABLE edges (a VARCHAR, b VARCHAR)")
    con.executemany("INSERT INTO edges VALUES (?, ?)", edges)
    connect_components(con, "labels", "edges")
    assert dict(con.execute("SELECT doc_id, story_id FROM labels").fetchall()) == _union_find(nodes, edges)


def test_the_lemmatizer_cache_is_emptied_past_its_bound(monkeypatch):
    """spaCy's lemmatizer remembers every word it has seen, outside memory zones: a stream must not grow it."""
    from telex import nlp

    model = nlp.load()
    cache = model.get_pipe("lemmatizer").cache
    document = Document("lem", "Les ministres européens ont signé deux accords commerciaux à Bruxelles.")
    pipeline.code_batch([document], Settings())
    assert len(cache) > 5
    monkeypatch.setattr(nlp, "LEMMA_CACHE_ENTRIES", 5)
    coded = pipeline.code_batch([document], Settings())
    assert len(cache) == 0
    lemmas = {t.text: t.lemma_ for t in nlp.from_bytes(coded[0].parse)}
    assert lemmas["signé"] == "signer" and lemmas["accords"] == "accord"
    monkeypatch.setattr(nlp, "LEMMA_CACHE_ENTRIES", 10**6)
    pipeline.code_batch([document], Settings())
    assert len(cache) > 5


def test_the_coders_word_cache_is_bounded_and_changes_nothing(monkeypatch, code_text, coder):
    from telex.events import coder as coder_module

    text = "Le président turc a appelé la Russie à cesser ses frappes en Libye, a déclaré son porte-parole."
    expected = [(e.cameo, e.source and e.source.text, e.target and e.target.text) for e in code_text(text)]
    assert expected
    monkeypatch.setattr(coder_module, "CANDIDATE_CACHE_ENTRIES", 2)
    coder.events._candidates.clear()
    assert [(e.cameo, e.source and e.source.text, e.target and e.target.text) for e in code_text(text)] == expected
    assert len(coder.events._candidates) <= 2
