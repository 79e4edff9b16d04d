"""The bundled dictionaries load, are consistent, and every code they use exists."""

import pytest

from telex.actors.dictionary import ActorDictionary, DictionaryError
from telex.events.cameo import table
from telex.events.patterns import PatternBook


@pytest.fixture(scope="module")
def book():
    return ActorDictionary.load()


@pytest.fixture(scope="module")
def patterns():
    return PatternBook.load()


def test_cameo_table():
    codes = table()
    assert len(codes) == 311
    assert codes["0256"].quad_class == 1 and codes["190"].quad_class == 4
    assert codes["190"].goldstein == -10.0 and codes["042"].plover == "CONSULT"
    assert all(code.root == code.code[:2] for code in codes.values())


def test_patterns_use_known_codes(patterns):
    assert all(p.code in table() for p in patterns.patterns)
    assert all(p.if_negated is None or p.if_negated in table() for p in patterns.patterns)


def test_every_root_has_patterns(patterns):
    roots = {p.code[:2] for p in patterns.patterns}
    assert {f"{r:02d}" for r in range(1, 21)} <= roots


def test_no_name_points_at_two_entries_at_once(book):
    clashes = []
    for tokens, entries in book.names.items():
        ids = {e.id for e in entries}
        if len(ids) > 1:
            undated = [e for e in entries if e.start is None and e.end is None]
            if len(undated) > 1:
                clashes.append((" ".join(tokens), sorted(ids)))
    assert clashes == []


def test_people_codes_follow_dates(book):
    from telex.records import PartialDate

    [entry] = [e for e in book.entries.values() if e.kind == "person" and "Trump" in e.aliases]
    assert entry.code_at(PartialDate(2019, 5, 1)) == "USAGOV"
    assert entry.code_at(PartialDate(2022, 3, 1)) == "USAELI"


def test_user_dictionary_overrides_and_bad_files_fail_in_one_line(tmp_path):
    user = tmp_path / "mine.yaml"
    user.write_text("- {id: O-test-militia, code: CAFREB, kind: armed_group, names: [Milice du Lac Vert]}\n",
                    encoding="utf-8")
    book = ActorDictionary.load([user])
    assert book.lookup(book.tokens("Milice du Lac Vert"), None).code == "CAFREB"
    bad = tmp_path / "bad.yaml"
    bad.write_text("- id: x\n  names: [a\n", encoding="utf-8")
    with pytest.raises(DictionaryError, match="bad.yaml"):
        ActorDictionary.load([bad])


def test_bad_pattern_files_fail_in_one_line(tmp_path):
    bad = tmp_path / "p.yaml"
    bad.write_text("- {id: x, verb: frapper, code: '999'}\n", encoding="utf-8")
    with pytest.raises(DictionaryError, match="unknown CAMEO code"):
        PatternBook.load([bad])
    bad.write_text("- {id: x, verb: frapper, code: '190', target: [sous]}\n", encoding="utf-8")
    with pytest.raises(DictionaryError, match="unknown slot"):
        PatternBook.load([bad])
