"""telex benchmarks: every figure is a ratio against raw spaCy parsing measured in the same run.

    python bench/run.py [--docs 500] [--out out/bench.json]

Corpus: the French Wikinews articles of ../shared/corpus/wikinews-fr (repeated with distinct ids
when more documents are asked for than it holds). Measured:
- raw spaCy parsing (nlp.pipe) of the texts: documents and tokens per second (the baseline);
- the event coder alone on the parsed documents, as a share of parsing time (issue: < 25%);
- the full `telex run` path (read, parse, code, store in DuckDB) as a ratio of raw parsing.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WIKINEWS = ROOT.parent / "shared" / "corpus" / "wikinews-fr" / "articles.jsonl"


def corpus(n: int) -> list[dict]:
    if not WIKINEWS.exists():
        sys.exit(f"{WIKINEWS}: not present; the benchmarks need the Wikinews corpus")
    articles = [json.loads(line) for line in WIKINEWS.open(encoding="utf-8")]
    out = []
    for i in range(n):
        article = dict(articles[i % len(articles)])
        article["id"] = f"{article['id']}-r{i // len(articles)}"
        out.append(article)
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--docs", type=int, default=500)
    parser.add_argument("--out", type=Path, default=ROOT / "out" / "bench.json")
    args = parser.parse_args()

    from telex import nlp
    from telex.pipeline import Coder, Settings, run
    from telex.records import Document, PartialDate
    from telex.storage import Store

    articles = corpus(args.docs)
    model = nlp.load()
    coder = Coder(Settings())
    _ = coder.events
    _ = coder.events.gazetteer  # load lazily-built tables outside the timed sections
    model("Échauffement.")

    t0 = time.perf_counter()
    docs = list(model.pipe((a["text"] for a in articles), batch_size=64))
    parse_s = time.perf_counter() - t0
    tokens = sum(len(d) for d in docs)

    t0 = time.perf_counter()
    events = 0
    for article, doc in zip(articles, docs):
        document = Document(article["id"], article["text"], date=PartialDate.parse(article.get("date")))
        events += len(coder.code(doc, document, keep_parse=False).events)
    code_s = time.perf_counter() - t0

    with tempfile.TemporaryDirectory() as tmp:
        feed = Path(tmp) / "corpus.jsonl"
        feed.write_text("\n".join(json.dumps(a, ensure_ascii=False) for a in articles) + "\n", encoding="utf-8")
        t0 = time.perf_counter()
        with Store(Path(tmp) / "bench.duckdb") as store:
            summary = run([feed], store, Settings())
        full_s = time.perf_counter() - t0

    results = {
        "documents": len(articles),
        "tokens": tokens,
        "events": events,
        "raw_parse": {"seconds": round(parse_s, 2), "docs_per_s": round(len(articles) / parse_s, 1),
                      "tokens_per_s": round(tokens / parse_s)},
        "coder_only": {"seconds": round(code_s, 2), "share_of_parse_time": round(code_s / parse_s, 3)},
        "full_pipeline": {"seconds": round(full_s, 2), "docs_per_s": round(summary.documents / full_s, 1),
                          "ratio_to_raw_parse": round(parse_s / full_s, 3)},
        "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
