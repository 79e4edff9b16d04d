"""NLP stage: spaCy's French pipeline, with sentence boundaries news copy needs.

The parser decides sentence boundaries, but a paragraph break always ends a
sentence, and a closing quote followed by a comma never does (`"...",
indique la présidence` is one sentence: the speaker belongs with the quote).
"""

from __future__ import annotations

import functools
import gc
import os
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
