"""Lines and sentences that belong to the page, not to the news: they never carry events."""

from __future__ import annotations

import re

# Each pattern is one kind of page furniture seen in French news pages.
_PATTERNS = [
    r"connectez[- ]vous",
    r"\bconnexion (?:membre|client|abonné)",
    r"tous droits réservés",
    r"all rights reserved",
    r"^\s*©",
    r"\bcopyright\b",
    r"partagez cet article",
    r"partager sur (?:facebook|twitter|x|linkedin)",
    r"^\s*(?:partager|imprimer|envoyer|réagir|s'abonner|abonnez-vous)\s*$",
    r"^\s*\(?(?:rédacteurs?|rédaction|édité par|avec \w+ à)\s*:",
    r"version française",
    r"page d'accueil",
    r"dernière mise à jour",
    r"^\s*(?:lire aussi|à lire aussi|voir aussi)\b",
    r"cookies?\b.*(?:accepte|consent|paramètr)",
    r"votre pseudo",
    r"conseils de la rédaction",
    r"intellectual property of",
    r"prohibited without",
    r"shall not be liable",
    r"trademarks? of",
    r"^\s*\((?:actualisé|mis à jour)\b[^)]*\)\s*$",
    r"^\s*\w+(?: \w+)? [|•·] \d{1,2}[./]\d{1,2}[./]\d{2,4}(?: (?:à )?\d{1,2}[h:]\d{2})?\s*$",  # byline: agency | date
]
_BOILERPLATE = re.compile("|".join(f"(?:{p})" for p in _PATTERNS), re.IGNORECASE | re.MULTILINE)
_BYLINE = re.compile(r"^\s*\((?:[A-ZÉ][\w'-]+(?: [A-ZÉ][\w'-]+)*(?:,| et)?\s*)+(?:, [^)]*)?\)\s*$")


def is_boilerplate(text: str) -> bool:
    """True for a line or sentence that is page furniture (log-in prompts, copyright, share buttons, bylines)."""
    stripped = text.strip()
    if not stripped:
        return True
    if _BYLINE.match(stripped):
        return True
    return bool(_BOILERPLATE.search(stripped))


MAX_FURNITURE_LINE = 240


def remove_boilerplate_lines(text: str) -> str:
    """Drop whole lines that are page furniture; keep everything else byte for byte."""
    # A long line can mix furniture with the article itself: leave those to the sentence filter.
    kept = [
        line
        for line in text.split("\n")
        if not line.strip() or len(line) > MAX_FURNITURE_LINE or not is_boilerplate(line)
    ]
    out = "\n".join(kept)
    return re.sub(r"\n{3,}", "\n\n", out).strip()
