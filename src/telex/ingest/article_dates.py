"""The article's own date, from the clues a dispatch carries in its first lines.

Clues, strongest first: a `date YYYY-MM[-DD]` header line, metadata, a
byline with a numeric date (`Reuters • 23/05/2020 à 21:29`, `Xinhua |
23.07.2020 09h21`), a dateline (`ISTANBUL, 23 mai (Reuters)`, `1er janvier
2016, 14h30. –`), an update stamp (`Dernière mise à jour à 10h25 le 23/07`).
A partial clue (day and month, no year) refines a coarser one (the month).
"""

from __future__ import annotations

import calendar
import re

from telex.records import PartialDate

MONTHS = {
    "janvier": 1, "janv": 1, "fevrier": 2, "février": 2, "fevr": 2, "févr": 2, "mars": 3, "avril": 4, "avr": 4,
    "mai": 5, "juin": 6, "juillet": 7, "juil": 7, "aout": 8, "août": 8, "septembre": 9, "sept": 9,
    "octobre": 10, "oct": 10, "novembre": 11, "nov": 11, "decembre": 12, "décembre": 12, "dec": 12, "déc": 12,
}
_MONTH_RE = "|".join(sorted(MONTHS, key=len, reverse=True))

HEADER = re.compile(r"^\s*date\s+(\d{4}(?:-\d{2}(?:-\d{2})?)?)(?:\s+|$)", re.IGNORECASE)
_NUMERIC = re.compile(r"(?<!\d)(\d{1,2})[./](\d{1,2})[./](\d{4}|\d{2})(?!\d)")
_NUMERIC_NO_YEAR = re.compile(r"\ble (\d{1,2})/(\d{1,2})(?![/\d])")
# A written date counts as the article's only where a dateline puts it: at the start of a
# line, or after a capitalised place name (`ISTANBUL, 23 mai (Reuters)`), not inside a sentence.
_WRITTEN = re.compile(
    rf"(?:^|\n|(?:^|\n|\)\s)[^\S\n]*[A-ZÉÈÎ][A-Za-zÀ-ÿ'’. -]{{1,40}},)[^\S\n]*(?:le\s+)?"
    rf"(\d{{1,2}})(?:er)?\s+({_MONTH_RE})\.?(?:\s+(\d{{4}}))?(?![\w])",
    re.IGNORECASE,
)
_ISO = re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)")
# 'Page actualisée : 23 mars 2016', 'Mis à jour le 4 juin 2020': the page says when it was (re)published.
_STAMP = re.compile(rf"(?:page actualisée|mise? à jour|publié|actualisé)\s*(?:le|:)?\s*(\d{{1,2}})(?:er)?\s+"
                    rf"({_MONTH_RE})\.?\s+(\d{{4}})", re.IGNORECASE)
# A dateline on a line of its own, possibly after a title and a 'see also' box: '3 juillet 2016. –'
_LINE_DATELINE = re.compile(rf"(?m)^[^\S\n]*(\d{{1,2}})(?:er)?\s+({_MONTH_RE})\.?\s+(\d{{4}})"
                            rf"(?:,\s*\d{{1,2}}\s*h\s*\d{{0,2}})?\s*\.?\s*[–—-]", re.IGNORECASE)


def parse_header(text: str) -> tuple[PartialDate | None, str]:
    """Split a leading `date YYYY-MM[-DD]` line off the text."""
    match = HEADER.match(text)
    if not match:
        return None, text
    return PartialDate.parse(match.group(1)), text[match.end():]


def _valid(year: int, month: int, day: int | None) -> bool:
    if not (1 <= month <= 12 and 1900 <= year <= 2100):
        return False
    # 31/02: a typo or not a date; kept, it would break every date computation downstream.
    return day is None or 1 <= day <= calendar.monthrange(year, month)[1]


def find_in_text(text: str, head_chars: int = 400) -> tuple[PartialDate | None, str | None]:
    """Look for the dateline or byline date near the top of the text."""
    for regex, origin, window in ((_STAMP, "update stamp", head_chars), (_LINE_DATELINE, "dateline", 2000)):
        m = regex.search(text[:window])
        if m:
            day, month, year = int(m.group(1)), MONTHS[m.group(2).lower()], int(m.group(3))
            if _valid(year, month, day):
                return PartialDate(year, month, day), origin
    head = text[:head_chars]
    candidates: list[tuple[int, PartialDate, str]] = []
    for m in _NUMERIC.finditer(head):
        day, month, year = int(m.group(1)), int(m.group(2)), int(m.group(3))
        year = year + 2000 if year < 100 else year
        if _valid(year, month, day):
            candidates.append((m.start(), PartialDate(year, month, day), "byline"))
    for m in _ISO.finditer(head):
        year, month, day = int(m.group(1)), int(m.group(2)), int(m.group(3))
        if _valid(year, month, day):
            candidates.append((m.start(), PartialDate(year, month, day), "byline"))
    for m in _WRITTEN.finditer(head):
        day, month = int(m.group(1)), MONTHS[m.group(2).lower()]
        if m.group(3):
            year = int(m.group(3))
            if _valid(year, month, day):
                candidates.append((m.start(), PartialDate(year, month, day), "dateline"))
    if candidates:
        candidates.sort(key=lambda c: c[0])
        return candidates[0][1], candidates[0][2]
    return None, None


def find_partial(text: str, head_chars: int = 400) -> tuple[int, int] | None:
    """A day and month with no year (`ISTANBUL, 23 mai (Reuters)`, `mise à jour ... le 23/07`)."""
    head = text[:head_chars]
    found: list[tuple[int, int, int]] = []
    for m in _WRITTEN.finditer(head):
        if not m.group(3):
            found.append((m.start(), int(m.group(1)), MONTHS[m.group(2).lower()]))
    for m in _NUMERIC_NO_YEAR.finditer(head):
        found.append((m.start(), int(m.group(1)), int(m.group(2))))
    found = [f for f in found if 1 <= f[2] <= 12 and 1 <= f[1] <= 31]
    if not found:
        return None
    found.sort()
    return found[0][1], found[0][2]


def article_date(text: str, metadata: PartialDate | None) -> tuple[PartialDate | None, str | None]:
    """Combine metadata and text clues into the most precise date they agree on."""
    if metadata is not None and metadata.precision == "day":
        return metadata, "metadata"
    found, origin = find_in_text(text)
    if found is not None:
        if metadata is None or (metadata.year == found.year and metadata.month in (None, found.month)):
            return found, origin
        return metadata, "metadata"
    partial = find_partial(text)
    if metadata is not None:
        if partial and not _valid(metadata.year, partial[1], partial[0]):
            return metadata, "metadata"
        if partial and metadata.month is not None and partial[1] == metadata.month:
            return PartialDate(metadata.year, metadata.month, partial[0]), "metadata+dateline"
        if partial and metadata.month is None:
            return PartialDate(metadata.year, partial[1], partial[0]), "metadata+dateline"
        return metadata, "metadata"
    return None, None
