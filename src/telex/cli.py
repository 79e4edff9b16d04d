"""The `telex` command line: run, export, eval, report, explain, actors."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from telex.actors.dictionary import DictionaryError
from telex.storage import StorageError, Store

app = typer.Typer(help="telex: French news in, political events out (CAMEO / PLOVER).", no_args_is_help=True,
                  pretty_exceptions_enable=False, add_completion=False)
export_app = typer.Typer(help="Export tables from a telex database.", no_args_is_help=True)
app.add_typer(export_app, name="export")
out = Console()
err = Console(stderr=True)

DbOption = Annotated[Path, typer.Option("--db", help="DuckDB database file")]


def fail(message: str, code: int = 2) -> None:
    err.print(f"[red]error:[/red] {message}", highlight=False, soft_wrap=True)
    raise typer.Exit(code)


def friendly(command: Callable) -> Callable:
    """Turn expected failures into one line on stderr, never a traceback."""

    @wraps(command)
    def wrapper(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except (StorageError, DictionaryError, ValueError, FileNotFoundError, RuntimeError) as error:
            fail(str(error))
        except KeyboardInterrupt:
            fail("interrupted; every batch committed so far is kept, run again to resume", 130)
        except typer.Exit:
            raise
        except BrokenPipeError:  # `telex export ... | head`: the reader has what it wanted
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            raise typer.Exit(0) from None
        except Exception as error:  # a bug: say it in one line; TELEX_DEBUG=1 shows the traceback
            if os.environ.get("TELEX_DEBUG"):
                raise
            fail(f"internal error: {type(error).__name__}: {str(error).splitlines()[0] if str(error) else ''} "
                 "(set TELEX_DEBUG=1 for the traceback)", 3)

    return wrapper


@app.command()
@friendly
def run(
    paths: Annotated[list[Path], typer.Argument(help="files or folders (.txt, .jsonl, .html)")],
    db: DbOption = Path("telex.duckdb"),
    model: Annotated[str, typer.Option(help="spaCy pipeline")] = "fr_core_news_md",
    workers: Annotated[int, typer.Option(help="processes that parse and code (one batch each at a time)")] = 1,
    batch_size: Annotated[int, typer.Option(help="documents per committed batch")] = 64,
    actors: Annotated[list[Path], typer.Option("--actors", help="extra actor dictionary (repeatable)")] = [],
    patterns: Annotated[list[Path], typer.Option("--patterns", help="extra pattern file (repeatable)")] = [],
    dask: Annotated[str | None, typer.Option(help="run on a Dask cluster: local:N or tcp://HOST:PORT")] = None,
    parts: Annotated[Path | None, typer.Option(help="--dask: folder for the Parquet partitions")] = None,
) -> None:
    """Ingest, parse and code articles into the database (already stored articles are skipped)."""
    from functools import partial

    from telex.pipeline import Settings
    from telex.pipeline import run as run_pipeline

    if dask:
        from telex.distributed import parse_address, run_dask

        try:
            parse_address(dask)
        except ValueError as error:
            fail(str(error))
        run_pipeline = partial(run_dask, address=dask, run_folder=parts)  # noqa: F811 - same stages, on Dask

    settings = Settings(model=model, actor_files=tuple(map(str, actors)), pattern_files=tuple(map(str, patterns)),
                        batch_size=batch_size, workers=workers)
    with Store(db) as store:
        with Progress(SpinnerColumn(), TextColumn("[bold]coding"), BarColumn(), MofNCompleteColumn(),
                      TextColumn("documents"), TimeElapsedColumn(), console=err, transient=False) as progress:
            task = progress.add_task("coding", total=None)
            summary = run_pipeline(
                paths, store, settings,
                on_skip=lambda s: progress.console.print(f"[yellow]skipped[/yellow] {s.message()}", highlight=False,
                                                         soft_wrap=True),
                on_batch=lambda n: progress.advance(task, n),
            )
        totals = store.counts()
    table = Table(title="telex run", show_header=True)
    table.add_column("")
    table.add_column("this run", justify="right")
    table.add_column("in database", justify="right")
    table.add_row("documents", str(summary.documents), str(totals["documents"]))
    table.add_row("sentences", str(summary.sentences), str(totals["sentences"]))
    table.add_row("events", str(summary.events), str(totals["events"]))
    table.add_row("unchanged (already stored)", str(summary.unchanged), "")
    table.add_row("skipped inputs", str(summary.skipped_count), "")
    table.add_row("stored without a date", str(summary.undated_count), "")
    out.print(table)
    for reason, n in summary.skip_reasons.most_common():
        out.print(f"  skipped {n} × {reason}", highlight=False)
    for path in summary.undated[:20]:
        out.print(f"  undated {path}: no usable date in metadata, header, dateline or byline (kept; events undated)",
                  highlight=False, soft_wrap=True)
    if summary.undated_count > 20:
        out.print(f"  undated: {summary.undated_count - 20} more (documents whose date is NULL)", highlight=False)
    out.print(f"database: {db}")


@app.command()
@friendly
def recode(
    db: DbOption = Path("telex.duckdb"),
    actors: Annotated[list[Path], typer.Option("--actors", help="extra actor dictionary (repeatable)")] = [],
    patterns: Annotated[list[Path], typer.Option("--patterns", help="extra pattern file (repeatable)")] = [],
    show: Annotated[int, typer.Option(help="changed events to list")] = 20,
) -> None:
    """Re-code every stored document from its stored parse after a dictionary change (no parsing)."""
    from telex.pipeline import Settings
    from telex.pipeline import recode as recode_all

    settings = Settings(actor_files=tuple(map(str, actors)), pattern_files=tuple(map(str, patterns)))
    with Store(db) as store:
        total = store.counts()["documents"]
        with Progress(SpinnerColumn(), TextColumn("[bold]recoding"), BarColumn(), MofNCompleteColumn(),
                      TimeElapsedColumn(), console=err) as progress:
            task = progress.add_task("recoding", total=total)
            summary = recode_all(store, settings, on_batch=lambda n: progress.advance(task, n))
    out.print(f"{summary.documents} documents recoded: {summary.added} events added, {summary.removed} removed, "
              f"{summary.recoded} recoded (other modality, date or place), {summary.unchanged} unchanged")
    for sign, event_id, (doc_id, source, target, cameo, modality) in summary.changes[:show]:
        out.print(f"  {sign} {doc_id} {source} -> {target} {cameo} ({modality}) {event_id}", highlight=False)


@export_app.command("events")
@friendly
def export_events(
    db: DbOption = Path("telex.duckdb"),
    format: Annotated[str, typer.Option("--format", help="jsonl, csv or parquet")] = "jsonl",
    out_path: Annotated[Path | None, typer.Option("--out", help="output file (default: standard output)")] = None,
    all_modalities: Annotated[bool, typer.Option("--all-modalities", help="include negated, hypothetical, reported...")] = False,
) -> None:
    """Export coded events (asserted ones unless --all-modalities); `--format gdelt` writes the
    deduplicated events in GDELT 2.0's event-table columns (tab-separated, no header)."""
    from telex import export

    if format == "gdelt":
        _export_gdelt(db, out_path)
        return
    if format not in export.FORMATS:
        fail(f"unknown format '{format}' (expected one of {', '.join(export.FORMATS)}, gdelt)")
    if format == "parquet" and out_path is None:
        fail("--format parquet needs --out FILE")
    with Store(db, read_only=True) as store:
        rows = store.event_rows(None if all_modalities else ("asserted",))
        if out_path is None:
            n = export.write(rows, format, sys.stdout)
        elif format == "parquet":
            n = export.write(rows, format, out_path)
        else:
            with out_path.open("w", encoding="utf-8", newline="") as handle:
                n = export.write(rows, format, handle)
    if out_path is not None:
        err.print(f"{n} events written to {out_path}")


