"""A single self-contained HTML report: counts, timeline, actor network, events with highlights.

No JavaScript library and no CDN: charts are SVG drawn here, so the file opens
offline and can be mailed as is.
"""

from __future__ import annotations

import html
import json
import math
from collections import Counter, defaultdict

from telex.events.cameo import QUAD_NAMES, ROOT_NAMES

QUAD_COLOURS = {1: "#2b8a3e", 2: "#1864ab", 3: "#e67700", 4: "#c92a2a"}
CSS = """
body{font-family:system-ui,sans-serif;margin:2rem;color:#222;max-width:1200px}
h1{margin-bottom:0}.muted{color:#666}.cards{display:flex;gap:1rem;flex-wrap:wrap;margin:1rem 0}
.card{border:1px solid #ddd;border-radius:6px;padding:.6rem 1rem;min-width:8rem}
.card b{display:block;font-size:1.6rem}table{border-collapse:collapse;width:100%;font-size:.9rem}
td,th{border-bottom:1px solid #eee;padding:.3rem;vertical-align:top;text-align:left}
mark.trg{background:#ffe066}mark.src{background:#a5d8ff}mark.tgt{background:#ffc9c9}
.legend span{display:inline-block;margin-right:1rem}.sw{display:inline-block;width:.8rem;height:.8rem;margin-right:.3rem}
code{font-size:.85rem}
"""


def esc(value) -> str:
    return html.escape("" if value is None else str(value))


def highlight(row: dict) -> str:
    """The sentence with trigger, source and target marked (offsets are document offsets)."""
    sentence, base = row["sentence"], row["char_start"]
    spans = []
    for kind, start, end in (("trg", row["trigger_start"], row["trigger_end"]),
                             ("src", row.get("source_start"), row.get("source_end")),
                             ("tgt", row.get("target_start"), row.get("target_end"))):
        if start is None or end is None:
            continue
        s, e = start - base, end - base
        if 0 <= s < e <= len(sentence):
            spans.append((s, e, kind))
    spans.sort()
    out, pos = [], 0
    for s, e, kind in spans:
        if s < pos:
            continue  # overlapping spans: keep the first
        out.append(esc(sentence[pos:s]))
        out.append(f'<mark class="{kind}">{esc(sentence[s:e])}</mark>')
        pos = e
    out.append(esc(sentence[pos:]))
    return "".join(out)


def explain(row: dict) -> str:
    """The parse path from trigger to actors and the rule that fired, as `telex explain` prints it."""
    try:
        steps = json.loads(row.get("path") or "[]")
    except ValueError:
        steps = []
    if not steps:
        return ""
    items = "".join(f"<li>{esc(step)}</li>" for step in steps)
    return f"<details><summary>why</summary><ul>{items}</ul></details>"


def timeline_svg(rows: list[dict], width: int = 900, height: int = 220) -> str:
    months: dict[str, Counter] = defaultdict(Counter)
    for row in rows:
        if row.get("date"):
            side = "cooperation" if row["quad_class"] in (1, 2) else "conflict"
            months[row["date"][:7]][side] += 1
    if not months:
        return '<p class="muted">No dated events.</p>'
    keys = sorted(months)
    peak = max(max(c["cooperation"], c["conflict"]) for c in months.values()) or 1
    bar = max(4, min(40, (width - 60) // (2 * len(keys) + 1)))
    mid = height // 2
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height + 30}" role="img" '
             f'aria-label="events by month">']
    parts.append(f'<line x1="40" y1="{mid}" x2="{width}" y2="{mid}" stroke="#999"/>')
    for i, month in enumerate(keys):
        x = 50 + i * 2 * bar
        coop = months[month]["cooperation"] / peak * (mid - 10)
        conf = months[month]["conflict"] / peak * (mid - 10)
        parts.append(f'<rect x="{x}" y="{mid - coop:.1f}" width="{bar}" height="{coop:.1f}" fill="#2b8a3e">'
                     f'<title>{month}: {months[month]["cooperation"]} cooperation</title></rect>')
        parts.append(f'<rect x="{x}" y="{mid}" width="{bar}" height="{conf:.1f}" fill="#c92a2a">'
                     f'<title>{month}: {months[month]["conflict"]} conflict</title></rect>')
        parts.append(f'<text x="{x}" y="{height + 20}" font-size="10">{month}</text>')
    parts.append(f'<text x="0" y="15" font-size="11">cooperation ↑ / conflict ↓ (max {peak})</text></svg>')
    return "".join(parts)


def node_of(code: str | None) -> str | None:
    """A state and its government are one node (TURGOV -> TUR); other roles stay apart (LBYREB, RUSMIL)."""
    if not code:
        return None
    if len(code) == 6 and code.endswith("GOV") and not code.startswith(("IGO", "NGO", "IMG")):
        return code[:3]
    return code


