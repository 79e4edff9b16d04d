"""Dedup stage: one real-world event per (source, target, CAMEO code, dates within a window).

Several articles (or several sentences) that report the same event become one
row of `event_groups`, with GDELT's counts kept rather than information
deleted: NumMentions (coded mentions), NumSources (distinct sources), and
NumArticles (distinct documents). `event_mentions` maps every coded event to
its group. Story threads (`stories`) link articles that share events.

Everything is recomputed from the stored events in SQL: cheap in DuckDB, and
always consistent with what is stored.
"""

from __future__ import annotations

from telex.storage import Store

DATE_KEY = """
CASE e.date_precision
  WHEN 'day' THEN CAST(e.date AS DATE)
  WHEN 'month' THEN CAST(e.date || '-15' AS DATE)
  WHEN 'year' THEN CAST(e.date || '-07-01' AS DATE)
END
"""


def rebuild(store: Store, window_days: int = 2) -> dict[str, int]:
    """Recompute event groups and stories; returns their counts."""
    with store.whole_table_memory() as con:
        return _rebuild(con, window_days)


def _rebuild(con, window_days: int) -> dict[str, int]:
    con.execute("BEGIN TRANSACTION")
    try:
        con.execute("DROP TABLE IF EXISTS event_mentions")
        con.execute("DROP TABLE IF EXISTS event_groups")
        con.execute("DROP TABLE IF EXISTS stories")
        con.execute("DROP TABLE IF EXISTS story_documents")
        # Dated events chain into a group while the gap to the previous one stays within the window;
        # undated ones group only within their own document.
        con.execute(f"""
        CREATE TABLE event_mentions AS
        WITH keyed AS (
          SELECT e.event_id, e.doc_id, e.source_code, e.target_code, e.cameo, {DATE_KEY} AS day,
                 coalesce(d.source, d.url, d.doc_id) AS source_name
          FROM events e JOIN documents d USING (doc_id)
          WHERE e.modality = 'asserted' AND e.source_code IS NOT NULL AND e.target_code IS NOT NULL
        ), ordered AS (
          SELECT *, CASE WHEN day IS NULL THEN 1
                         WHEN lag(day) OVER w IS NULL THEN 1
                         WHEN day - lag(day) OVER w > {int(window_days)} THEN 1 ELSE 0 END AS starts
          FROM keyed
          WINDOW w AS (PARTITION BY source_code, target_code, cameo ORDER BY day NULLS LAST, doc_id, event_id)
        ), numbered AS (
          SELECT *, sum(starts) OVER (PARTITION BY source_code, target_code, cameo
                                      ORDER BY day NULLS LAST, doc_id, event_id
                                      ROWS UNBOUNDED PRECEDING) AS run
          FROM ordered
        )
        SELECT event_id, doc_id, source_name,
               substr(md5(source_code || '|' || target_code || '|' || cameo || '|' || CAST(run AS VARCHAR) ||
                          CASE WHEN day IS NULL THEN '|' || doc_id ELSE '' END), 1, 16) AS group_id
        FROM numbered
        """)
        con.execute("""
        CREATE TABLE event_groups AS
        SELECT m.group_id,
               min(e.date) AS date, any_value(e.date_precision) AS date_precision,
               any_value(e.source_code) AS source_code, any_value(e.source_country) AS source_country,
               any_value(e.source_role) AS source_role, any_value(e.source_name) AS source_name,
               any_value(e.target_code) AS target_code, any_value(e.target_country) AS target_country,
               any_value(e.target_role) AS target_role, any_value(e.target_name) AS target_name,
               any_value(e.cameo) AS cameo, any_value(e.root) AS root, any_value(e.quad_class) AS quad_class,
               any_value(e.goldstein) AS goldstein, any_value(e.plover) AS plover,
               count(*) AS num_mentions, count(DISTINCT m.source_name) AS num_sources,
               count(DISTINCT m.doc_id) AS num_articles,
               arg_min(e.event_id, e.doc_id || lpad(CAST(e.sent_index AS VARCHAR), 6, '0')) AS first_event_id,
               arg_min(e.doc_id, e.doc_id) AS first_doc_id,
               any_value(e.place_name) FILTER (WHERE e.place_name IS NOT NULL) AS place_name,
               any_value(e.place_country) FILTER (WHERE e.place_name IS NOT NULL) AS place_country,
               any_value(e.place_admin1) FILTER (WHERE e.place_name IS NOT NULL) AS place_admin1,
               any_value(e.place_lat) FILTER (WHERE e.place_name IS NOT NULL) AS place_lat,
               any_value(e.place_lon) FILTER (WHERE e.place_name IS NOT NULL) AS place_lon,
               any_value(e.place_geonameid) FILTER (WHERE e.place_name IS NOT NULL) AS place_feature
        FROM event_mentions m JOIN events e USING (event_id)
        GROUP BY m.group_id
        """)
        _stories(con)
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return {
        "event_groups": con.execute("SELECT count(*) FROM event_groups").fetchone()[0],
        "stories": con.execute("SELECT count(*) FROM stories").fetchone()[0],
    }


def _stories(con) -> None:
    """Articles that share an event group belong to one story (connected components)."""
    con.execute("""
        CREATE OR REPLACE TEMP TABLE story_edges AS
        SELECT DISTINCT a.doc_id AS a, b.doc_id AS b FROM event_mentions a JOIN event_mentions b
        ON a.group_id = b.group_id AND a.doc_id < b.doc_id
    """)
    con.execute("CREATE TABLE story_documents AS SELECT doc_id AS story_id, doc_id FROM documents")
    connect_components(con, "story_documents", "story_edges")
    con.execute("DROP TABLE story_edges")
    con.execute("""
        CREATE TABLE stories AS
        SELECT s.story_id, count(DISTINCT s.doc_id) AS articles, min(d.date) AS first_date, max(d.date) AS last_date,
               any_value(d.title) FILTER (WHERE d.title IS NOT NULL) AS title,
               (SELECT count(*) FROM events e JOIN story_documents x USING (doc_id)
                WHERE x.story_id = s.story_id AND e.modality = 'asserted') AS events,
               (SELECT string_agg(code, ', ') FROM (
                    SELECT code FROM (
                        SELECT source_code AS code FROM events e JOIN story_documents x USING (doc_id)
                        WHERE x.story_id = s.story_id
                        UNION ALL
                        SELECT target_code FROM events e JOIN story_documents x USING (doc_id)
                        WHERE x.story_id = s.story_id)
                    WHERE code IS NOT NULL GROUP BY code ORDER BY count(*) DESC, code LIMIT 5)) AS main_actors
        FROM story_documents s JOIN documents d USING (doc_id)
        GROUP BY s.story_id
    """)


def connect_components(con, labels: str, edges: str) -> None:
    """Label every node of `labels` (story_id, doc_id) with the smallest doc_id of its connected component
    in `edges` (a, b), in SQL: each pass gives a node the smallest label of its neighbours, until none
    changes (as many passes as the longest chain of articles). Nothing is pulled into Python, so memory
    does not grow with the number of documents."""
    while True:
        changed = con.execute(f"""
            UPDATE {labels} SET story_id = n.label FROM (
                SELECT node, min(label) AS label FROM (
                    SELECT e.a AS node, l.story_id AS label FROM {edges} e JOIN {labels} l ON l.doc_id = e.b
                    UNION ALL
                    SELECT e.b, l.story_id FROM {edges} e JOIN {labels} l ON l.doc_id = e.a
                ) GROUP BY node
            ) n
            WHERE {labels}.doc_id = n.node AND n.label < {labels}.story_id
        """).fetchone()[0]
        if not changed:
            return
