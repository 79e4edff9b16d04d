"""The `telex` command line: run, export, eval, report, explain, actors."""

from __future__ import annotations

import json
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

    return wrapper


@app.command()
@friendly
def run(
    paths: Annotated[list[Path], typer.Argument(help="files or folders (.txt, .jsonl, .html)")],
    db: DbOption = Path("telex.duckdb"),
    model: Annotated[str, typer.Option(help="spaCy pipeline")] = "fr_core_news_md",
    workers: Annotated[int, typer.Option(help="parser processes")] = 1,
    batch_size: Annotated[int, typer.Option(help="documents per committed batch")] = 64,
    actors: Annotated[list[Path], typer.Option("--actors", help="extra actor dictionary (repeatable)")] = [],
    patterns: Annotated[list[Path], typer.Option("--patterns", help="extra pattern file (repeatable)")] = [],
) -> None:
    """Ingest, parse and code articles into the database (already stored articles are skipped)."""
    from telex.pipeline import Settings
    from telex.pipeline import run as run_pipeline

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
    table.add_row("skipped inputs", str(len(summary.skipped)), "")
    out.print(table)
    reasons: dict[str, int] = {}
    for item in summary.skipped:
        reasons[item.reason] = reasons.get(item.reason, 0) + 1
    for reason, n in sorted(reasons.items(), key=lambda kv: -kv[1]):
        out.print(f"  skipped {n} × {reason}", highlight=False)
    out.print(f"database: {db}")


@export_app.command("events")
@friendly
def export_events(
    db: DbOption = Path("telex.duckdb"),
    format: Annotated[str, typer.Option("--format", help="jsonl, csv or parquet")] = "jsonl",
    out_path: Annotated[Path | None, typer.Option("--out", help="output file (default: standard output)")] = None,
    all_modalities: Annotated[bool, typer.Option("--all-modalities", help="include negated, hypothetical, reported...")] = False,
) -> None:
    """Export coded events (asserted ones unless --all-modalities)."""
    from telex import export

    if format not in export.FORMATS:
        fail(f"unknown format '{format}' (expected one of {', '.join(export.FORMATS)})")
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
    """Write a self-contained HTML report (no network needed to open it)."""
    from telex.report import render

    with Store(db, read_only=True) as store:
        rows = list(store.event_rows(None if all_modalities else ("asserted",)))
        counts = store.counts()
    out_path.write_text(render(rows, counts, title=f"telex report: {db.name}"), encoding="utf-8")
    out.print(f"report written to {out_path} ({len(rows)} events)")


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
                "SELECT text, label, count(*) AS n, any_value(s.text) FROM mentions m "
                "JOIN sentences s USING (doc_id, sent_index) WHERE status = 'unresolved' "
                "GROUP BY text, label ORDER BY n DESC, text LIMIT ?", [limit]).fetchall()
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