def network_svg(rows: list[dict], size: int = 640, max_nodes: int = 30) -> str:
    """Directed actor network: edges weighted by count, coloured by the dominant quad class."""
    edges: dict[tuple[str, str], Counter] = defaultdict(Counter)
    degree: Counter = Counter()
    for row in rows:
        s, t = node_of(row.get("source_code")), node_of(row.get("target_code"))
        if not s or not t or s == t:
            continue
        edges[(s, t)][row["quad_class"]] += 1
        degree[s] += 1
        degree[t] += 1
    if not edges:
        return '<p class="muted">No dyadic events.</p>'
    nodes = [n for n, _ in degree.most_common(max_nodes)]
    centre, radius = size / 2, size / 2 - 70
    pos = {n: (centre + radius * math.cos(2 * math.pi * i / len(nodes) - math.pi / 2),
               centre + radius * math.sin(2 * math.pi * i / len(nodes) - math.pi / 2)) for i, n in enumerate(nodes)}
    peak = max(sum(c.values()) for c in edges.values())
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{size}" height="{size}" role="img" aria-label="actor network">',
             "<defs>" + "".join(
                 f'<marker id="arrow{q}" viewBox="0 0 10 10" refX="22" refY="5" markerWidth="9" markerHeight="9" '
                 f'markerUnits="userSpaceOnUse" orient="auto"><path d="M0,0L10,5L0,10z" fill="{c}"/></marker>'
                 for q, c in QUAD_COLOURS.items()) + "</defs>"]
    for (s, t), counter in sorted(edges.items(), key=lambda kv: sum(kv[1].values())):
        if s not in pos or t not in pos:
            continue
        quad = counter.most_common(1)[0][0]
        total = sum(counter.values())
        (x1, y1), (x2, y2) = pos[s], pos[t]
        # bend each edge so that A->B and B->A do not overlap
        mx, my = (x1 + x2) / 2 + (y2 - y1) * 0.15, (y1 + y2) / 2 - (x2 - x1) * 0.15
        width = 1 + 5 * total / peak
        detail = ", ".join(f"{QUAD_NAMES[q]}: {n}" for q, n in sorted(counter.items()))
        parts.append(f'<path d="M{x1:.1f},{y1:.1f} Q{mx:.1f},{my:.1f} {x2:.1f},{y2:.1f}" fill="none" '
                     f'stroke="{QUAD_COLOURS[quad]}" stroke-opacity=".75" stroke-width="{width:.1f}" '
                     f'marker-end="url(#arrow{quad})"><title>{esc(s)} → {esc(t)}: {total} ({detail})</title></path>')
    for n in nodes:
        x, y = pos[n]
        r = 6 + 10 * math.sqrt(degree[n] / max(degree.values()))
        parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r:.1f}" fill="#fff" stroke="#333"/>'
                     f'<text x="{x:.1f}" y="{y - r - 4:.1f}" text-anchor="middle" font-size="12">{esc(n)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def render(rows: list[dict], counts: dict[str, int], title: str = "telex report") -> str:
    by_root = Counter(r["root"] for r in rows)
    legend = "".join(f'<span><i class="sw" style="background:{c}"></i>{QUAD_NAMES[q]}</span>'
                     for q, c in QUAD_COLOURS.items())
    cards = "".join(f'<div class="card"><b>{n:,}</b>{esc(k)}</div>' for k, n in counts.items())
    roots = "".join(f"<tr><td>{esc(r)}</td><td>{esc(ROOT_NAMES.get(r, ''))}</td><td>{n}</td></tr>"
                    for r, n in sorted(by_root.items()))
    table = "".join(
        f"<tr><td>{esc(r['date'])}</td><td><code>{esc(r.get('source_code'))}</code></td>"
        f"<td><code>{esc(r['cameo'])}</code><br><span class='muted'>{esc(r.get('plover'))}</span></td>"
        f"<td><code>{esc(r.get('target_code'))}</code></td><td>{esc(r['modality'])}</td>"
        f"<td>{highlight(r)}<br><span class='muted'>{esc(r['doc_id'])} · rule <code>{esc(r['rule'])}</code>"
        f" · <code>{esc(r['event_id'])}</code></span>{explain(r)}</td></tr>"
        for r in rows
    )
    return f"""<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>{esc(title)}</title>
<style>{CSS}</style></head><body>
<h1>{esc(title)}</h1><p class="muted">Events coded by telex in CAMEO, with the sentence behind each.</p>
<div class="cards">{cards}</div>
<h2>Events by month</h2>{timeline_svg(rows)}
<h2>Actor network</h2><p class="legend">{legend}</p>{network_svg(rows)}
<h2>Events by CAMEO root</h2><table><tr><th>root</th><th>name</th><th>events</th></tr>{roots}</table>
<h2>Events</h2><p class="legend"><mark class="src">source</mark> <mark class="trg">trigger</mark>
<mark class="tgt">target</mark></p>
<table><tr><th>date</th><th>source</th><th>event</th><th>target</th><th>modality</th><th>sentence</th></tr>{table}</table>
</body></html>"""
