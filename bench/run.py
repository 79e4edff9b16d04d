"""telex benchmarks: throughput, workers, Dask, recoding and memory, in one run, as ratios measured together.

    python bench/run.py [--docs 5000] [--small 1000] [--repeat 3] [--out out/bench.json]

Corpus: the 1,191 French Wikinews articles of ../shared/corpus/wikinews-fr, repeated until `--docs` documents.
Copy k >= 1 of an article gets the id `<id>-r<k>` and one last paragraph `[copie k de <id>]`, so every copy
has its own content hash and is really parsed, coded and stored (a run skips documents already stored with
the same hash). The corpus is written once to out/bench-corpus/ and is the same from one run to the next.

Every measurement runs in a fresh Python process (so peak RSS figures are independent); the model, the
dictionaries and the language identifier are loaded before the clock starts (their load time is reported
apart, as `startup_s`):
- raw spaCy parsing (nlp.pipe over the texts) of the `--small` first documents, in 1 and 2 processes;
- the full pipeline (`pipeline.run`: read, parse, code, write to DuckDB, rebuild event groups) on the same
  documents with 1 and 2 workers; the `--small` runs are repeated `--repeat` times, interleaved, medians reported;
- the same run on a Dask LocalCluster of 2 workers (cluster start and worker warm-up reported apart);
- the full pipeline on all `--docs` documents (peak RSS at the large size), then `recode` of that database.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WIKINEWS = ROOT.parent / "shared" / "corpus" / "wikinews-fr" / "articles.jsonl"


def build_corpus(n: int, folder: Path) -> Path:
    """The first n documents of the repeated Wikinews corpus, as a JSONL file (built once per size)."""
    path = folder / f"wikinews-{n}.jsonl"
    if path.exists():
        return path
    articles = [json.loads(line) for line in WIKINEWS.open(encoding="utf-8")]
    folder.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".tmp")
    with partial.open("w", encoding="utf-8") as out:
        for i in range(n):
            article = dict(articles[i % len(articles)])
            copy = i // len(articles)
            if copy:
                article["text"] = f"{article['text']}\n\n[copie {copy} de {article['id']}]"
                article["id"] = f"{article['id']}-r{copy}"
            out.write(json.dumps(article, ensure_ascii=False) + "\n")
    partial.replace(path)
    return path


def cpu_s() -> float:
    """CPU seconds of this process and its finished children: a check on wall times on a shared machine."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def peak_rss_mib() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)  # KiB on Linux


# -- stages, each run in its own process ------------------------------------------------------------------------
def stage_parse(corpus: Path, processes: int) -> dict:
    from telex import nlp

    texts = [json.loads(line)["text"] for line in corpus.open(encoding="utf-8")]
    t0 = time.perf_counter()
    model = nlp.load()
    model("Échauffement.")
    startup = time.perf_counter() - t0
    t0, c0 = time.perf_counter(), cpu_s()
    tokens = sum(len(doc) for doc in model.pipe(texts, batch_size=64, n_process=processes))
    seconds = time.perf_counter() - t0
    return {"documents": len(texts), "tokens": tokens, "seconds": seconds, "cpu_s": cpu_s() - c0, "startup_s": startup,
            "peak_rss_mib": peak_rss_mib()}


def stage_run(corpus: Path, workers: int, db: Path) -> dict:
    from telex import nlp
    from telex.ingest import language
    from telex.pipeline import Settings, coder_for, run
    from telex.storage import Store

    settings = Settings(workers=workers)
    t0 = time.perf_counter()
    nlp.load(settings.model)("Échauffement.")
    coder_for(settings)
    language.warm_up()
    startup = time.perf_counter() - t0
    with Store(db) as store:
        t0, c0 = time.perf_counter(), cpu_s()
        summary = run([corpus], store, settings)
        seconds = time.perf_counter() - t0
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {"documents": summary.documents, "events": summary.events, "seconds": seconds, "cpu_s": cpu_s() - c0,
            "startup_s": startup,
            "peak_rss_mib": peak_rss_mib(), "peak_rss_worker_mib": round(children, 1)}


def stage_dask(corpus: Path, workers: int, db: Path) -> dict:
    from distributed import Client, LocalCluster

    from telex.distributed import run_on_client, warm_up
    from telex.pipeline import Settings, coder_for
    from telex.storage import Store

    settings = Settings()
    coder_for(settings)
    t0 = time.perf_counter()
    with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, \
            Client(cluster) as client:
        client.run(warm_up, settings)
        startup = time.perf_counter() - t0
        with Store(db) as store:
            t0 = time.perf_counter()
            summary = run_on_client(client, [corpus], store, settings, run_folder=db.with_suffix(".parts"))
            seconds = time.perf_counter() - t0
    return {"documents": summary.documents, "events": summary.events, "seconds": seconds, "startup_s": startup}