def _export_gdelt(db: Path, out_path: Path | None) -> None:
    from telex import gdelt

    with Store(db, read_only=True) as store:
        if not store.has_table("event_groups"):
            fail(f"{db}: no deduplicated events yet (run `telex run` or `telex dedup` first)")
        if out_path is None:
            n = gdelt.write(store.group_rows(), sys.stdout)
        else:
            with out_path.open("w", encoding="utf-8", newline="") as handle:
                n = gdelt.write(store.group_rows(), handle)
    if out_path is not None:
        err.print(f"{n} events written to {out_path} (GDELT 2.0 event table layout)")


@export_app.command("groups")
@friendly
def export_groups(
    db: DbOption = Path("telex.duckdb"),
    format: Annotated[str, typer.Option("--format", help="jsonl, csv or parquet")] = "jsonl",
    out_path: Annotated[Path | None, typer.Option("--out", help="output file (default: standard output)")] = None,
) -> None:
    """Export deduplicated events: one row per real-world event, with mention, source and article counts."""
    import csv as csv_module

    import pyarrow as pa
    import pyarrow.parquet as pq

    with Store(db, read_only=True) as store:
        if not store.has_table("event_groups"):
            fail(f"{db}: no deduplicated events yet (run `telex run` or `telex dedup` first)")
        rows = list(store.group_rows())
    if format == "parquet":
        if out_path is None:
            fail("--format parquet needs --out FILE")
        pq.write_table(pa.Table.from_pylist(rows), out_path)
    elif format in ("jsonl", "csv"):
        handle = sys.stdout if out_path is None else out_path.open("w", encoding="utf-8", newline="")
        try:
            if format == "jsonl":
                for row in rows:
                    handle.write(json.dumps(row, ensure_ascii=False, default=str) + "\n")
            elif rows:
                writer = csv_module.DictWriter(handle, fieldnames=list(rows[0]))
                writer.writeheader()
                writer.writerows(rows)
        finally:
            if out_path is not None:
                handle.close()
    else:
        fail(f"unknown format '{format}' (expected jsonl, csv or parquet)")
    if out_path is not None:
        err.print(f"{len(rows)} events written to {out_path}")


