"""The FastAPI application: JSON API under /api, dashboard pages, static files, and the hardening around them.

The database is opened read-only for each request and closed at its end: DuckDB lets no other process write
while a reader holds the file, so a connection kept open would stop `telex run` for good. Opening costs ~15 ms.
While a `telex run` writes, the file is locked and every request answers 503 with Retry-After.
"""

from __future__ import annotations

import hmac
import io
import threading
from collections.abc import Callable
from contextlib import contextmanager
from importlib import resources
from pathlib import Path
from typing import Annotated, Any

import duckdb
from fastapi import FastAPI, Query, Request
from fastapi import Path as PathParam
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from telex.serving import models as m
from telex.serving import queries

BUSY = "database is busy: a telex run is writing to it; retry shortly"
MAX_URL = 4096
COOKIE = "telex_token"
MAX_BODY = 16 * 1024
PAGES = ("overview", "network", "timeline", "map", "events", "actors")
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; connect-src 'self'; "
       "font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP, "X-Content-Type-Options": "nosniff", "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer", "Cross-Origin-Resource-Policy": "same-origin", "Cache-Control": "no-store",
}
TYPES = {".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8",
         ".css": "text/css; charset=utf-8", ".json": "application/json", ".svg": "image/svg+xml",
         ".png": "image/png", ".txt": "text/plain; charset=utf-8"}


class ApiFailure(Exception):
    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None):
        super().__init__(message)
        self.status, self.message, self.headers = status, message, headers or {}


def static_files() -> dict[str, tuple[bytes, str]]:
    """The dashboard's files, read once: requests look names up in this table and never touch the file system,
    so no path (../, encoded or not) can reach outside it."""
    root = resources.files("telex.serving") / "static"
    files = {}
    for item in root.iterdir():
        if item.is_file() and Path(item.name).suffix in TYPES:
            files[item.name] = (item.read_bytes(), TYPES[Path(item.name).suffix])
    return files


