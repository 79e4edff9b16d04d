"""`telex report`: the dashboard frozen into one HTML file, with the API answers it needs embedded.

The same app.js renders it: instead of fetching /api/..., it reads the embedded JSON (the unfiltered views,
and every event for the event list and event pages). A <noscript> section keeps the server-drawn SVG charts
of report.py for readers without JavaScript. No server, no network: the file can be mailed as is.
"""

from __future__ import annotations

import html
import json
from pathlib import Path

import duckdb

from telex.serving import queries
from telex.serving.app import static_files


def embedded_api(con, filters: queries.Filters, max_events: int) -> dict:
    clause, params = queries.where(filters)
    cursor = con.execute(f"SELECT {', '.join(queries.LIST_COLUMNS)} FROM events{clause} "
                         "ORDER BY date NULLS LAST, event_id LIMIT ?", params + [max_events])
    names = [d[0] for d in cursor.description]
    items = [dict(zip(names, row)) for row in cursor.fetchall()]
    api = {
        "/api/meta": queries.meta(),
        "/api/summary": queries.summary(con, filters),
        "/api/timeline": queries.timeline(con, filters, "month"),
        "/api/network": queries.network(con, filters),
        "/api/places": queries.places(con, filters),
        "/api/actors": queries.actors(con, None, 200, 0),
        "/api/events": {"total": len(items), "limit": len(items), "offset": 0, "items": items},
    }
    for item in items:
        api[f"/api/events/{item['event_id']}"] = queries.event(con, item["event_id"])
    return api


def _script_safe(text: str) -> str:
    # Inside <script>, only "</" can end the element early; "<\/" means the same to JSON and JS.
    return text.replace("</", "<\\/")


def build(db_path: str | Path, title: str, all_modalities: bool = False, max_events: int = 5000) -> tuple[str, int]:
    """The report's HTML and the number of events it embeds."""
    from telex.report import network_svg, timeline_svg

    filters = queries.Filters() if all_modalities else queries.Filters(modality="asserted")
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        api = embedded_api(con, filters, max_events)
        clause, params = queries.where(filters)
        cursor = con.execute(f"SELECT * FROM events{clause}", params)
        names = [d[0] for d in cursor.description]
        rows = [dict(zip(names, r)) for r in cursor.fetchall()]
    finally:
        con.close()
    files = static_files()
    data = {"title": title, "api": api, "world": json.loads(files["world.json"][0])}
    page = files["index.html"][0].decode("utf-8")
    noscript = (f"<noscript><h2>Events by month</h2>{timeline_svg(rows)}<h2>Actor network</h2>{network_svg(rows)}"
                "</noscript>")
    page = page.replace("<title>telex</title>", f"<title>{html.escape(title)}</title>")
    page = page.replace('<link rel="stylesheet" href="/static/style.css">',
                        f"<style>{files['style.css'][0].decode('utf-8')}</style>")
    page = page.replace('<main id="view">', noscript + '<main id="view">')
    script = (f'<script id="telex-data" type="application/json">{_script_safe(json.dumps(data, default=str))}'
              f"</script>\n<script>{_script_safe(files['app.js'][0].decode('utf-8'))}</script>")
    page = page.replace('<script src="/static/app.js"></script>', script)
    return page, len(api["/api/events"]["items"])