@app.command()
@friendly
def dedup(
    db: DbOption = Path("telex.duckdb"),
    window: Annotated[int, typer.Option(help="days within which the same dyad and code is one event")] = 2,
) -> None:
    """Recompute deduplicated events and story threads (telex run does it after each run)."""
    from telex.dedup import rebuild

    with Store(db) as store:
        counts = rebuild(store, window)
    out.print(f"{counts['event_groups']} events in {counts['stories']} stories")


@app.command()
@friendly
def stories(
    db: DbOption = Path("telex.duckdb"),
    story: Annotated[str | None, typer.Argument(help="a story id to open")] = None,
    limit: Annotated[int, typer.Option(help="stories to list")] = 50,
) -> None:
    """List story threads (articles that report the same events), or open one."""
    with Store(db, read_only=True) as store:
        if not store.has_table("stories"):
            fail(f"{db}: no stories yet (run `telex run` or `telex dedup` first)")
        if story is None:
            rows = store.con.execute(
                "SELECT story_id, articles, first_date, last_date, events, main_actors, title FROM stories "
                "ORDER BY articles DESC, events DESC, story_id LIMIT ?", [limit]).fetchall()
            table = Table(title="stories")
            for column in ("story", "articles", "from", "to", "events", "main actors", "title"):
                table.add_column(column)
            for row in rows:
                table.add_row(*[("" if v is None else str(v)) for v in row])
            out.print(table)
            return
        docs = store.con.execute(
            "SELECT d.doc_id, d.date, d.title, d.n_events FROM story_documents s JOIN documents d USING (doc_id) "
            "WHERE s.story_id = ? ORDER BY d.date, d.doc_id", [story]).fetchall()
        if not docs:
            fail(f"{db}: no story with id '{story}'")
        table = Table(title=f"story {story}")
        for column in ("document", "date", "title", "events"):
            table.add_column(column)
        for row in docs:
            table.add_row(*[("" if v is None else str(v)) for v in row])
        out.print(table)
        groups = store.con.execute(
            "SELECT DISTINCT g.date, g.source_code, g.cameo, g.target_code, g.num_mentions, g.num_articles "
            "FROM event_groups g JOIN event_mentions m USING (group_id) JOIN story_documents s USING (doc_id) "
            "WHERE s.story_id = ? ORDER BY g.date NULLS LAST, g.cameo", [story]).fetchall()
        table = Table(title="events")
        for column in ("date", "source", "CAMEO", "target", "mentions", "articles"):
            table.add_column(column)
        for row in groups:
            table.add_row(*[("" if v is None else str(v)) for v in row])
        out.print(table)