def create_app(db_path: str | Path, token: str | None = None, query_timeout: float = 10.0) -> FastAPI:
    db_path = Path(db_path)
    if not db_path.exists():
        raise FileNotFoundError(f"{db_path}: no such database (run `telex run` first)")
    app = FastAPI(title="telex", version="1", description="Political events coded in CAMEO from French news, each "
                  "tied to the sentence that proves it. Read-only.", docs_url=None, redoc_url=None,
                  openapi_url="/api/openapi.json")
    app.state.db_path = str(db_path)
    app.state.token = token or None
    app.state.static = static_files()

    @contextmanager
    def connection():
        try:
            # No file access from SQL either: a query can read this database and nothing else.
            con = duckdb.connect(app.state.db_path, read_only=True, config={"enable_external_access": False})
        except duckdb.IOException as error:
            text = str(error)
            if "lock" in text.lower():
                raise ApiFailure(503, BUSY, {"Retry-After": "5"}) from None
            raise ApiFailure(503, f"database cannot be opened: {text.splitlines()[0]}", {"Retry-After": "30"}) from None
        try:
            yield con
        finally:
            con.close()

    def answer(fn: Callable, *args) -> JSONResponse:
        """Query results are plain JSON types already: skipping the response-model round trip halves the time
        of a 500-row page. The models still describe the responses in the OpenAPI document."""
        return JSONResponse(run(fn, *args))

    def one(fn: Callable, ident: str, what: str) -> dict:
        """The row `fn` finds for an id, or a 404 that names what is missing."""
        row = run(fn, ident)
        if row is None:
            raise ApiFailure(404, f"no {what} with id {ident!r}")
        return row

    def run(fn: Callable, *args, **kwargs) -> Any:
        with connection() as con:
            # DuckDB's interrupt() is the only way to stop a running query; a timer thread calls it.
            timer = threading.Timer(query_timeout, con.interrupt)
            timer.start()
            try:
                return fn(con, *args, **kwargs)
            except duckdb.InterruptException:
                raise ApiFailure(503, f"query took longer than {query_timeout:g} s; narrow the filters") from None
            except queries.QueryError as error:
                raise ApiFailure(400, str(error)) from None
            finally:
                timer.cancel()

    app.state.run = run  # tests drive the timeout and lock handling through it

    # -- hardening ---------------------------------------------------------------------
    @app.middleware("http")
    async def guard(request: Request, call_next):
        raw = request.scope.get("raw_path", b"") + b"?" + request.scope.get("query_string", b"")
        if len(raw) > MAX_URL:
            response = JSONResponse({"error": f"URL longer than {MAX_URL} characters"}, status_code=414)
        elif request.method not in ("GET", "HEAD"):
            response = JSONResponse({"error": "read-only server: only GET and HEAD"}, status_code=405,
                                    headers={"Allow": "GET, HEAD"})
        elif not (request.headers.get("content-length") or "0").isdigit():
            response = JSONResponse({"error": "bad Content-Length"}, status_code=400)
        elif int(request.headers.get("content-length") or 0) > MAX_BODY or "transfer-encoding" in request.headers:
            response = JSONResponse({"error": f"request body too large (at most {MAX_BODY} bytes)"}, status_code=413)
        elif app.state.token and not authorised(request, app.state.token):
            response = JSONResponse({"error": "missing or wrong token (Authorization: Bearer TOKEN or ?token=TOKEN)"},
                                    status_code=401, headers={"WWW-Authenticate": "Bearer"})
        else:
            response = await call_next(request)
            if app.state.token and request.query_params.get("token"):
                # A browser opened /?token=...: its scripts, styles and fetches carry the cookie from then on.
                response.set_cookie(COOKIE, app.state.token, httponly=True, samesite="strict", path="/")
        for key, value in SECURITY_HEADERS.items():
            response.headers.setdefault(key, value)
        return response

    @app.exception_handler(ApiFailure)
    async def api_failure(_: Request, exc: ApiFailure):
        return JSONResponse({"error": exc.message}, status_code=exc.status, headers=exc.headers)

    @app.exception_handler(RequestValidationError)
    async def invalid(_: Request, exc: RequestValidationError):
        errors = exc.errors()
        words = [f"{'.'.join(str(x) for x in e.get('loc', ())[1:]) or 'request'}: {e.get('msg')}" for e in errors]
        detail = [{"loc": list(e.get("loc", ())), "msg": e.get("msg"), "type": e.get("type")} for e in errors]
        return JSONResponse({"error": "invalid parameter: " + "; ".join(words), "detail": detail}, status_code=422)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_: Request, exc: StarletteHTTPException):
        return JSONResponse({"error": str(exc.detail)}, status_code=exc.status_code, headers=exc.headers)

    @app.exception_handler(Exception)
    async def crash(_: Request, exc: Exception):  # a bug: one JSON line, never a traceback to the client
        return JSONResponse({"error": f"internal error: {type(exc).__name__}"}, status_code=500)

    # -- API -----------------------------------------------------------------------------
    errors = {400: {"model": m.ApiError}, 422: {"model": m.ApiError}, 503: {"model": m.ApiError}}

    @app.get("/api/health", tags=["meta"])
    def health() -> dict:
        counts = run(lambda con: con.execute("SELECT count(*) FROM events").fetchone()[0])
        return {"status": "ok", "events": counts}

    @app.get("/api/meta", tags=["meta"])
    def meta() -> dict:
        """Names and colours of CAMEO roots and quad classes, accepted sorts and intervals."""
        return queries.meta()

    @app.get("/api/summary", response_model=m.Summary, responses=errors, tags=["aggregations"])
    def summary(p: Annotated[m.FilterParams, Query()]):
        """Counts, cooperation versus conflict, top actors and pairs for the filtered events (the overview page)."""
        return answer(queries.summary, p.filters())

    @app.get("/api/events", response_model=m.EventPage, responses=errors, tags=["events"])
    def events(p: Annotated[m.EventQuery, Query()]):
        """Filtered events, one page at a time."""
        return answer(queries.events, p.filters(), p.limit, p.offset, p.sort, p.order)

    def export(p: m.ExportQuery, write: Callable, suffix: str, media_type: str) -> Response:
        table = run(queries.export_rows, p.filters(), p.max_rows)
        buffer = io.BytesIO()
        write(table, buffer)
        return Response(buffer.getvalue(), media_type=media_type,
                        headers={"Content-Disposition": f'attachment; filename="telex-events.{suffix}"'})

    @app.get("/api/events.csv", responses=errors, tags=["events"], response_class=Response)
    def events_csv(p: Annotated[m.ExportQuery, Query()]):
        import pyarrow.csv as pacsv

        return export(p, pacsv.write_csv, "csv", "text/csv; charset=utf-8")

    @app.get("/api/events.parquet", responses=errors, tags=["events"], response_class=Response)
    def events_parquet(p: Annotated[m.ExportQuery, Query()]):
        import pyarrow.parquet as pq

        return export(p, pq.write_table, "parquet", "application/vnd.apache.parquet")

    @app.get("/api/events/{event_id}", responses={404: {"model": m.ApiError}, **errors}, tags=["events"])
    def event(event_id: Annotated[str, PathParam(max_length=64)]) -> dict:
        """One event with its sentence, document, highlighted spans (offsets in the sentence and in the document),
        the rule that fired and the parse path."""
        return one(queries.event, event_id, "event")

    @app.get("/api/timeline", response_model=m.Timeline, responses=errors, tags=["aggregations"])
    def timeline(p: Annotated[m.TimelineQuery, Query()]):
        """Events per day, week, month or year, by quad class, with Goldstein sums (dated events only)."""
        return answer(queries.timeline, p.filters(), p.interval)

    @app.get("/api/counts", response_model=m.Counts, responses=errors, tags=["aggregations"])
    def counts(p: Annotated[m.CountsQuery, Query()]):
        """Events counted by CAMEO root, quad class, code, modality, PLOVER type, rule or place country."""
        return answer(queries.counts_by, p.filters(), p.by)

    @app.get("/api/pairs", response_model=m.Pairs, responses=errors, tags=["aggregations"])
    def pairs(p: Annotated[m.PairsQuery, Query()]):
        """Actor-pair matrix: directed pairs with counts per quad class and Goldstein sums."""
        return answer(queries.pairs, p.filters(), p.limit)

    @app.get("/api/network", response_model=m.Network, responses=errors, tags=["aggregations"])
    def network(p: Annotated[m.NetworkQuery, Query()]):
        """Actor network: nodes (states merged with their governments) and directed edges by dominant quad class."""
        return answer(queries.network, p.filters(), p.max_nodes, p.max_edges)

    @app.get("/api/places", response_model=m.Places, responses=errors, tags=["aggregations"])
    def places(p: Annotated[m.FilterParams, Query()]):
        """Event counts by place, with coordinates (the map)."""
        return answer(queries.places, p.filters())

    @app.get("/api/documents", responses=errors, tags=["documents"])
    def documents(p: Annotated[m.Page, Query()]):
        return answer(queries.documents, p.q, p.limit, p.offset)

    @app.get("/api/documents/{doc_id}", responses={404: {"model": m.ApiError}, **errors}, tags=["documents"])
    def document(doc_id: Annotated[str, PathParam(max_length=200)]) -> dict:
        """A document's text with its events and their spans (document offsets)."""
        return one(queries.document, doc_id, "document")

    @app.get("/api/actors", response_model=m.ActorPage, responses=errors, tags=["actors"])
    def actors(p: Annotated[m.Page, Query()]):
        """Resolved actors with the names they were found under and their counts."""
        return answer(queries.actors, p.q, p.limit, p.offset)

    @app.get("/api/stories", responses=errors, tags=["stories"])
    def stories(p: Annotated[m.Page, Query()]):
        return answer(queries.stories, p.limit, p.offset)

    @app.get("/api/stories/{story_id}", responses={404: {"model": m.ApiError}, **errors}, tags=["stories"])
    def story(story_id: Annotated[str, PathParam(max_length=200)]) -> dict:
        return one(queries.story, story_id, "story")

    # -- pages and static files -------------------------------------------------------------
    def page() -> HTMLResponse:
        return HTMLResponse(app.state.static["index.html"][0])

    @app.get("/", include_in_schema=False)
    def index():
        return page()

    for name in PAGES:
        app.add_api_route(f"/{name}", page, include_in_schema=False, methods=["GET"])

    @app.get("/event/{event_id}", include_in_schema=False)
    def event_page(event_id: str):
        return page()

    @app.get("/static/{name:path}", include_in_schema=False)
    def static(name: str):
        found = app.state.static.get(name)
        if found is None:
            raise ApiFailure(404, "no such file")
        return Response(found[0], media_type=found[1])

    return app


def authorised(request: Request, token: str) -> bool:
    header = request.headers.get("authorization", "")
    given = (header[7:] if header.lower().startswith("bearer ")
             else request.query_params.get("token") or request.cookies.get(COOKIE, ""))
    return hmac.compare_digest(given.encode(), token.encode())
