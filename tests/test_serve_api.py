"""The JSON API of `telex serve`: every endpoint and filter, invalid parameters, and the hardening."""

from __future__ import annotations

import io
import shutil
import subprocess
import sys
import textwrap

import duckdb
import pyarrow.parquet as pq
import pytest
from fastapi.testclient import TestClient

from telex.serving import queries
from telex.serving.app import BUSY, ApiFailure, create_app
from telex.serving.server import check_exposure, is_loopback


@pytest.fixture(scope="module")
def client(demo_db):
    return TestClient(create_app(demo_db))


@pytest.fixture(scope="module")
def db_events(demo_db):
    con = duckdb.connect(str(demo_db), read_only=True)
    cursor = con.execute("SELECT * FROM events")
    names = [d[0] for d in cursor.description]
    rows = [dict(zip(names, r)) for r in cursor.fetchall()]
    con.close()
    return rows


def get(client, url, status=200, **kwargs):
    response = client.get(url, **kwargs)
    assert response.status_code == status, (url, response.status_code, response.text[:500])
    return response.json() if response.headers["content-type"].startswith("application/json") else response


def all_events(client, query=""):
    body = get(client, f"/api/events?limit=500&{query}")
    assert body["total"] == len(body["items"])  # the demo corpus fits on one page
    return body["items"]


# -- events and filters -------------------------------------------------------------------------
def test_events_unfiltered_match_the_database(client, db_events):
    body = get(client, "/api/events?limit=500")
    assert body["total"] == len(db_events) >= 40
    assert {e["event_id"] for e in body["items"]} == {e["event_id"] for e in db_events}


@pytest.mark.parametrize("query,keep", [
    ("root=04", lambda e: e["root"] == "04"),
    ("cameo=042", lambda e: e["cameo"] == "042"),
    ("quad=3", lambda e: e["quad_class"] == 3),
    ("modality=negated", lambda e: e["modality"] == "negated"),
    ("actor=TUR", lambda e: e["source_code"] in ("TUR", "TURGOV") or e["target_code"] in ("TUR", "TURGOV")),
    ("actor=TUR&side=source", lambda e: e["source_code"] in ("TUR", "TURGOV")),
    ("actor=LBYREB&side=target", lambda e: e["target_code"] == "LBYREB"),
    ("country=LBY", lambda e: "LBY" in (e["source_country"], e["target_country"])),
    ("country=RUS&side=target", lambda e: e["target_country"] == "RUS"),
    ("source=RUS&target=TUR", lambda e: e["source_code"] in ("RUS", "RUSGOV") and e["target_code"] in ("TUR", "TURGOV")),
    ("date_from=2020-06&date_to=2020-06", lambda e: (e["date"] or "").startswith("2020-06")),
    ("date_from=2020-06-10", lambda e: (e["date"] or "") >= "2020-06-10"),
    ("date_to=2020", lambda e: e["date"] is not None and e["date"][:4] <= "2020"),
    ("place=ankara", lambda e: e["place_name"] == "Ankara"),
    ("place=TUR", lambda e: e["place_country"] == "TUR" or "tur" in (e["place_name"] or "").lower()),
    ("doc=chine-visite-macron", lambda e: e["doc_id"] == "chine-visite-macron"),
    ("q=Haftar", lambda e: "haftar" in e["sentence"].lower() or "haftar" in e["trigger"].lower()),
])
def test_each_filter_keeps_exactly_the_matching_events(client, db_events, query, keep):
    expected = {e["event_id"] for e in db_events if keep(e)}
    got = {e["event_id"] for e in all_events(client, query)}
    assert got == expected
    assert 0 < len(got) < len(db_events), query  # the filter does narrow, and the corpus has such events


def test_filters_combine_with_and(client):
    both = all_events(client, "actor=TUR&root=04")
    assert both and all(e["root"] == "04" for e in both)
    assert len(both) < len(all_events(client, "actor=TUR"))


