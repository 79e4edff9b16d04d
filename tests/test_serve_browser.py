"""The dashboard in a real headless Chromium against `telex serve` on the bundled corpus.

Debian's /usr/bin/chromium is driven by the PyPI playwright package (no browser download). Without it these
tests skip, unless TELEX_REQUIRE_BROWSER=1 (CI), where they fail. Each test saves a screenshot under
out/test-screenshots/.
"""

from __future__ import annotations

import http.client
import json
import os
import subprocess
from pathlib import Path

import duckdb
import pytest
from conftest import ROOT

from telex.serving.server import start_local

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SHOTS = ROOT / "out" / "test-screenshots"


@pytest.fixture(scope="module")
def server(demo_db):
    try:
        process, port = start_local(demo_db, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    except RuntimeError as error:
        pytest.fail(str(error))
    base = f"http://127.0.0.1:{port}"
    yield base
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture(scope="module")
def browser_context(tmp_path_factory):
    missing = None
    if not CHROMIUM.exists():
        missing = f"{CHROMIUM} not installed (apt-get install chromium)"
    else:
        try:
            from playwright.sync_api import sync_playwright
        except ImportError:
            missing = "playwright not installed (pip install -e '.[test]')"
    if missing:
        if os.environ.get("TELEX_REQUIRE_BROWSER") == "1":
            pytest.fail(f"browser tests required (TELEX_REQUIRE_BROWSER=1) but {missing}")
        pytest.skip(missing)
    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            str(tmp_path_factory.mktemp("chromium-profile")), executable_path=str(CHROMIUM), headless=True,
            args=ARGS, viewport={"width": 1280, "height": 900}, accept_downloads=True)
        yield context
        context.close()


@pytest.fixture
def page(browser_context, request):
    page = browser_context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    yield page
    page.screenshot(path=str(SHOTS / f"{request.node.name}.png"), full_page=True)
    page.close()
    assert not errors, errors  # no script error, no CSP violation, no failed load


def open_view(page, url):
    page.goto(url)
    page.wait_for_selector("body[data-ready]")
    assert page.locator("#error").count() == 0, page.locator("#error").inner_text()


def db_count(db, sql, params=()):
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql, list(params)).fetchone()[0]
    finally:
        con.close()


def test_overview_loads(page, server, demo_db):
    open_view(page, server + "/")
    total = db_count(demo_db, "SELECT count(*) FROM events")
    cards = page.locator("#summary-cards").inner_text()
    assert f"{total}\nevents" in cards
    assert page.locator("#fig-timeline svg rect.bar").count() > 3
    top = page.locator("#table-top-actors").inner_text()
    assert "TUR" in top and "RUS" in top


def test_filter_narrows_the_events(page, server, demo_db):
    open_view(page, server + "/events")
    total = db_count(demo_db, "SELECT count(*) FROM events")
    assert page.locator("#events-total").inner_text() == f"{total} events"
    page.select_option("#filters select[name=root]", "04")
    page.click("#filters button[type=submit]")
    page.wait_for_function("location.search.includes('root=04')")
    page.wait_for_selector("body[data-ready=events]")
    expected = db_count(demo_db, "SELECT count(*) FROM events WHERE root = '04'")
    page.wait_for_function(f"document.querySelector('#events-total').textContent === '{expected} events'")
    assert 0 < expected < total
    assert page.locator("tr.event-row").count() == expected
    # the filtered view is shareable: opening its URL afresh gives the same view
    open_view(page, server + "/events?root=04")
    assert page.locator("#events-total").inner_text() == f"{expected} events"
    assert page.locator("#filters select[name=root]").input_value() == "04"
    assert "root=04" in page.locator("a.export-csv").get_attribute("href")


def test_network_renders_the_main_actors(page, server):
    open_view(page, server + "/network")
    labels = page.locator("svg.network g.node text").all_text_contents()
    assert {"TUR", "RUS", "LBY", "LBYREB"} <= set(labels)
    assert "TURGOV" not in labels  # merged with its state, as in the static report
    assert page.locator("svg.network path.edge").count() >= 10
    page.locator('svg.network path.edge[data-source="RUS"][data-target="TUR"]').dispatch_event("click")
    page.wait_for_selector("#edge-events tr.event-row")
    assert "RUS → TUR" in page.locator("#edge-events h2").inner_text()