@app.command("eval")
@friendly
def evaluate(
    db: DbOption = Path("telex.duckdb"),
    gold: Annotated[Path, typer.Option("--gold", help="gold events (JSONL, see docs)")] = Path("gold.jsonl"),
    all_modalities: Annotated[bool, typer.Option("--all-modalities", help="score every event, not only asserted")] = False,
    show: Annotated[int, typer.Option(help="misses and false alarms to list")] = 50,
    as_json: Annotated[bool, typer.Option("--json", help="print the scores as JSON")] = False,
) -> None:
    """Score stored events against a gold file: precision, recall, F1, overall and per CAMEO root."""
    from telex.evaluate import Predicted, actor_level, load_gold, score
    from telex.events.cameo import ROOT_NAMES

    if not gold.exists():
        fail(f"{gold}: no such gold file")
    gold_events = load_gold(gold)
    with Store(db, read_only=True) as store:
        predicted = [
            Predicted(r["doc_id"], (actor_level(r["source_code"]), actor_level(r["target_code"]), r["root"]),
                      r["sentence"], r["rule"])
            for r in store.event_rows(None if all_modalities else ("asserted",))
        ]
    report = score(gold_events, predicted)
    if as_json:
        data = {"overall": _score_dict(report.overall),
                "by_root": {k: _score_dict(v) for k, v in sorted(report.by_root.items())}}
        out.print_json(json.dumps(data))
        return
    table = Table(title=f"telex eval on {gold} ({report.documents} documents)")
    for column in ("root", "", "hits", "misses", "false alarms", "precision", "recall", "F1"):
        table.add_column(column, justify="right" if column not in ("root", "") else "left")
    for root, s in sorted(report.by_root.items()):
        table.add_row(root, ROOT_NAMES.get(root, ""), str(s.hits), str(s.misses), str(s.false_alarms),
                      f"{s.precision:.2f}", f"{s.recall:.2f}", f"{s.f1:.2f}")
    s = report.overall
    table.add_row("all", "", str(s.hits), str(s.misses), str(s.false_alarms), f"{s.precision:.3f}",
                  f"{s.recall:.3f}", f"[bold]{s.f1:.3f}[/bold]")
    out.print(table)
    if show:
        out.print("[bold]misses[/bold]")
        for event in report.missed[:show]:
            raw = event.raw
            out.print(f"  {event.doc}  {raw.get('src')} -> {raw.get('tgt')} {raw.get('code')}  «{raw.get('evidence')}»",
                      highlight=False, soft_wrap=True)
        out.print("[bold]false alarms[/bold]")
        for p in report.false_alarms[:show]:
            src, tgt, root = p.triple
            out.print(f"  {p.doc}  {src} -> {tgt} {root}  [{p.rule}]  «{p.sentence[:160]}»", highlight=False,
                      soft_wrap=True)
    out.print(f"precision {s.precision:.3f}  recall {s.recall:.3f}  F1 {s.f1:.3f}")


def _score_dict(s) -> dict:
    return {"hits": s.hits, "misses": s.misses, "false_alarms": s.false_alarms,
            "precision": round(s.precision, 4), "recall": round(s.recall, 4), "f1": round(s.f1, 4)}


@app.command()
@friendly
def report(
    db: DbOption = Path("telex.duckdb"),
    out_path: Annotated[Path, typer.Option("--out", help="HTML file to write")] = Path("report.html"),
    all_modalities: Annotated[bool, typer.Option("--all-modalities")] = False,
) -> None:
    """Write a self-contained HTML report: the dashboard of `telex serve`, frozen (no network needed to open it)."""
    from telex.serving.static_build import build

    with Store(db, read_only=True):
        pass  # the one-line errors for a missing, busy or foreign file
    page, n = build(db, title=f"telex report: {db.name}", all_modalities=all_modalities)
    out_path.write_text(page, encoding="utf-8")
    out.print(f"report written to {out_path} ({n} events)")