def test_paging_and_sorting(client):
    first = get(client, "/api/events?limit=5&offset=0&sort=goldstein&order=desc")
    second = get(client, "/api/events?limit=5&offset=5&sort=goldstein&order=desc")
    assert len(first["items"]) == 5 and first["total"] == second["total"]
    scores = [e["goldstein"] for e in first["items"] + second["items"]]
    assert scores == sorted(scores, reverse=True)
    assert not {e["event_id"] for e in first["items"]} & {e["event_id"] for e in second["items"]}
    dates = [e["date"] for e in all_events(client, "sort=date&order=asc") if e["date"]]
    assert dates == sorted(dates)


def test_text_search_treats_wildcards_and_quotes_as_text(client, demo_db):
    assert get(client, "/api/events?q=%25")["total"] == 0  # '%' is not a wildcard
    assert get(client, "/api/events?q=%27%3B%20DROP%20TABLE%20events%3B%20--")["total"] == 0
    assert get(client, "/api/events")["total"] > 0


# -- invalid parameters: clear 4xx JSON, never a 500 -----------------------------------------------
@pytest.mark.parametrize("url,status,word", [
    ("/api/events?limit=501", 422, "limit"),
    ("/api/events?limit=0", 422, "limit"),
    ("/api/events?limit=abc", 422, "limit"),
    ("/api/events?offset=-1", 422, "offset"),
    ("/api/events?sort=event_id;DROP", 422, "sort"),
    ("/api/events?sort=source_code", 422, "sort"),
    ("/api/events?order=sideways", 422, "order"),
    ("/api/events?quad=9", 422, "quad"),
    ("/api/events?root=4", 422, "root"),
    ("/api/events?cameo=abc", 422, "cameo"),
    ("/api/events?actor=tur' OR 1=1 --", 422, "actor"),
    ("/api/events?country=LIBYA", 422, "country"),
    ("/api/events?side=both", 422, "side"),
    ("/api/events?modality=maybe", 422, "modality"),
    ("/api/events?date_from=yesterday", 422, "date_from"),
    ("/api/events?date_from=2021&date_to=2020", 400, "date_from is after date_to"),
    ("/api/events?q=" + "x" * 201, 422, "q"),
    ("/api/timeline?interval=hour", 422, "interval"),
    ("/api/counts?by=sentence", 422, "by"),
    ("/api/pairs?limit=100000", 422, "limit"),
    ("/api/network?max_nodes=1", 422, "max_nodes"),
    ("/api/actors?limit=9999", 422, "limit"),
    ("/api/documents?offset=x", 422, "offset"),
    ("/api/stories?limit=-3", 422, "limit"),
    ("/api/events.csv?max_rows=0", 422, "max_rows"),
    ("/api/summary?quad=0", 422, "quad"),
    ("/api/places?date_to=2020-1", 422, "date_to"),
    ("/api/events/nope", 404, "no event"),
    ("/api/documents/nope", 404, "no document"),
    ("/api/stories/nope", 404, "no story"),
    ("/api/nothing-here", 404, "Not Found"),
])
def test_invalid_parameters_get_a_clear_json_error(client, url, status, word):
    response = client.get(url)
    assert response.status_code == status, response.text
    body = response.json()
    assert word in body["error"], body


def test_page_size_limit_is_documented_in_meta(client):
    assert get(client, "/api/meta")["max_limit"] == queries.MAX_LIMIT == 500


# -- aggregations ------------------------------------------------------------------------------
def test_summary_counts_and_top_actors(client, db_events):
    s = get(client, "/api/summary")
    assert s["events"] == len(db_events)
    assert s["cooperation"] + s["conflict"] == len(db_events)
    assert sum(c["count"] for c in s["by_quad"]) == len(db_events)
    top = [a["code"] for a in s["top_actors"]]
    assert "TUR" in top[:3] and "RUS" in top[:3]  # governments merged into their state
    assert "TURGOV" not in top
    narrowed = get(client, "/api/summary?root=04")
    assert narrowed["events"] < s["events"] and narrowed["filters"] == {"root": "04"}