def test_clicking_an_event_shows_its_highlighted_sentence(page, server, demo_db):
    open_view(page, server + "/events?actor=LBYREB")
    row = page.locator("tr.event-row").first
    event_id = row.get_attribute("data-id")
    row.click()
    page.wait_for_selector("#event-sentence mark.trg")
    trigger, rule = duckdb.connect(str(demo_db), read_only=True).execute(
        "SELECT trigger, rule FROM events WHERE event_id = ?", [event_id]).fetchone()
    assert page.locator("#event-sentence mark.trg").inner_text() == trigger
    assert page.locator("#article mark.trg").inner_text() == trigger
    assert rule in page.locator("#event-facts").inner_text()
    assert f"/event/{event_id}" in page.url


def test_map_and_timeline_render(page, server):
    open_view(page, server + "/map")
    assert page.locator("svg.map path.country").count() > 150
    assert page.locator('svg.map circle.place[data-name="Ankara"]').count() == 1
    open_view(page, server + "/timeline?interval=week")
    assert page.locator("#interval").input_value() == "week"
    assert page.locator("#fig-timeline rect.bar").count() > 3


def test_charts_and_tables_download(page, server, tmp_path):
    open_view(page, server + "/network")
    with page.expect_download() as svg_download:
        page.click("#fig-network button.dl-svg")
    svg = Path(svg_download.value.path()).read_text(encoding="utf-8")
    assert svg.startswith("<svg") and ">TUR<" in svg
    with page.expect_download() as png_download:
        page.click("#fig-network button.dl-png")
    assert Path(png_download.value.path()).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    open_view(page, server + "/events?root=04")
    with page.expect_download() as csv_download:
        page.click("a.export-csv")
    assert Path(csv_download.value.path()).read_text(encoding="utf-8").count("\n") > 2


def raw_get(base: str, path: str) -> tuple[int, str]:
    """A request whose path goes on the wire as written (browsers and httpx would normalise ../)."""
    host, port = base.removeprefix("http://").split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=5)
    conn.request("GET", path)
    response = conn.getresponse()
    return response.status, response.read().decode("utf-8", "replace")


@pytest.mark.parametrize("path", ["/static/../../etc/passwd", "/static/%2e%2e/%2e%2e/etc/passwd",
                                  "/static/..%2f..%2f..%2fetc%2fpasswd", "/static/....//....//etc/passwd",
                                  "/../../etc/passwd", "/static/%2e%2e%5c%2e%2e%5cetc%5cpasswd"])
def test_path_traversal_over_the_wire(server, path):
    status, body = raw_get(server, path)
    assert status in (400, 404), (status, body[:200])
    assert "root:" not in body
    assert json.loads(body)["error"] if body.startswith("{") else True


def test_static_report_is_the_same_dashboard_offline(page, demo_db, tmp_path):
    from typer.testing import CliRunner

    from telex.cli import app

    report = tmp_path / "report.html"
    result = CliRunner().invoke(app, ["report", "--db", str(demo_db), "--out", str(report)])
    assert result.exit_code == 0, result.output
    page.route("**/*", lambda route: route.abort() if not route.request.url.startswith("file:") else route.continue_())
    open_view(page, report.as_uri() + "#/network")
    assert {"TUR", "RUS"} <= set(page.locator("svg.network g.node text").all_text_contents())
    asserted = db_count(demo_db, "SELECT count(*) FROM events WHERE modality = 'asserted'")
    open_view(page, report.as_uri() + "#/events?root=04")
    expected = db_count(demo_db, "SELECT count(*) FROM events WHERE modality = 'asserted' AND root = '04'")
    page.wait_for_function(f"document.querySelector('#events-total').textContent === '{expected} events'")
    assert 0 < expected < asserted
    page.locator("tr.event-row").first.click()
    page.wait_for_selector("#event-sentence mark.trg")