def stage_recode(db: Path) -> dict:
    from telex import nlp
    from telex.pipeline import Settings, coder_for, recode
    from telex.storage import Store

    settings = Settings()
    t0 = time.perf_counter()
    nlp.load(settings.model)
    coder_for(settings)
    startup = time.perf_counter() - t0
    with Store(db) as store:
        t0, c0 = time.perf_counter(), cpu_s()
        summary = recode(store, settings)
        seconds = time.perf_counter() - t0
    return {"documents": summary.documents, "added": summary.added, "removed": summary.removed,
            "recoded": summary.recoded, "seconds": seconds, "cpu_s": cpu_s() - c0, "startup_s": startup,
            "peak_rss_mib": peak_rss_mib()}


def _spin(seconds: float) -> int:
    """Pure-Python work for a fixed CPU time: loops done."""
    loops, end = 0, time.process_time() + seconds
    while time.process_time() < end:
        sum(range(1000))
        loops += 1
    return loops


def stage_probe(processes: int) -> dict:
    """How much parallelism the machine gives right now: the wall time of `processes` processes that each
    burn 5 CPU seconds (on an idle 2-core machine, 2 processes take as long as 1)."""
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(processes) as pool:
        t0 = time.perf_counter()
        list(pool.map(_spin, [5.0] * processes))
        seconds = time.perf_counter() - t0
    return {"documents": processes, "seconds": seconds}


STAGES = {"probe": stage_probe, "parse": stage_parse, "run": stage_run, "dask": stage_dask, "recode": stage_recode}


def in_child(stage: str, *args) -> dict:
    """Run one stage in a fresh interpreter and return what it measured."""
    command = [sys.executable, __file__, "--stage", stage, *map(str, args)]
    started = time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        sys.exit(f"bench stage {stage} {args} failed:\n{result.stderr[-4000:]}")
    measured = json.loads(result.stdout.strip().splitlines()[-1])
    print(f"  {stage} {' '.join(map(str, args[:2]))}: {measured['seconds']:.1f} s "
          f"({time.perf_counter() - started:.0f} s with start-up)", file=sys.stderr, flush=True)
    return measured


# -- the whole benchmark ---------------------------------------------------------------------------------------
def per_s(measured: dict, what: str = "documents") -> float:
    return measured[what] / measured["seconds"]


def cpu_per_doc(measured: dict) -> float:
    return measured["cpu_s"] / measured["documents"]


