import pytest

from telex.records import Actor, ActorRef, CodedDocument, Document, Event, PartialDate, Sentence
from telex.storage import StorageError, Store


def coded(doc_id="d1", text="La France a rappelé son ambassadeur.", events=1):
    doc = Document(doc_id, text, date=PartialDate(2021, 5, 3))
    sentence = Sentence(doc_id, 0, 0, len(text), text)
    src = ActorRef("La France", 0, 9, Actor("FRA", "FRA", None, "France", "C-FRA"))
    tgt = ActorRef("Mali", 30, 34, Actor("MLI", "MLI", None, "Mali", "C-MLI"))
    evs = [Event(doc_id, 0, text, 0, len(text), "rappelé", 12, 19, src, tgt, "161", 4, -4.0, "SANCTION",
                 "asserted", "rule", "v1", doc.date) for _ in range(events)]
    return CodedDocument(doc, [sentence], [], evs, b"parse")


def test_write_counts_and_replace(tmp_path):
    with Store(tmp_path / "t.duckdb") as store:
        store.write([coded("d1"), coded("d2")])
        assert store.counts()["documents"] == 2 and store.counts()["events"] == 2
        store.write([coded("d1")])  # the same document again replaces, never duplicates
        assert store.counts()["events"] == 2
        assert store.known_hashes()["d1"] == coded("d1").document.content_hash
        [row] = [r for r in store.event_rows() if r["doc_id"] == "d1"]
        assert row["source_code"] == "FRA" and row["date"] == "2021-05-03" and row["date_precision"] == "day"


def test_a_failed_batch_leaves_the_database_as_it_was(tmp_path, monkeypatch):
    import telex.storage as storage

    with Store(tmp_path / "t.duckdb") as store:
        store.write([coded("d1")])
        real = storage.to_arrow

        def fail_on_events(rows):
            if rows and "event_id" in rows[0]:
                raise OSError("disk full")
            return real(rows)

        monkeypatch.setattr(storage, "to_arrow", fail_on_events)
        with pytest.raises(OSError):
            store.write([coded("d1", events=3), coded("d2")])  # fails after deleting d1 and inserting documents
        monkeypatch.undo()
        assert store.counts() == {"documents": 1, "sentences": 1, "mentions": 0, "events": 1}


def test_read_only_on_a_missing_file_is_one_clear_error(tmp_path):
    with pytest.raises(StorageError, match="no such database"):
        Store(tmp_path / "none.duckdb", read_only=True)


def test_a_file_that_is_not_a_database(tmp_path):
    path = tmp_path / "junk.duckdb"
    path.write_text("not a database", encoding="utf-8")
    with pytest.raises(StorageError):
        Store(path)