@app.command()
@friendly
def serve(
    db: DbOption = Path("telex.duckdb"),
    host: Annotated[str, typer.Option(help="address to listen on (loopback by default)")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="port to listen on")] = 8000,
    token: Annotated[str | None, typer.Option(envvar="TELEX_TOKEN", help="require this token on every request")] = None,
    insecure: Annotated[bool, typer.Option("--insecure", help="allow a non-loopback host without a token")] = False,
    query_timeout: Annotated[float, typer.Option(help="seconds before a query is interrupted (503)")] = 10.0,
) -> None:
    """Serve the database read-only as a JSON API (/api) and a dashboard in the browser."""
    from telex.serving.server import check_exposure
    from telex.serving.server import serve as start

    check_exposure(host, token, insecure)
    if not db.exists():
        fail(f"{db}: no such database (run `telex run` first)")
    out.print(f"telex serving {db} on http://{host}:{port}/ (read-only; Ctrl-C to stop)", highlight=False)
    start(db, host=host, port=port, token=token, insecure=insecure, query_timeout=query_timeout)


@app.command()
@friendly
def explain(
    event_id: Annotated[str, typer.Argument(help="an event_id from the export or the report")],
    db: DbOption = Path("telex.duckdb"),
) -> None:
    """Show why an event was coded: its sentence, the rule that fired and the parse path to each actor."""
    from telex.events.cameo import lookup

    with Store(db, read_only=True) as store:
        row = store.event(event_id)
    if row is None:
        fail(f"{db}: no event with id '{event_id}'")
    code = lookup(row["cameo"])
    out.print(f"[bold]event {row['event_id']}[/bold]  document {row['doc_id']}, sentence {row['sent_index']} "
              f"(characters {row['char_start']}-{row['char_end']})", highlight=False)
    out.print(f"  «{row['sentence']}»", highlight=False, soft_wrap=True)
    out.print(f"  {row['source_code']} → {row['target_code'] or '—'}  CAMEO {row['cameo']} {code.label} "
              f"(QuadClass {row['quad_class']}, Goldstein {row['goldstein']}, PLOVER {row['plover'] or '—'})",
              highlight=False)
    out.print(f"  modality {row['modality']}, date {row['date'] or '—'} ({row['date_origin']}), rule {row['rule']}, "
              f"dictionary version {row['dict_version']}", highlight=False)
    for step in json.loads(row["path"] or "[]"):
        out.print(f"    {step}", highlight=False, soft_wrap=True)


@app.command()
@friendly
def actors(
    db: Annotated[Path | None, typer.Option("--db", help="DuckDB database file")] = None,
    unresolved: Annotated[bool, typer.Option("--unresolved", help="names telex could not resolve, by frequency")] = False,
    stats: Annotated[bool, typer.Option("--stats", help="dictionary size by group")] = False,
    limit: Annotated[int, typer.Option(help="rows to show")] = 50,
    extra: Annotated[list[Path], typer.Option("--actors", help="extra actor dictionary (repeatable)")] = [],
) -> None:
    """Inspect the actor dictionaries and the actors found in a database."""
    if stats or (not unresolved and db is None):
        from telex.actors.dictionary import ActorDictionary

        book = ActorDictionary.load(tuple(map(str, extra)))
        table = Table(title="actor dictionary")
        table.add_column("group")
        table.add_column("entries", justify="right")
        for group, n in book.stats().items():
            table.add_row(group, str(n))
        out.print(table)
    if db is None:
        return
    with Store(db, read_only=True) as store:
        if unresolved:
            rows = store.con.execute(
                "SELECT m.text, m.label, count(*) AS n, any_value(s.text) FROM mentions m "
                "JOIN sentences s USING (doc_id, sent_index) WHERE m.status = 'unresolved' "
                "GROUP BY m.text, m.label ORDER BY n DESC, m.text LIMIT ?", [limit]).fetchall()
            table = Table(title="unresolved names")
            for column in ("name", "type", "mentions", "example sentence"):
                table.add_column(column)
            for name, label, n, example in rows:
                table.add_row(name, label or "", str(n), example[:120])
        else:
            rows = store.con.execute(
                "SELECT code, any_value(name), count(*) AS n FROM mentions WHERE status = 'resolved' "
                "GROUP BY code ORDER BY n DESC LIMIT ?", [limit]).fetchall()
            table = Table(title="resolved actors")
            for column in ("code", "name", "mentions"):
                table.add_column(column)
            for code, name, n in rows:
                table.add_row(code, name, str(n))
        out.print(table)


