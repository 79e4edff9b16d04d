"""Long texts are parsed in pieces (bounded memory) and joined back into one Doc of the whole text."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from telex import nlp as telex_nlp
from telex.records import Document, PartialDate

PARAGRAPHS = [
    "Le ministre grec des Affaires étrangères a rencontré mardi son homologue chypriote à Nicosie.",
    "La police kényane a arrêté trois journalistes lors d'une manifestation à Nairobi.",
    "Le gouvernement malien a condamné l'attaque contre un convoi de l'ONU près de Gao.",
    "Selon l'agence officielle, le Premier ministre japonais s'est rendu à Séoul.",
    "Les États-Unis ont imposé de nouvelles sanctions à l'Iran, a annoncé Washington.",
]


def long_text(paragraphs: int) -> str:
    return "\n\n".join(f"{PARAGRAPHS[i % len(PARAGRAPHS)]} (paragraphe {i})" for i in range(paragraphs))


@given(st.text(alphabet=st.sampled_from("ab .!?\n»\u00a0é"), max_size=400), st.integers(2, 60))
@settings(max_examples=300, deadline=None)
def test_pieces_join_back_exactly_and_respect_the_limit(text, max_chars):
    pieces = telex_nlp.split_text(text, max_chars)
    assert "".join(pieces) == text
    assert all(0 < len(p) <= max_chars for p in pieces) or text == ""


def test_pieces_end_at_line_breaks_then_sentences_then_spaces():
    text = "Une phrase courte.\nUne autre phrase, un peu plus longue.\nFin."
    assert telex_nlp.split_text(text, 45) == ["Une phrase courte.\n", "Une autre phrase, un peu plus longue.\nFin."]
    one_line = "Première phrase ici. Deuxième phrase là-bas. Troisième."
    assert telex_nlp.split_text(one_line, 50)[0] == "Première phrase ici. Deuxième phrase là-bas. "
    assert telex_nlp.split_text("mot " * 10, 18)[0] == "mot mot mot mot "
    assert telex_nlp.split_text("x" * 25, 10) == ["x" * 10, "x" * 10, "x" * 5]


def test_a_long_text_parsed_in_pieces_is_one_doc_with_the_texts_offsets(nlp, coder):
    text = long_text(12)
    assert len(text) > 600
    doc = telex_nlp.parse(nlp, [text], max_chars=300)[0]
    assert doc.text == text
    assert all(text[t.idx:t.idx + len(t.text)] == t.text for t in doc)
    whole = nlp(text)
    # A piece ends at a paragraph break, where a sentence ends anyway: the same sentences, the same events.
    assert [s.start_char for s in doc.sents] == [s.start_char for s in whole.sents]
    document = Document("long", text, date=PartialDate.parse("2024-03-05"))

    def key(events):
        return [(e.cameo, e.source and e.source.text, e.target and e.target.text, e.trigger_start, e.char_start)
                for e in events]

    events = coder.code(doc, document).events
    assert len(events) >= 12
    assert key(events) == key(coder.code(whole, document).events)
    assert all(text[e.trigger_start:e.trigger_end] == e.trigger for e in events)


def test_a_text_over_spacys_max_length_is_parsed_in_pieces(nlp, monkeypatch):
    text = long_text(30)
    monkeypatch.setattr(nlp, "max_length", 1000)
    with pytest.raises(ValueError, match="E088"):
        nlp(text)
    doc = telex_nlp.parse(nlp, [text, "Un texte court."], max_chars=800)[0]
    assert doc.text == text


def test_short_texts_are_parsed_together_as_before(nlp):
    texts = [PARAGRAPHS[0], PARAGRAPHS[1]]
    docs = telex_nlp.parse(nlp, texts, max_chars=1000)
    assert [d.text for d in docs] == texts
    assert [t.dep_ for t in docs[0]] == [t.dep_ for t in nlp(texts[0])]
