"""One normalisation for texts and dictionaries alike (NFC, apostrophes, case, accents)."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "`": "'", "´": "'", "\u00a0": " ", "\u202f": " "})
_DASHES = str.maketrans({"‐": "-", "‑": "-", "–": "-", "—": "-"})
# Letters that Unicode does not decompose into a base letter + accent.
_BASE_LETTERS = str.maketrans({"ı": "i", "İ": "I", "ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "đ": "d", "Đ": "D",
                               "æ": "ae", "œ": "oe", "Œ": "OE", "ß": "ss"})


def clean(text: str) -> str:
    """Normalise a document text without changing its meaning: NFC, one apostrophe, plain spaces."""
    text = unicodedata.normalize("NFC", text)
    return text.translate(_APOSTROPHES).replace("\r\n", "\n").replace("\r", "\n")


def strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@lru_cache(maxsize=262_144)
def key(text: str) -> str:
    """Matching key: cleaned, dashes unified, case folded, accents removed, spaces collapsed."""
    text = strip_accents(clean(text).translate(_DASHES).translate(_BASE_LETTERS)).casefold()
    return re.sub(r"\s+", " ", text).strip()


_ARTICLE = re.compile(r"^(?:les|le|la|l'|des|du|de la|de l'|d'|de)\s*", re.IGNORECASE)


def strip_article(text: str) -> str:
    return _ARTICLE.sub("", text, count=1)


_VERB_ENDINGS = (("ent", "er"), ("es", "er"), ("ee", "er"), ("ees", "er"), ("es", "er"), ("e", "er"), ("ait", "er"),
                 ("aient", "er"), ("ons", "er"), ("ez", "er"))


def lemma_keys(lemma: str, text: str, is_verb: bool) -> tuple[str, ...]:
    """Keys to look a token up by: its lemma, its form, and for verbs the -er infinitive the form
    points to when the lemmatizer left the form as is ('indique' -> 'indiquer')."""
    keys = [key(lemma)]
    form = key(text)
    if form != keys[0]:
        keys.append(form)
    if is_verb and keys[0] == form:
        for ending, infinitive in _VERB_ENDINGS:
            if form.endswith(ending) and len(form) > len(ending) + 2:
                keys.append(form[: -len(ending)] + infinitive)
                break
    return tuple(keys)


def load_yaml(text: str):
    """Parse YAML with libyaml when present (ten times faster on the dictionaries), safely either way."""
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return yaml.load(text, Loader=loader)  # noqa: S506 - a safe loader