@pytest.mark.parametrize("interval", ["day", "week", "month", "year"])
def test_timeline_buckets_add_up(client, db_events, interval):
    t = get(client, f"/api/timeline?interval={interval}")
    precisions = {"day": ("day",), "week": ("day",), "month": ("day", "month"), "year": ("day", "month", "year")}
    expected = sum(1 for e in db_events if e["date"] and e["date_precision"] in precisions[interval])
    assert sum(b["total"] for b in t["buckets"]) == expected > 0
    assert all(b["total"] == b["q1"] + b["q2"] + b["q3"] + b["q4"] for b in t["buckets"])
    periods = [b["period"] for b in t["buckets"]]
    assert periods == sorted(periods)


@pytest.mark.parametrize("by", ["root", "quad_class", "cameo", "modality", "plover", "rule", "place_country"])
def test_counts_by_each_grouping(client, db_events, by):
    counts = get(client, f"/api/counts?by={by}")["counts"]
    assert sum(c["count"] for c in counts) == len(db_events)


def test_pairs_matrix_merges_governments_and_sums_goldstein(client, db_events):
    pairs = {(p["source"], p["target"]): p for p in get(client, "/api/pairs?limit=500")["pairs"]}
    rus_tur = [e for e in db_events if e["source_code"] in ("RUS", "RUSGOV") and e["target_code"] in ("TUR", "TURGOV")]
    p = pairs[("RUS", "TUR")]
    assert p["count"] == len(rus_tur)
    assert p["goldstein"] == pytest.approx(sum(e["goldstein"] for e in rus_tur), abs=0.01)
    assert sum(p["quads"].values()) == p["count"]
    assert not any(s.endswith("GOV") and len(s) == 6 for s, _ in pairs)


def test_network_nodes_and_edges(client):
    n = get(client, "/api/network")
    ids = {node["id"] for node in n["nodes"]}
    assert {"TUR", "RUS", "LBY"} <= ids
    assert all(e["source"] in ids and e["target"] in ids and e["quad"] in (1, 2, 3, 4) for e in n["edges"])
    small = get(client, "/api/network?max_nodes=3")
    assert len(small["nodes"]) == 3


def test_places_have_coordinates(client):
    places = get(client, "/api/places")["places"]
    ankara = next(p for p in places if p["name"] == "Ankara")
    assert 39 < ankara["lat"] < 41 and 32 < ankara["lon"] < 34 and ankara["count"] >= 1
    assert get(client, "/api/places?root=16")["places"] != places


# -- documents, actors, stories, one event -------------------------------------------------------
def test_event_detail_has_highlight_spans_and_rule(client, db_events):
    row = next(e for e in db_events if e["target_code"])
    e = get(client, f"/api/events/{row['event_id']}")
    assert e["rule"] == row["rule"] and e["path"]
    trigger = next(s for s in e["sentence_spans"] if s["kind"] == "trigger")
    assert e["sentence"][trigger["start"]:trigger["end"]] == row["trigger"]
    doc_trigger = next(s for s in e["document"]["spans"] if s["kind"] == "trigger")
    assert e["document"]["text"][doc_trigger["start"]:doc_trigger["end"]] == row["trigger"]


def test_documents_list_and_detail(client, db_events):
    docs = get(client, "/api/documents?limit=100")
    assert docs["total"] >= 15
    doc = get(client, "/api/documents/chine-visite-macron")
    assert len(doc["events"]) == sum(1 for e in db_events if e["doc_id"] == "chine-visite-macron")
    for e in doc["events"]:
        span = next(s for s in e["spans"] if s["kind"] == "trigger")
        assert doc["text"][span["start"]:span["end"]] == e["trigger"]
    assert get(client, "/api/documents?q=macron")["total"] >= 1


def test_actors_with_aliases(client):
    actors = {a["code"]: a for a in get(client, "/api/actors?limit=500")["items"]}
    assert {"Russie", "Moscou"} <= set(actors["RUS"]["aliases"])
    assert actors["LBYREB"]["as_source"] + actors["LBYREB"]["as_target"] > 0
    found = get(client, "/api/actors?q=haftar")["items"]
    assert [a["code"] for a in found] == ["LBYREB"]


