"""Time stage: the date of each event, from the words of its sentence, against the article date.

French news dates events relative to the article: `dimanche`, `hier`, `le 4 juin`,
`en mai`, `la semaine dernière`, `il y a deux jours`. This resolver handles
those forms itself (dateparser returns nothing for `dimanche dernier`, `lundi
prochain`, `jeudi soir` or `fin février`, and is too slow to run on every
sentence); dateparser is used only as a fallback for an explicit date the
grammar below does not cover.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from telex.ingest.article_dates import MONTHS
from telex.records import PartialDate
from telex.textnorm import strip_accents

WEEKDAYS = {"lundi": 0, "mardi": 1, "mercredi": 2, "jeudi": 3, "vendredi": 4, "samedi": 5, "dimanche": 6}
NUMBERS = {"un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6, "sept": 7, "huit": 8,
           "neuf": 9, "dix": 10, "onze": 11, "douze": 12, "quinze": 15, "vingt": 20, "trente": 30, "quelques": 3}
_MONTH = "|".join(sorted({strip_accents(m) for m in MONTHS}, key=len, reverse=True))
_WEEKDAY = "|".join(WEEKDAYS)
_NUMBER = r"\d{1,3}|" + "|".join(NUMBERS)

# Each rule: a name and a regex over the accent-free, lower-case sentence.
RULES = [
    ("night", re.compile(rf"\bdans la nuit de ({_WEEKDAY}) (?:a|au) ({_WEEKDAY})\b")),
    ("day_month", re.compile(rf"\b(?:({_WEEKDAY}) )?(?:le )?(1er|\d{{1,2}}) ({_MONTH})\.?(?: (\d{{4}}))?\b")),
    ("numeric", re.compile(r"\b(\d{1,2})/(\d{1,2})/(\d{4})\b")),
    ("part_month", re.compile(rf"\b(debut|fin|mi|courant|mi-)[ -]?({_MONTH})(?: (\d{{4}}))?\b")),
    ("month", re.compile(rf"\b(?:en|au mois de|depuis|d'ici|jusqu'en) ({_MONTH})(?: (\d{{4}}))?\b")),
    ("year", re.compile(r"\b(?:en|au cours de l'annee|durant l'annee) (\d{4})\b")),
    ("weekday", re.compile(rf"\b({_WEEKDAY})(?: (dernier|prochain|passe|soir|matin|apres-midi|midi))?\b")),
    ("yesterday", re.compile(r"\b(avant-hier|hier|aujourd'hui|ce matin|ce soir|cet apres-midi|demain|apres-demain)\b")),
    ("ago", re.compile(rf"\bil y a ({_NUMBER}) (jours?|semaines?|mois|ans?|annees?)\b")),
    ("last", re.compile(r"\b(la semaine|le mois|l'an|l'annee|le week-end) (derni[eè]re?|passee?|prochaine?)\b")),
    ("recent", re.compile(r"\b(ces derniers jours|ces dernieres semaines|ces derniers mois|cette semaine|ce mois-ci)\b")),
]


@dataclass(frozen=True)
class DateMention:
    start: int  # character offsets in the sentence text
    end: int
    text: str
    date: PartialDate
    rule: str


def _day(d: dt.date) -> PartialDate:
    return PartialDate(d.year, d.month, d.day)


def _as_date(p: PartialDate) -> dt.date:
    return dt.date(p.year, p.month or 1, p.day or 1)


def _number(text: str) -> int:
    return int(text) if text.isdigit() else NUMBERS.get(text, 1)


def _shift_months(d: dt.date, months: int) -> dt.date:
    index = d.year * 12 + d.month - 1 + months
    year, month = divmod(index, 12)
    return dt.date(year, month + 1, min(d.day, calendar.monthrange(year, month + 1)[1]))


def resolve(match: re.Match, rule: str, article: PartialDate, future: bool) -> PartialDate | None:
    """One matched expression as a date, relative to the article's date."""
    g = match.groups()
    day_known = article.precision == "day"
    ref = _as_date(article)
    if rule == "night":
        if not day_known:
            return None
        return _weekday(ref, WEEKDAYS[g[0]], "", future)
    if rule == "day_month":
        day = 1 if g[1] == "1er" else int(g[1])
        month = MONTHS[g[2]] if g[2] in MONTHS else MONTHS.get(_accented(g[2]), 0)
        if not month or not 1 <= day <= calendar.monthrange(2000, month)[1]:
            return None
        year = int(g[3]) if g[3] else _year_for(article, month, future)
        if day > calendar.monthrange(year, month)[1]:
            return None
        return PartialDate(year, month, day)
    if rule == "numeric":
        day, month, year = int(g[0]), int(g[1]), int(g[2])
        if 1 <= month <= 12 and 1 <= day <= calendar.monthrange(year, month)[1]:
            return PartialDate(year, month, day)
        return None
    if rule in ("part_month", "month"):
        name = g[-2]
        month = MONTHS.get(name) or MONTHS.get(_accented(name))
        if not month:
            return None
        year = int(g[-1]) if g[-1] else _year_for(article, month, future)
        return PartialDate(year, month)
    if rule == "year":
        return PartialDate(int(g[0]))
    if not day_known:
        return None
    if rule == "weekday":
        return _weekday(ref, WEEKDAYS[g[0]], g[1] or "", future)
    if rule == "yesterday":
        offsets = {"avant-hier": -2, "hier": -1, "aujourd'hui": 0, "ce matin": 0, "ce soir": 0, "cet apres-midi": 0,
                   "demain": 1, "apres-demain": 2}
        return _day(ref + dt.timedelta(days=offsets[g[0]]))
    if rule == "ago":
        n, unit = _number(g[0]), g[1]
        if unit.startswith("jour"):
            return _day(ref - dt.timedelta(days=n))
        if unit.startswith("semaine"):
            return _day(ref - dt.timedelta(weeks=n))
        if unit == "mois":
            d = _shift_months(ref, -n)
            return PartialDate(d.year, d.month)
        return PartialDate(ref.year - n)
    if rule == "last":
        unit, direction = g
        sign = 1 if direction.startswith("prochain") else -1
        if unit in ("la semaine", "le week-end"):
            return _day(ref + dt.timedelta(weeks=sign))
        if unit == "le mois":
            d = _shift_months(ref, sign)
            return PartialDate(d.year, d.month)
        return PartialDate(ref.year + sign)
    if rule == "recent":
        return PartialDate(ref.year) if g[0] == "ces derniers mois" else PartialDate(ref.year, ref.month)
    return None


