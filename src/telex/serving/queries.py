"""Filters to parameterised SQL, and the aggregations behind the dashboard.

Pure functions over a DuckDB connection, so they are tested without HTTP.
No SQL text is ever built from a user's string: values travel as parameters,
and the few identifiers a user chooses (sort column, time interval, grouping)
go through fixed mappings.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, fields
from typing import Any

from telex.events.cameo import QUAD_NAMES, ROOT_NAMES

MAX_LIMIT = 500
DATE_RE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
MODALITIES = ("asserted", "negated", "hypothetical", "future", "reported")

# A state and its government are one node (TURGOV -> TUR), as in report.py's network.
NODE = ("CASE WHEN length({c}) = 6 AND {c} LIKE '%GOV' AND NOT ({c} LIKE 'IGO%' OR {c} LIKE 'NGO%' "
        "OR {c} LIKE 'IMG%') THEN left({c}, 3) ELSE {c} END")
SOURCE_NODE = NODE.format(c="source_code")
TARGET_NODE = NODE.format(c="target_code")

SORTS = {
    "date": "date", "cameo": "cameo", "root": "root", "goldstein": "goldstein", "quad_class": "quad_class",
    "source": "source_code", "target": "target_code", "doc": "doc_id", "event_id": "event_id",
    "modality": "modality", "place": "place_name",
}
INTERVALS = {
    "day": "CAST(date AS DATE)",
    "week": "CAST(date_trunc('week', CAST(date AS DATE)) AS DATE)",
    "month": "left(date, 7)",
    "year": "left(date, 4)",
}
# Grouping by day or week needs day precision; by month, at least month precision.
INTERVAL_PRECISION = {"day": ("day",), "week": ("day",), "month": ("day", "month"), "year": ("day", "month", "year")}
GROUPINGS = {"root": "root", "quad_class": "quad_class", "cameo": "cameo", "modality": "modality",
             "plover": "plover", "rule": "rule", "place_country": "place_country"}

LIST_COLUMNS = (
    "event_id", "doc_id", "sent_index", "date", "date_precision", "source_code", "source_name", "source_text",
    "target_code", "target_name", "target_text", "cameo", "root", "quad_class", "goldstein", "plover", "modality",
    "rule", "trigger", "place_name", "place_country", "sentence", "char_start", "trigger_start", "trigger_end",
    "source_start", "source_end", "target_start", "target_end",
)


class QueryError(ValueError):
    """A parameter that passed type validation but makes no sense (e.g. a date range upside down)."""


@dataclass
class Filters:
    actor: str | None = None
    country: str | None = None
    side: str = "either"
    source: str | None = None
    target: str | None = None
    cameo: str | None = None
    root: str | None = None
    quad: int | None = None
    modality: str | None = None
    date_from: str | None = None
    date_to: str | None = None
    place: str | None = None
    doc: str | None = None
    q: str | None = None

    def active(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self)
                if getattr(self, f.name) not in (None, "") and not (f.name == "side" and self.side == "either")}


def _code_match(column: str, value: str, params: list) -> str:
    """A code matches itself, and a three-letter state code also matches its government (TUR: TURGOV)."""
    params.extend([value, value + "GOV" if len(value) == 3 else value])
    return f"({column} = ? OR {column} = ?)"


def _like(value: str) -> str:
    return "%" + value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def where(f: Filters, alias: str = "") -> tuple[str, list]:
    """The WHERE clause (with leading ' WHERE ', or '') and its parameters."""
    p = alias + "." if alias else ""
    clauses: list[str] = []
    params: list = []
    if f.side not in ("source", "target", "either"):
        raise QueryError("side must be source, target or either")
    sides = ("source", "target") if f.side == "either" else (f.side,)
    if f.actor:
        clauses.append("(" + " OR ".join(_code_match(f"{p}{s}_code", f.actor, params) for s in sides) + ")")
    if f.country:
        clauses.append("(" + " OR ".join(f"{p}{s}_country = ?" for s in sides) + ")")
        params.extend([f.country] * len(sides))
    if f.source:
        clauses.append(_code_match(f"{p}source_code", f.source, params))
    if f.target:
        clauses.append(_code_match(f"{p}target_code", f.target, params))
    for name, column in (("cameo", "cameo"), ("root", "root"), ("quad", "quad_class"), ("modality", "modality"),
                         ("doc", "doc_id")):
        value = getattr(f, name)
        if value not in (None, ""):
            clauses.append(f"{p}{column} = ?")
            params.append(value)
    for name in ("date_from", "date_to"):
        value = getattr(f, name)
        if value and not DATE_RE.match(value):
            raise QueryError(f"{name} must be YYYY, YYYY-MM or YYYY-MM-DD")
    if f.date_from and f.date_to and f.date_from > f.date_to:
        raise QueryError("date_from is after date_to")
    if f.date_from:
        # Partial dates compare as strings: '2020-06' >= '2020' and '2020-06' < '2020-07'.
        clauses.append(f"{p}date >= ?")
        params.append(f.date_from)
    if f.date_to:
        clauses.append(f"{p}date <= ?")
        params.append(f.date_to + "\uffff")  # '2020-06' includes every day of June
    if f.place:
        clauses.append(f"({p}place_name ILIKE ? ESCAPE '\\' OR {p}place_country = ?)")
        params.extend([_like(f.place), f.place.upper()])
    if f.q:
        clauses.append(f"({p}sentence ILIKE ? ESCAPE '\\' OR {p}trigger ILIKE ? ESCAPE '\\')")
        params.extend([_like(f.q)] * 2)
    return (" WHERE " + " AND ".join(clauses) if clauses else ""), params


def _dicts(cursor) -> list[dict]:
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row)) for row in cursor.fetchall()]


def _first(cursor) -> dict | None:
    rows = _dicts(cursor)
    return rows[0] if rows else None


# -- events ------------------------------------------------------------------------
def events(con, f: Filters, limit: int = 50, offset: int = 0, sort: str = "date", order: str = "asc") -> dict:
    if sort not in SORTS:
        raise QueryError(f"sort must be one of {', '.join(SORTS)}")
    if order not in ("asc", "desc"):
        raise QueryError("order must be asc or desc")
    if not 1 <= limit <= MAX_LIMIT:
        raise QueryError(f"limit must be between 1 and {MAX_LIMIT}")
    clause, params = where(f)
    total = con.execute(f"SELECT count(*) FROM events{clause}", params).fetchone()[0]
    direction = "ASC" if order == "asc" else "DESC"
    order_by = f"ORDER BY {SORTS[sort]} {direction} NULLS LAST, event_id"
    # Sort only the narrow key columns, then fetch the wide rows of the page: a deep page no longer sorts
    # every sentence of the table.
    rows = _dicts(con.execute(
        f"SELECT {', '.join(LIST_COLUMNS)} FROM events WHERE rowid IN "
        f"(SELECT rowid FROM events{clause} {order_by} LIMIT ? OFFSET ?) {order_by}", params + [limit, offset]))
    return {"total": total, "limit": limit, "offset": offset, "sort": sort, "order": order, "items": rows}


def export_rows(con, f: Filters, max_rows: int):
    """All filtered events as an Arrow table (for CSV and Parquet), at most max_rows."""
    from telex.export import FLAT_COLUMNS

    clause, params = where(f)
    return con.sql(f"SELECT {', '.join(FLAT_COLUMNS)} FROM events{clause} ORDER BY date NULLS LAST, event_id LIMIT ?",
                   params=params + [max_rows]).to_arrow_table()


def spans(row: dict, base: int) -> list[dict]:
    """Trigger, source and target as offsets relative to base (a sentence or a document start)."""
    out = []
    for kind, start, end, text in (("trigger", row["trigger_start"], row["trigger_end"], row["trigger"]),
                                   ("source", row.get("source_start"), row.get("source_end"), row.get("source_text")),
                                   ("target", row.get("target_start"), row.get("target_end"), row.get("target_text"))):
        if start is not None and end is not None:
            out.append({"kind": kind, "start": start - base, "end": end - base, "text": text})
    return sorted(out, key=lambda s: s["start"])


def event(con, event_id: str) -> dict | None:
    row = _first(con.execute(
        "SELECT e.*, d.title AS doc_title, d.url AS doc_url, d.source AS doc_source, d.date AS doc_date, "
        "d.text AS doc_text FROM events e LEFT JOIN documents d USING (doc_id) WHERE e.event_id = ?", [event_id]))
    if row is None:
        return None
    try:
        path = json.loads(row.get("path") or "[]")
    except ValueError:
        path = []
    doc_text = row.pop("doc_text")
    row["path"] = path
    row["root_name"] = ROOT_NAMES.get(row["root"])
    row["quad_name"] = QUAD_NAMES.get(row["quad_class"])
    row["sentence_spans"] = spans(row, row["char_start"])
    row["document"] = {"doc_id": row["doc_id"], "title": row.pop("doc_title"), "url": row.pop("doc_url"),
                       "source": row.pop("doc_source"), "date": row.pop("doc_date"), "text": doc_text,
                       "spans": spans(row, 0)}
    return row


# -- aggregations ------------------------------------------------------------------
def timeline(con, f: Filters, interval: str = "month") -> dict:
    if interval not in INTERVALS:
        raise QueryError(f"interval must be one of {', '.join(INTERVALS)}")
    clause, params = where(f)
    precision = INTERVAL_PRECISION[interval]
    extra = f"date IS NOT NULL AND date_precision IN ({', '.join('?' * len(precision))})"
    clause = clause + (" AND " if clause else " WHERE ") + extra
    rows = con.execute(
        f"SELECT CAST({INTERVALS[interval]} AS VARCHAR) AS period, "
        "count(*) FILTER (WHERE quad_class = 1), count(*) FILTER (WHERE quad_class = 2), "
        "count(*) FILTER (WHERE quad_class = 3), count(*) FILTER (WHERE quad_class = 4), "
        f"coalesce(sum(goldstein), 0) FROM events{clause} GROUP BY period ORDER BY period",
        params + list(precision)).fetchall()
    buckets = [{"period": p, "q1": a, "q2": b, "q3": c, "q4": d, "cooperation": a + b, "conflict": c + d,
                "total": a + b + c + d, "goldstein": round(g, 2)} for p, a, b, c, d, g in rows]
    return {"interval": interval, "buckets": buckets}


def counts_by(con, f: Filters, by: str = "root") -> dict:
    if by not in GROUPINGS:
        raise QueryError(f"by must be one of {', '.join(GROUPINGS)}")
    clause, params = where(f)
    rows = con.execute(f"SELECT {GROUPINGS[by]} AS key, count(*) AS n, coalesce(sum(goldstein), 0) FROM events{clause} "
                       "GROUP BY key ORDER BY n DESC, key NULLS LAST", params).fetchall()
    names = ROOT_NAMES if by == "root" else QUAD_NAMES if by == "quad_class" else {}
    return {"by": by, "counts": [{"key": k, "name": names.get(k), "count": n, "goldstein": round(g, 2)}
                                 for k, n, g in rows]}


def pairs(con, f: Filters, limit: int = 100) -> dict:
    """Directed actor pairs (states merged with their governments): counts by quad class and Goldstein sums."""
    clause, params = where(f)
    extra = "source_code IS NOT NULL AND target_code IS NOT NULL"
    clause = clause + (" AND " if clause else " WHERE ") + extra
    rows = con.execute(
        f"SELECT s, t, count(*) AS n, count(*) FILTER (WHERE quad_class = 1), count(*) FILTER (WHERE quad_class = 2), "
        "count(*) FILTER (WHERE quad_class = 3), count(*) FILTER (WHERE quad_class = 4), coalesce(sum(goldstein), 0) "
        f"FROM (SELECT {SOURCE_NODE} AS s, {TARGET_NODE} AS t, quad_class, goldstein FROM events{clause}) "
        "WHERE s <> t GROUP BY s, t ORDER BY n DESC, s, t LIMIT ?", params + [limit]).fetchall()
    out = []
    for s, t, n, a, b, c, d, g in rows:
        quads = {1: a, 2: b, 3: c, 4: d}
        dominant = max(quads, key=lambda q: (quads[q], -q))
        out.append({"source": s, "target": t, "count": n, "quads": {str(q): v for q, v in quads.items()},
                    "quad": dominant, "goldstein": round(g, 2)})
    return {"pairs": out}


def network(con, f: Filters, max_nodes: int = 30, max_edges: int = 200) -> dict:
    edges = pairs(con, f, limit=max_edges)["pairs"]
    degree: dict[str, int] = {}
    for e in edges:
        degree[e["source"]] = degree.get(e["source"], 0) + e["count"]
        degree[e["target"]] = degree.get(e["target"], 0) + e["count"]
    keep = sorted(degree, key=lambda n: (-degree[n], n))[:max_nodes]
    names = actor_names(con, keep)
    nodes = [{"id": n, "count": degree[n], "name": names.get(n)} for n in keep]
    kept = set(keep)
    return {"nodes": nodes, "edges": [e for e in edges if e["source"] in kept and e["target"] in kept]}


def actor_names(con, codes: list[str]) -> dict[str, str]:
    if not codes:
        return {}
    wanted = list(codes) + [c + "GOV" for c in codes if len(c) == 3]
    rows = con.execute("SELECT code, name, count(*) AS n FROM mentions WHERE code IN (SELECT unnest(?)) "
                       "AND name IS NOT NULL GROUP BY code, name ORDER BY n DESC", [wanted]).fetchall()
    out: dict[str, str] = {}
    for code, name, _ in rows:
        key = code if code in codes else code[:3]
        out.setdefault(key, name)
    return out


def places(con, f: Filters, limit: int = 500) -> dict:
    clause, params = where(f)
    extra = "place_lat IS NOT NULL AND place_lon IS NOT NULL"
    clause = clause + (" AND " if clause else " WHERE ") + extra
    rows = con.execute(
        "SELECT place_name, place_country, round(avg(place_lat), 4), round(avg(place_lon), 4), count(*) AS n, "
        "count(*) FILTER (WHERE quad_class IN (1, 2)), count(*) FILTER (WHERE quad_class IN (3, 4)) "
        f"FROM events{clause} GROUP BY place_name, place_country ORDER BY n DESC, place_name LIMIT ?",
        params + [limit]).fetchall()
    return {"places": [{"name": n, "country": c, "lat": la, "lon": lo, "count": k, "cooperation": co,
                        "conflict": cf} for n, c, la, lo, k, co, cf in rows]}


def summary(con, f: Filters) -> dict:
    """One grouped scan (by actor nodes, root and quad class) feeds every count of the overview; a second gives
    documents and the date range."""
    clause, params = where(f)
    groups = con.execute(
        f"SELECT {SOURCE_NODE} AS s, {TARGET_NODE} AS t, root, quad_class, count(*), coalesce(sum(goldstein), 0) "
        f"FROM events{clause} GROUP BY ALL", params).fetchall()
    docs, first, last = con.execute(f"SELECT count(DISTINCT doc_id), min(date), max(date) FROM events{clause}",
                                    params).fetchone()
    n = gold = 0
    quads: dict[int, list] = {}
    roots: dict[str, list] = {}
    actors_: dict[str, int] = {}
    dyads: dict[tuple[str, str], dict] = {}
    for s, t, root, quad, k, g in groups:
        n, gold = n + k, gold + g
        for table, key in ((quads, quad), (roots, root)):
            entry = table.setdefault(key, [0, 0.0])
            entry[0], entry[1] = entry[0] + k, entry[1] + g
        for code in (s, t):
            if code is not None:
                actors_[code] = actors_.get(code, 0) + k
        if s is not None and t is not None and s != t:
            d = dyads.setdefault((s, t), {"count": 0, "quads": {1: 0, 2: 0, 3: 0, 4: 0}, "goldstein": 0.0})
            d["count"] += k
            d["quads"][quad] = d["quads"].get(quad, 0) + k
            d["goldstein"] += g
    top = sorted(actors_.items(), key=lambda kv: (-kv[1], kv[0]))[:10]
    names = actor_names(con, [a for a, _ in top])
    top_pairs = sorted(dyads.items(), key=lambda kv: (-kv[1]["count"], kv[0]))[:10]

    def counted(table: dict, labels: dict) -> list[dict]:
        return [{"key": key, "name": labels.get(key), "count": k, "goldstein": round(g, 2)}
                for key, (k, g) in sorted(table.items(), key=lambda kv: (-kv[1][0], str(kv[0])))]

    by_quad = counted(quads, QUAD_NAMES)
    return {
        "filters": f.active(), "events": n, "documents": docs, "first_date": first, "last_date": last,
        "cooperation": sum(c["count"] for c in by_quad if c["key"] in (1, 2)),
        "conflict": sum(c["count"] for c in by_quad if c["key"] in (3, 4)), "goldstein": round(gold, 2),
        "corpus": {"documents": con.execute("SELECT count(*) FROM documents").fetchone()[0],
                   "events": con.execute("SELECT count(*) FROM events").fetchone()[0]},
        "by_quad": by_quad, "by_root": counted(roots, ROOT_NAMES),
        "top_actors": [{"code": a, "name": names.get(a), "count": k} for a, k in top],
        "top_pairs": [{"source": s, "target": t, "count": d["count"],
                       "quads": {str(q): v for q, v in d["quads"].items()},
                       "quad": max(d["quads"], key=lambda q: (d["quads"][q], -q)),
                       "goldstein": round(d["goldstein"], 2)} for (s, t), d in top_pairs],
    }


# -- documents, actors, stories ------------------------------------------------------
def documents(con, q: str | None, limit: int, offset: int) -> dict:
    clause, params = "", []
    if q:
        clause, params = " WHERE (title ILIKE ? ESCAPE '\\' OR doc_id ILIKE ? ESCAPE '\\')", [_like(q)] * 2
    total = con.execute(f"SELECT count(*) FROM documents{clause}", params).fetchone()[0]
    rows = _dicts(con.execute(
        f"SELECT doc_id, title, date, source, url, n_sentences, n_events FROM documents{clause} "
        "ORDER BY date DESC NULLS LAST, doc_id LIMIT ? OFFSET ?", params + [limit, offset]))
    return {"total": total, "limit": limit, "offset": offset, "items": rows}


def document(con, doc_id: str) -> dict | None:
    doc = _first(con.execute(
        "SELECT doc_id, title, date, date_precision, source, url, path, text, n_sentences, n_events "
        "FROM documents WHERE doc_id = ?", [doc_id]))
    if doc is None:
        return None
    evs = _dicts(con.execute(
        "SELECT * EXCLUDE (path) FROM events WHERE doc_id = ? ORDER BY char_start, trigger_start, event_id", [doc_id]))
    doc["events"] = [{**{k: e[k] for k in LIST_COLUMNS}, "spans": spans(e, 0)} for e in evs]
    return doc


def actors(con, q: str | None, limit: int, offset: int) -> dict:
    """Resolved actors with the names they were found under, mention counts and event counts."""
    clause, params = " WHERE status = 'resolved' AND code IS NOT NULL", []
    if q:
        clause += " AND (code ILIKE ? ESCAPE '\\' OR name ILIKE ? ESCAPE '\\' OR text ILIKE ? ESCAPE '\\')"
        params = [_like(q)] * 3
    rows = con.execute(
        f"SELECT code, any_value(name), any_value(country), count(*) AS n, count(*) OVER () AS total "
        f"FROM mentions{clause} GROUP BY code ORDER BY n DESC, code LIMIT ? OFFSET ?",
        params + [limit, offset]).fetchall()
    total = rows[0][4] if rows else con.execute(f"SELECT count(DISTINCT code) FROM mentions{clause}",
                                                params).fetchone()[0]
    rows = [r[:4] for r in rows]
    aliases: dict[str, list[str]] = {}
    for code, text in con.execute(
            "SELECT code, text FROM mentions WHERE status = 'resolved' AND code IN (SELECT unnest(?)) "
            "GROUP BY code, text ORDER BY count(*) DESC, text", [[r[0] for r in rows]]).fetchall():
        aliases.setdefault(code, []).append(text)
    codes = [r[0] for r in rows]
    as_source = dict(con.execute("SELECT source_code, count(*) FROM events WHERE source_code IN (SELECT unnest(?)) "
                                 "GROUP BY source_code", [codes]).fetchall())
    as_target = dict(con.execute("SELECT target_code, count(*) FROM events WHERE target_code IN (SELECT unnest(?)) "
                                 "GROUP BY target_code", [codes]).fetchall())
    items = [{"code": c, "name": name, "country": country, "mentions": n, "aliases": aliases.get(c, [])[:8],
              "as_source": as_source.get(c, 0), "as_target": as_target.get(c, 0)}
             for c, name, country, n in rows]
    return {"total": total, "limit": limit, "offset": offset, "items": items}


def has_table(con, name: str) -> bool:
    return bool(con.execute("SELECT count(*) FROM information_schema.tables WHERE table_name = ?",
                            [name]).fetchone()[0])


def stories(con, limit: int, offset: int) -> dict:
    if not has_table(con, "stories"):
        return {"total": 0, "limit": limit, "offset": offset, "items": []}
    total = con.execute("SELECT count(*) FROM stories").fetchone()[0]
    rows = _dicts(con.execute(
        "SELECT story_id, articles, first_date, last_date, events, main_actors, title FROM stories "
        "ORDER BY articles DESC, events DESC, story_id LIMIT ? OFFSET ?", [limit, offset]))
    return {"total": total, "limit": limit, "offset": offset, "items": rows}


def story(con, story_id: str) -> dict | None:
    if not has_table(con, "stories"):
        return None
    head = _first(con.execute("SELECT * FROM stories WHERE story_id = ?", [story_id]))
    if head is None:
        return None
    docs = _dicts(con.execute(
        "SELECT d.doc_id, d.date, d.title, d.n_events FROM story_documents s JOIN documents d USING (doc_id) "
        "WHERE s.story_id = ? ORDER BY d.date, d.doc_id", [story_id]))
    groups = _dicts(con.execute(
        "SELECT DISTINCT g.group_id, g.date, g.source_code, g.cameo, g.target_code, g.num_mentions, g.num_articles, "
        "g.first_event_id FROM event_groups g JOIN event_mentions m USING (group_id) "
        "JOIN story_documents s USING (doc_id) WHERE s.story_id = ? ORDER BY g.date NULLS LAST, g.cameo, g.group_id",
        [story_id]))
    return {**head, "documents": docs, "events": groups}


def meta() -> dict:
    from telex.report import QUAD_COLOURS

    return {"roots": ROOT_NAMES, "quads": {str(q): n for q, n in QUAD_NAMES.items()},
            "quad_colours": {str(q): c for q, c in QUAD_COLOURS.items()}, "modalities": list(MODALITIES),
            "sorts": list(SORTS), "intervals": list(INTERVALS), "max_limit": MAX_LIMIT}