@app.command()
@friendly
def validate(
    suite: Annotated[str, typer.Option(help="events or actors")] = "events",
    path: Annotated[Path | None, typer.Option(help="folder or file of validation cases")] = None,
    failures: Annotated[int, typer.Option(help="failing cases to list")] = 20,
    model: Annotated[str, typer.Option(help="spaCy pipeline")] = "fr_core_news_md",
) -> None:
    """Run a validation suite and print precision and recall per CAMEO root (events) or group (actors)."""
    from telex import nlp as telex_nlp
    from telex.events.cameo import ROOT_NAMES
    from telex.pipeline import Coder, Settings
    from telex.validate import load_cases, validate_actors, validate_events

    if suite not in ("events", "actors"):
        fail(f"unknown suite '{suite}' (expected events or actors)")
    folder = path or Path("tests") / "validation" / suite
    if not folder.exists():
        fail(f"{folder}: no such validation suite")
    cases = load_cases([folder])
    coder = Coder(Settings(model=model))
    nlp = telex_nlp.load(model)
    if suite == "events":
        report = validate_events(cases, nlp, coder.events)
        groups = report.by_root
        title = "per CAMEO root"
    else:
        report = validate_actors(cases, nlp, coder.events.resolver)
        groups = report.by_category
        title = "per group"
    table = Table(title=f"telex validate {suite}: {len(cases)} cases, {title}")
    for column in ("", "hits", "misses", "extra", "precision", "recall", "F1"):
        table.add_column(column, justify="left" if not column else "right")
    for name, score in sorted(groups.items()):
        label = f"{name} {ROOT_NAMES.get(name, '')}".strip()
        table.add_row(label, str(score.hits), str(score.misses), str(score.false_alarms), f"{score.precision:.2f}",
                      f"{score.recall:.2f}", f"{score.f1:.2f}")
    s = report.overall
    table.add_row("all", str(s.hits), str(s.misses), str(s.false_alarms), f"{s.precision:.3f}", f"{s.recall:.3f}",
                  f"[bold]{s.f1:.3f}[/bold]")
    out.print(table)
    if suite == "events":
        cats = Table(title="per construction or modality")
        for column in ("category", "hits", "misses", "extra", "F1"):
            cats.add_column(column)
        for name, score in sorted(report.by_category.items()):
            cats.add_row(name, str(score.hits), str(score.misses), str(score.false_alarms), f"{score.f1:.2f}")
        out.print(cats)
    out.print(f"cases coded exactly right: {report.exact:.1%}")
    if suite == "events" and report.overall.hits:
        out.print(f"hits with the exact CAMEO code (not only the root): {report.exact_codes / report.overall.hits:.1%}")
    shown = 0
    for result in report.results:
        if (result.missed or result.extra) and shown < failures:
            shown += 1
            out.print(f"[bold]{result.case.id}[/bold] «{result.case.text}»", highlight=False, soft_wrap=True)
            out.print(f"   expected {[ (e.get('src'), e.get('tgt'), e.get('code'), e.get('modality', 'asserted')) if suite == 'events' else e['code'] for e in result.case.expected]}",
                      highlight=False, soft_wrap=True)
            out.print(f"   got      {result.predicted}", highlight=False, soft_wrap=True)


def main() -> None:  # pragma: no cover - console entry point
    app()


if __name__ == "__main__":  # pragma: no cover
    main()