def test_stories_list_and_detail(client):
    stories = get(client, "/api/stories")
    assert stories["total"] >= 1
    story = get(client, f"/api/stories/{stories['items'][0]['story_id']}")
    assert story["documents"] and story["events"]


def test_exports_carry_the_filters(client):
    expected = get(client, "/api/events?root=04")["total"]
    csv = get(client, "/api/events.csv?root=04")
    lines = csv.text.strip().splitlines()
    assert lines[0].startswith('"event_id"') or lines[0].startswith("event_id")
    assert len(lines) == expected + 1
    parquet = get(client, "/api/events.parquet?root=04")
    table = pq.read_table(io.BytesIO(parquet.content))
    assert table.num_rows == expected and set(table.column("root").to_pylist()) == {"04"}


def test_openapi_describes_the_filters(client):
    spec = get(client, "/api/openapi.json")
    for path in ("/api/events", "/api/summary", "/api/timeline", "/api/pairs", "/api/network", "/api/places",
                 "/api/documents/{doc_id}", "/api/actors", "/api/stories", "/api/events.csv", "/api/events.parquet"):
        assert path in spec["paths"], path
    names = {p["name"] for p in spec["paths"]["/api/events"]["get"]["parameters"]}
    assert {"actor", "side", "root", "quad", "date_from", "limit", "sort"} <= names


def test_pages_are_served(client):
    for page in ("/", "/overview", "/network", "/timeline", "/map", "/events", "/actors", "/event/abc"):
        r = client.get(page)
        assert r.status_code == 200 and '<script src="/static/app.js">' in r.text
    assert "function" in client.get("/static/app.js").text
    assert client.get("/static/world.json").json()["countries"]


# -- hardening -------------------------------------------------------------------------------
SECURITY = {"x-content-type-options": "nosniff", "x-frame-options": "DENY", "referrer-policy": "no-referrer"}


@pytest.mark.parametrize("url", ["/", "/api/events", "/api/events?limit=9999", "/api/events/nope", "/static/app.js",
                                 "/static/nope"])
