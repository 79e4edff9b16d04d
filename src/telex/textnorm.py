"""One normalisation for texts and dictionaries alike (NFC, apostrophes, case, accents)."""

from __future__ import annotations

import re
import unicodedata

_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "`": "'", "´": "'", "\u00a0": " ", "\u202f": " "})
_DASHES = str.maketrans({"‐": "-", "‑": "-", "–": "-", "—": "-"})


def clean(text: str) -> str:
    """Normalise a document text without changing its meaning: NFC, one apostrophe, plain spaces."""
    text = unicodedata.normalize("NFC", text)
    return text.translate(_APOSTROPHES).replace("\r\n", "\n").replace("\r", "\n")


def strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def key(text: str) -> str:
    """Matching key: cleaned, dashes unified, case folded, accents removed, spaces collapsed."""
    text = strip_accents(clean(text).translate(_DASHES)).casefold()
    return re.sub(r"\s+", " ", text).strip()


_ARTICLE = re.compile(r"^(?:les|le|la|l'|des|du|de la|de l'|d'|de)\s*", re.IGNORECASE)


def strip_article(text: str) -> str:
    return _ARTICLE.sub("", text, count=1)
