"""Which language an article is in, offline (langid ships its model).

The coder only knows French: an English or Spanish article would be parsed by
the French model into nonsense events. Detection is deterministic (a naive
Bayes model, no sampling) and reads only the start of the text.
"""

from __future__ import annotations

import os
import re
from functools import cache

SAMPLE_CHARS = 2_000
# Below this many letters langid is unreliable (a headline, a two-line dispatch): such texts are kept.
MIN_LETTERS = 200
# Only a confident verdict rejects an article: mixed texts (French with English quotes) stay.
MIN_CONFIDENCE = 0.95

_LETTER = re.compile(r"[^\W\d_]")


def accepted_languages() -> frozenset[str] | None:
    """Languages to keep, from TELEX_LANGUAGES (default `fr`); `any` keeps everything."""
    value = os.environ.get("TELEX_LANGUAGES", "fr").strip().lower()
    if value in ("any", "all", "*"):
        return None
    return frozenset(code.strip() for code in value.split(",") if code.strip()) or frozenset({"fr"})


@cache
def _identifier():
    # Loading the model takes about a second: once per process, and only when a text is long enough.
    from langid.langid import LanguageIdentifier, model

    return LanguageIdentifier.from_modelstring(model, norm_probs=True)


def warm_up() -> None:
    """Load the identifier now (about a second), as a run loads its model before the first batch."""
    if accepted_languages() is not None:
        _identifier()


def detect(text: str) -> tuple[str, float] | None:
    """(language code, probability) for texts long enough to tell, else None."""
    sample = text[:SAMPLE_CHARS]
    if len(_LETTER.findall(sample)) < MIN_LETTERS:
        return None
    return _classify(_identifier(), sample)


def _classify(identifier, text: str) -> tuple[str, float]:
    """langid's classify, without its dense dot product: numpy hands that to a multithreaded BLAS,
    whose thread start-up made a 1,000-article ingest 3 times slower on 2 cores."""
    import numpy as np

    counts = identifier.instance2fv(text)
    features = np.flatnonzero(counts)
    scores = (identifier.nb_ptc[features] * counts[features, None]).sum(axis=0) + identifier.nb_pc
    best = int(np.argmax(scores))
    # The probability of the best class, normalised over all classes (langid's norm_probs).
    probability = 1.0 / float(np.exp(scores - scores[best]).sum())
    return str(identifier.nb_classes[best]), probability


def foreign(text: str) -> str | None:
    """Why the text is not in an accepted language (`detected en, p=0.99`), or None to keep it."""
    accepted = accepted_languages()
    if accepted is None:
        return None
    found = detect(text)
    if found is None:
        return None
    language, probability = found
    if language in accepted or probability < MIN_CONFIDENCE:
        return None
    return f"detected {language}, p={probability:.2f}"