def test_security_headers_on_every_response(client, url):
    headers = client.get(url).headers
    for key, value in SECURITY.items():
        assert headers[key] == value
    csp = headers["content-security-policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp and "http" not in csp


@pytest.mark.parametrize("path", ["/static/../../etc/passwd", "/static/%2e%2e/%2e%2e/etc/passwd",
                                  "/static/..%2F..%2Fetc%2Fpasswd", "/static/%252e%252e/etc/passwd",
                                  "/static//etc/passwd", "/static/..\\..\\etc\\passwd", "/static/../app.py"])
def test_no_file_outside_the_static_folder(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert "root:" not in response.text and "create_app" not in response.text


def test_read_only_methods_and_size_limits(client):
    assert client.post("/api/events", json={}).status_code == 405
    assert client.delete("/api/events").status_code == 405
    assert client.get("/api/events", headers={"Content-Length": "999999"}).status_code == 413
    assert client.get("/api/events", headers={"Content-Length": "x"}).status_code == 400
    long = client.get("/api/events?q=" + "a" * 5000)
    assert long.status_code == 414 and "URL" in long.json()["error"]


def test_token_required_when_set(demo_db):
    locked = TestClient(create_app(demo_db, token="s3cret"))
    assert locked.get("/api/events").status_code == 401
    assert locked.get("/").status_code == 401
    assert locked.get("/api/events", headers={"Authorization": "Bearer wrong"}).status_code == 401
    assert locked.get("/api/events?token=wrong").status_code == 401
    assert locked.get("/api/events", headers={"Authorization": "Bearer s3cret"}).status_code == 200
    assert "error" in locked.get("/api/events").json()
    assert locked.get("/api/events?token=s3cret").status_code == 200


def test_token_in_the_page_url_lets_the_browser_load_the_rest(demo_db):
    browser = TestClient(create_app(demo_db, token="s3cret"))
    assert browser.get("/static/app.js").status_code == 401
    page = browser.get("/network?token=s3cret")
    assert page.status_code == 200 and "httponly" in page.headers["set-cookie"].lower()
    assert browser.get("/static/app.js").status_code == 200  # the cookie now rides along
    assert browser.get("/api/network").status_code == 200
    browser.cookies.set("telex_token", "forged")
    assert browser.get("/api/network").status_code == 401


def test_non_loopback_needs_a_token_or_insecure():
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.10")
    check_exposure("127.0.0.1", None, False)
    check_exposure("0.0.0.0", "tok", False)
    check_exposure("0.0.0.0", None, True)
    with pytest.raises(ValueError, match="without a token"):
        check_exposure("0.0.0.0", None, False)


def test_cli_refuses_public_host_without_token(demo_db, monkeypatch):
    from typer.testing import CliRunner

    from telex.cli import app

    monkeypatch.delenv("TELEX_TOKEN", raising=False)
    result = CliRunner().invoke(app, ["serve", "--db", str(demo_db), "--host", "0.0.0.0"])
    assert result.exit_code == 2 and "without a token" in result.output


def test_slow_query_is_interrupted(demo_db):
    app = create_app(demo_db, query_timeout=0.2)
    slow = "SELECT count(*) FROM range(100000000) a, range(100000) b WHERE a.range * b.range = 7"
    with pytest.raises(ApiFailure) as caught:
        app.state.run(lambda con: con.execute(slow).fetchone())
    assert caught.value.status == 503 and "longer than" in caught.value.message


HOLD = textwrap.dedent("""
    import sys, time, duckdb
    con = duckdb.connect(sys.argv[1])  # a writer, as `telex run` is
    con.execute("CREATE TABLE IF NOT EXISTS busy (x INTEGER)")
    print("ready", flush=True)
    sys.stdin.readline()
""")


def test_busy_database_answers_503_then_recovers(demo_db, tmp_path):
    db = tmp_path / "busy.duckdb"
    shutil.copy(demo_db, db)
    client = TestClient(create_app(db))
    assert client.get("/api/events?limit=1").status_code == 200
    # The server keeps no connection open between requests, so a writer can start now.
    writer = subprocess.Popen([sys.executable, "-c", HOLD, str(db)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                              text=True)
    try:
        assert writer.stdout.readline().strip() == "ready"
        response = client.get("/api/events?limit=1")
        assert response.status_code == 503
        assert response.json() == {"error": BUSY}
        assert int(response.headers["retry-after"]) > 0
        assert client.get("/api/summary").status_code == 503
        assert client.get("/").status_code == 200  # the page itself needs no database
    finally:
        writer.communicate("done\n", timeout=30)
    assert writer.returncode == 0
    assert client.get("/api/events?limit=1").status_code == 200


@pytest.mark.slow
def test_telex_run_can_write_while_the_server_runs(demo_db, tmp_path):
    """The server holds no lock between requests: a real `telex run` adds an article while it serves."""
    import http.client
    import json
    import socket
    import time

    db = tmp_path / "live.duckdb"
    shutil.copy(demo_db, db)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    telex = [sys.executable, "-c", "from telex.cli import app; app()"]
    server = subprocess.Popen(telex + ["serve", "--db", str(db), "--port", str(port)], stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)

    def total() -> int | None:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/api/events?limit=1")
            response = conn.getresponse()
            return json.loads(response.read())["total"] if response.status == 200 else None
        except OSError:
            return None

    try:
        deadline = time.monotonic() + 30
        while (before := total()) is None:
            assert time.monotonic() < deadline and server.poll() is None, "server did not start"
            time.sleep(0.2)
        article = tmp_path / "in" / "nouvel-article.txt"
        article.parent.mkdir()
        article.write_text("Le président turc Recep Tayyip Erdogan a reçu jeudi à Ankara le chef du gouvernement "
                           "libyen Fayez al-Sarraj.\n", encoding="utf-8")
        run = subprocess.run(telex + ["run", str(article.parent), "--db", str(db)], capture_output=True, text=True,
                             timeout=300)
        assert run.returncode == 0, run.stderr
        assert total() > before  # the server sees the new events on its next request
    finally:
        server.terminate()
        server.wait(timeout=10)