def _accented(name: str) -> str:
    return {"fevrier": "février", "aout": "août", "decembre": "décembre"}.get(name, name)


def _year_for(article: PartialDate, month: int, future: bool) -> int:
    """A month named without a year: the article's year, or the one before (after) it when the
    month lies well ahead of (behind) the article in a past (future) statement."""
    if article.month is None:
        return article.year
    if not future and month > article.month + 1:
        return article.year - 1
    if future and month < article.month - 1:
        return article.year + 1
    return article.year


def _weekday(ref: dt.date, weekday: int, qualifier: str, future: bool) -> PartialDate:
    if qualifier == "prochain" or (future and qualifier != "dernier"):
        delta = (weekday - ref.weekday()) % 7 or 7
        return _day(ref + dt.timedelta(days=delta))
    delta = (ref.weekday() - weekday) % 7
    if qualifier in ("dernier", "passe") and delta == 0:
        delta = 7
    return _day(ref - dt.timedelta(days=delta))


def find(text: str, article: PartialDate | None, future: bool = False) -> list[DateMention]:
    """Every date expression of a sentence, resolved; longer expressions win over the parts they contain."""
    if article is None:
        return []
    folded = strip_accents(text).lower().replace("’", "'")
    found: list[DateMention] = []
    taken: list[tuple[int, int]] = []
    for rule, regex in RULES:
        for m in regex.finditer(folded):
            if any(m.start() < e and s < m.end() for s, e in taken):
                continue
            date = resolve(m, rule, article, future)
            if date is None:
                continue
            taken.append((m.start(), m.end()))
            found.append(DateMention(m.start(), m.end(), text[m.start():m.end()], date, rule))
    return sorted(found, key=lambda d: d.start)


def parse_expression(text: str, article: PartialDate, future: bool = False) -> PartialDate | None:
    """The date one expression denotes (`dimanche dernier`, `le 4 juin`), or None."""
    found = find(text, article, future)
    if found:
        return found[0].date
    return _dateparser_fallback(text, article)


def _dateparser_fallback(text: str, article: PartialDate) -> PartialDate | None:
    if not re.search(r"\d", text):
        return None  # relative forms are all handled above; dateparser only adds explicit dates
    import dateparser

    base = dt.datetime(article.year, article.month or 6, article.day or 15)
    parsed = dateparser.parse(text, languages=["fr"], settings={"RELATIVE_BASE": base, "PREFER_DATES_FROM": "past",
                                                                "REQUIRE_PARTS": ["month", "year"]})
    return PartialDate(parsed.year, parsed.month, parsed.day) if parsed else None


def is_background(event_date: PartialDate | None, article: PartialDate | None) -> bool:
    """An event more than a year before its article is background, not news."""
    if event_date is None or article is None:
        return False
    if event_date.precision == "year" or article.precision == "year":
        return event_date.year < article.year - 1
    return (_as_date(article) - _as_date(event_date)).days > 366
