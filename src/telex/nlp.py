"""NLP stage: spaCy's French pipeline, with sentence boundaries news copy needs.

The parser decides sentence boundaries, but a paragraph break always ends a
sentence, and a closing quote followed by a comma never does (`"...",
indique la présidence` is one sentence: the speaker belongs with the quote).
"""

from __future__ import annotations

import functools
import gc
import os
import re
from collections.abc import Sequence
from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc
from srsly.msgpack import msgpack_decoders
from srsly.msgpack._unpacker import unpackb as _unpackb

DEFAULT_MODEL = os.environ.get("TELEX_MODEL", "fr_core_news_md")
_QUOTES = {'"', "»", "”", "“", "«"}


_TERMINAL = {".", "!", "?", "…", "...", ":", ";", '"', "»", "”", ")"}


@Language.component("telex_boundaries")
def news_boundaries(doc: Doc) -> Doc:
    # The parser alone sometimes cuts after a sentence-initial name ('Washington | pourrait ...'):
    # a sentence may only start after terminal punctuation or a line break.
    previous = None
    for token in doc:
        if previous is not None and not previous.is_space and previous.text not in _TERMINAL:
            token.is_sent_start = False
        if not token.is_space:
            previous = token
        elif "\n" in token.text:
            previous = None
    for i, token in enumerate(doc[:-1]):
        if token.is_space and "\n" in token.text:
            nxt = doc[i + 1]
            nxt.is_sent_start = True
            if nxt.text in _QUOTES and i + 2 < len(doc):
                doc[i + 2].is_sent_start = False
    for i in range(1, len(doc) - 1):
        if doc[i].text == "," and doc[i - 1].text in _QUOTES:
            doc[i].is_sent_start = False
            doc[i + 1].is_sent_start = False
    return doc


def load(model: str = DEFAULT_MODEL) -> Language:
    """Load an installed French pipeline (never downloads anything); one copy per process and model."""
    # The cache is keyed on the name alone: `load()` and `load(DEFAULT_MODEL)` must not load the model twice.
    return _load(model)


@lru_cache(maxsize=4)
def _load(model: str) -> Language:
    try:
        nlp = spacy.load(model)
    except OSError as error:
        raise RuntimeError(
            f"spaCy model '{model}' is not installed; install the project's pinned dependencies "
            f"(pip install -e .) which include it"
        ) from error
    if "telex_boundaries" not in nlp.pipe_names:
        nlp.add_pipe("telex_boundaries", before="parser")
    return nlp


LEMMA_CACHE_ENTRIES = 100_000


def bound_caches(model: Language) -> None:
    """Empty spaCy's lemmatizer cache once it holds more than LEMMA_CACHE_ENTRIES words.

    The rule lemmatizer remembers the lemmas of every (word, part of speech) it has seen, outside any memory
    zone: about 15 new words an article (20,000 after the 1,191 Wikinews articles), names and numbers without
    end, so over a stream of millions of articles the cache would grow with the corpus.
    """
    for _, pipe in model.pipeline:
        cache = getattr(pipe, "cache", None)
        if isinstance(cache, dict) and len(cache) > LEMMA_CACHE_ENTRIES:
            cache.clear()


def parse(model: Language, texts: Sequence[str], max_chars: int) -> list[Doc]:
    """Parse texts together, as `model.pipe` does; a text longer than `max_chars` is parsed piece by piece.

    spaCy holds a text's activations at once, so parse memory grows with the longest text: a 30,000-character
    article added 80 MB to the peak, and one of 2,000,000 characters (what ingest accepts) would take gigabytes
    or fail on spaCy's `max_length`. Pieces end at a line break (a sentence boundary for telex) or, in a line
    longer than a piece, after a sentence's final punctuation; the pieces' parses are joined into one Doc of
    the whole text, so character offsets and everything downstream are those of the text.
    """
    if all(len(text) <= max_chars for text in texts):
        return list(model.pipe(texts, batch_size=max(len(texts), 1)))
    return [_parse_long(model, text, max_chars) if len(text) > max_chars else model(text) for text in texts]


def _parse_long(model: Language, text: str, max_chars: int) -> Doc:
    docs = [model(piece) for piece in split_text(text, max_chars)]
    joined = Doc.from_docs(docs, ensure_whitespace=False)
    if joined.text != text:  # cannot happen (each piece's Doc holds the piece's text): a wrong offset is worse
        raise ValueError(f"a long text parsed in pieces does not join back ({len(joined.text)} != {len(text)} chars)")
    return joined


_SENTENCE_END = re.compile(r"[.!?…][»”\"')]*\s")


def split_text(text: str, max_chars: int) -> list[str]:
    """Consecutive pieces of `text`, each at most `max_chars` long, joining back into it exactly.

    A piece is cut after a line break, failing that after a sentence's final punctuation, then after a space:
    the last one in the second half of its window if there is one (no tiny pieces), else the last in the
    window. A window with none of them (no text has this) is cut at its end.
    """
    pieces: list[str] = []
    start = 0
    while len(text) - start > max_chars:
        end = start + max_chars
        cut = next((c for after in (_after_line_break, _after_sentence_end, _after_space)
                    for low in (start + max_chars // 2, start + 1) if (c := after(text, low, end))), end)
        pieces.append(text[start:cut])
        start = cut
    pieces.append(text[start:])
    return pieces


def _after_line_break(text: str, low: int, end: int) -> int:
    return text.rfind("\n", low, end) + 1  # 0: none in text[low:end]


def _after_sentence_end(text: str, low: int, end: int) -> int:
    ends = [m.end() for m in _SENTENCE_END.finditer(text, low, end)]
    return ends[-1] if ends else 0


def _after_space(text: str, low: int, end: int) -> int:
    return text.rfind(" ", low, end) + 1


def to_bytes(doc: Doc) -> bytes:
    """Serialise a parse so it can be re-coded later without parsing again."""
    return doc.to_bytes(exclude=["tensor", "user_data"])


def from_bytes(data: bytes, model: str = DEFAULT_MODEL) -> Doc:
    # What Doc.from_bytes does, less srsly's per-call lookup of its registered msgpack decoders (entry points
    # scanned on every call: a fifth of the time of reading a stored parse back).
    gc.disable()  # as srsly does: msgpack builds many small objects
    try:
        fields = _unpackb(data, raw=False, use_list=True, object_hook=_msgpack_hook())
    finally:
        gc.enable()
    return Doc(load(model).vocab).from_dict(fields)


@lru_cache(maxsize=1)
def _msgpack_hook():
    hook = None
    for decoder in msgpack_decoders.get_all().values():
        hook = functools.partial(decoder, chain=hook)
    return hook