def median_of(runs: list[dict], what: str = "documents") -> float:
    return statistics.median(per_s(r, what) for r in runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--docs", type=int, default=5000, help="documents of the large run (peak RSS, recode)")
    parser.add_argument("--small", type=int, default=1000, help="documents of the throughput and worker runs")
    parser.add_argument("--repeat", type=int, default=3, help="repetitions of the small runs (medians reported)")
    parser.add_argument("--out", type=Path, default=ROOT / "out" / "bench.json")
    parser.add_argument("--stage", choices=sorted(STAGES), help=argparse.SUPPRESS)
    args, rest = parser.parse_known_args()
    if args.stage:
        converted = [Path(a) if "/" in a or a.endswith(".duckdb") else int(a) for a in rest]
        print(json.dumps(STAGES[args.stage](*converted)))
        return
    if not WIKINEWS.exists():
        sys.exit(f"{WIKINEWS}: not present; the benchmarks need the Wikinews corpus")

    corpora = args.out.parent / "bench-corpus"
    small, large = build_corpus(args.small, corpora), build_corpus(args.docs, corpora)
    started, load_before = time.perf_counter(), os.getloadavg()
    with tempfile.TemporaryDirectory(dir=args.out.parent) as tmp:
        work = Path(tmp).resolve()
        parse1, parse2, run1, run2, probe1, probe2 = [], [], [], [], [], []
        for r in range(args.repeat):
            probe1.append(in_child("probe", 1))
            probe2.append(in_child("probe", 2))
            parse1.append(in_child("parse", small, 1))
            run1.append(in_child("run", small, 1, work / f"w1-{r}.duckdb"))
            run2.append(in_child("run", small, 2, work / f"w2-{r}.duckdb"))
            parse2.append(in_child("parse", small, 2))
        dask = in_child("dask", small, 2, work / "dask.duckdb")
        full = in_child("run", large, 1, work / "large.duckdb")
        recoded = in_child("recode", work / "large.duckdb")

    raw_docs, raw_tokens = median_of(parse1), median_of(parse1, "tokens")
    pipeline_docs = median_of(run1)
    ratios = [per_s(r) / per_s(p) for p, r in zip(parse1, run1)]
    worker_ratios = [per_s(b) / per_s(a) for a, b in zip(run1, run2)]
    rss_small = statistics.median(r["peak_rss_mib"] for r in run1)
    results = {
        "corpus": {"small_docs": args.small, "large_docs": args.docs, "tokens_small": parse1[0]["tokens"],
                   "repeat": args.repeat, "files": [str(small), str(large)]},
        "raw_parse": {"docs_per_s": round(raw_docs, 2), "tokens_per_s": round(raw_tokens),
                      "runs_docs_per_s": [round(per_s(p), 2) for p in parse1]},
        "raw_parse_2_processes": {"docs_per_s": round(median_of(parse2), 2),
                                  "ratio_to_1_process": round(median_of(parse2) / raw_docs, 3)},
        "full_pipeline": {"docs_per_s": round(pipeline_docs, 2),
                          "ratio_to_raw_parse": round(statistics.median(ratios), 3),
                          "runs_ratio": [round(x, 3) for x in ratios], "startup_s": round(run1[0]["startup_s"], 1)},
        "workers_2": {"docs_per_s": round(median_of(run2), 2),
                      "ratio_to_1_worker": round(statistics.median(worker_ratios), 3),
                      "runs_ratio": [round(x, 3) for x in worker_ratios],
                      "cpu_s_per_doc_ratio_to_1_worker": round(statistics.median(
                          cpu_per_doc(b) / cpu_per_doc(a) for a, b in zip(run1, run2)), 3),
                      "machine_parallelism_probe": round(statistics.median(
                          per_s(b) / per_s(a) for a, b in zip(probe1, probe2)), 3)},
        "dask_local_2": {"docs_per_s": round(per_s(dask), 2),
                         "ratio_to_1_worker": round(per_s(dask) / pipeline_docs, 3),
                         "seconds": round(dask["seconds"], 1), "cluster_startup_s": round(dask["startup_s"], 1),
                         "same_events_as_1_process": dask["events"] == run1[0]["events"]},
        "full_pipeline_large": {"docs_per_s": round(per_s(full), 2), "seconds": round(full["seconds"], 1)},
        "recode": {"docs_per_s": round(per_s(recoded), 2), "ratio_to_full_run": round(per_s(recoded) / per_s(full), 2),
                   "seconds": round(recoded["seconds"], 1), "events_added": recoded["added"],
                   "events_removed": recoded["removed"]},
        "peak_rss_mib": {str(args.small): rss_small, str(args.docs): full["peak_rss_mib"],
                         "growth": round(full["peak_rss_mib"] / rss_small - 1, 3)},
        "cpu_time_ratios": {
            "full_pipeline_to_raw_parse": round(statistics.median(
                (p["cpu_s"] / p["documents"]) / (r["cpu_s"] / r["documents"]) for p, r in zip(parse1, run1)), 3),
            "recode_to_full_run": round(
                (full["cpu_s"] / full["documents"]) / (recoded["cpu_s"] / recoded["documents"]), 2),
        },
        "load_average": {"before": [round(x, 2) for x in load_before], "after": [round(x, 2) for x in os.getloadavg()],
                         "cores": os.cpu_count()},
        "bench_seconds": round(time.perf_counter() - started),
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print_table(results)
    print(f"\nwritten to {args.out}")


def print_table(r: dict) -> None:
    small, large = r["corpus"]["small_docs"], r["corpus"]["large_docs"]
    rows = [
        ("raw spaCy parse, 1 process", f"{r['raw_parse']['docs_per_s']} docs/s, "
                                       f"{r['raw_parse']['tokens_per_s']} tok/s", ""),
        ("raw spaCy parse, 2 processes", f"{r['raw_parse_2_processes']['docs_per_s']} docs/s",
         f"x{r['raw_parse_2_processes']['ratio_to_1_process']} of 1 process"),
        ("full pipeline, 1 worker", f"{r['full_pipeline']['docs_per_s']} docs/s",
         f"{r['full_pipeline']['ratio_to_raw_parse']} of raw parse (target >= 0.8)"),
        ("full pipeline, 2 workers", f"{r['workers_2']['docs_per_s']} docs/s",
         f"x{r['workers_2']['ratio_to_1_worker']} of 1 worker (target >= 1.7; 2 CPU-bound processes got "
         f"x{r['workers_2']['machine_parallelism_probe']} of 1 in the same run)"),
        ("Dask LocalCluster, 2 workers", f"{r['dask_local_2']['docs_per_s']} docs/s",
         f"x{r['dask_local_2']['ratio_to_1_worker']} of 1 worker; cluster start "
         f"{r['dask_local_2']['cluster_startup_s']} s"),
        (f"full pipeline, {large} docs", f"{r['full_pipeline_large']['docs_per_s']} docs/s", ""),
        (f"recode, {large} docs", f"{r['recode']['docs_per_s']} docs/s",
         f"x{r['recode']['ratio_to_full_run']} of a full run (target >= 10)"),
        ("peak RSS", f"{r['peak_rss_mib'][str(small)]} MiB at {small}, {r['peak_rss_mib'][str(large)]} MiB at {large}",
         f"{r['peak_rss_mib']['growth']:+.1%} (target within 10%)"),
    ]
    width = max(len(a) for a, _, _ in rows)
    value = max(len(b) for _, b, _ in rows)
    print(f"\ntelex bench ({small} docs for throughput, medians of {r['corpus']['repeat']}; {large} docs for "
          f"memory and recode; {r['bench_seconds']} s)")
    for a, b, c in rows:
        print(f"  {a:<{width}}  {b:<{value}}  {c}")
    cpu, load = r["cpu_time_ratios"], r["load_average"]
    print(f"  in CPU time: full pipeline {cpu['full_pipeline_to_raw_parse']} of raw parse, recode "
          f"x{cpu['recode_to_full_run']} of a full run; load average {load['before'][0]} before, "
          f"{load['after'][0]} after, {load['cores']} cores")


if __name__ == "__main__":
    main()
