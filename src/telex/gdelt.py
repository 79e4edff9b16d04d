"""GDELT 2.0 event-table interchange: telex's deduplicated events in GDELT's 61 columns.

GDELT's files are tab-separated, without header, one event per line; scripts
that read them read this unchanged. Column by column (see docs/gdelt.md):
actor codes split into CAMEO country / known group / type codes, the event
code with its base (3 digits) and root, QuadClass and Goldstein from GDELT's
table, telex's mention counts, the action's place (Actor1/Actor2 geography
are left empty: telex locates events, not actors), the date the event was
added, and the URL (or document id) of the first article.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterable
from typing import TextIO

COLUMNS = [
    "GlobalEventID", "Day", "MonthYear", "Year", "FractionDate",
    *[f"Actor1{c}" for c in ("Code", "Name", "CountryCode", "KnownGroupCode", "EthnicCode", "Religion1Code",
                             "Religion2Code", "Type1Code", "Type2Code", "Type3Code")],
    *[f"Actor2{c}" for c in ("Code", "Name", "CountryCode", "KnownGroupCode", "EthnicCode", "Religion1Code",
                             "Religion2Code", "Type1Code", "Type2Code", "Type3Code")],
    "IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode", "QuadClass", "GoldsteinScale",
    "NumMentions", "NumSources", "NumArticles", "AvgTone",
    *[f"{who}Geo_{c}" for who in ("Actor1", "Actor2", "Action")
      for c in ("Type", "FullName", "CountryCode", "ADM1Code", "ADM2Code", "Lat", "Long", "FeatureID")],
    "DATEADDED", "SOURCEURL",
]
KNOWN_GROUPS = {"IGO", "NGO", "IMG", "MNC"}


def _actor(code: str | None, name: str | None, country: str | None, role: str | None) -> list[str]:
    """Code, Name, CountryCode, KnownGroupCode, Ethnic, Religion1, Religion2, Type1, Type2, Type3."""
    if not code:
        return [""] * 10
    known = code[3:6] if code[:3] in KNOWN_GROUPS else ""
    types = [role or ""] + [""] * 2
    return [code, (name or "").upper(), country or "", known, "", "", "", *types]


def _day(date: str | None, precision: str | None) -> tuple[str, str, str, str]:
    if not date:
        return "", "", "", ""
    parts = date.split("-")
    year = parts[0]
    month = parts[1] if len(parts) > 1 else "01"
    day = parts[2] if len(parts) > 2 else "01"
    fraction = int(year) + (int(month) - 1) / 12 + (int(day) - 1) / 365
    return f"{year}{month}{day}", f"{year}{month}", year, f"{fraction:.4f}"


def _geo(name, country, admin1, lat, lon, feature) -> list[str]:
    if not name:
        return [""] * 8
    kind = "1" if feature is None else "4"  # GDELT: 1 country, 4 world city
    return [kind, name, country or "", f"{country}{admin1}" if admin1 and country else "", "",
            "" if lat is None else f"{lat:.4f}", "" if lon is None else f"{lon:.4f}", str(feature or "")]


def rows(groups: Iterable[dict], added: str | None = None) -> Iterable[list[str]]:
    added = added or dt.datetime.now(dt.UTC).strftime("%Y%m%d%H%M%S")
    for g in groups:
        cameo = g["cameo"]
        yield [
            g["group_id"], *_day(g["date"], g.get("date_precision")),
            *_actor(g["source_code"], g.get("source_name"), g.get("source_country"), g.get("source_role")),
            *_actor(g["target_code"], g.get("target_name"), g.get("target_country"), g.get("target_role")),
            "1", cameo, cameo[:3], cameo[:2], str(g["quad_class"]), f"{g['goldstein']:.1f}",
            str(g["num_mentions"]), str(g["num_sources"]), str(g["num_articles"]), "",
            *([""] * 8), *([""] * 8),
            *_geo(g.get("place_name"), g.get("place_country"), g.get("place_admin1"), g.get("place_lat"),
                  g.get("place_lon"), g.get("place_feature")),
            added, g.get("source_url") or g.get("first_doc_id") or "",
        ]


def write(groups: Iterable[dict], out: TextIO, header: bool = False) -> int:
    writer = csv.writer(out, delimiter="\t", lineterminator="\n", quoting=csv.QUOTE_NONE, escapechar="\\")
    if header:
        writer.writerow(COLUMNS)
    n = 0
    for row in rows(groups):
        writer.writerow(row)
        n += 1
    return n
