"""How many of the names annotated in French Wikinews does telex's actor dictionary resolve?

    python bench/actor_coverage.py [--top 30] [--out out/actor_coverage.json]

The WiNER annotations (../shared/corpus/wikinews-fr/entities.jsonl) mark Person, Organization
and Location names. Three groups are measured, each with a definition that does not depend on
telex's own dictionary:
- countries: Location names that are French country names in CLDR (babel), with or without article;
- political leaders: Person names right after a political title in the text
  ("le président ...", "la chancelière ...", "le ministre ... ");
- organisations: every Organization name (companies and clubs included: the figure is a floor).
A name counts as resolved when the dictionary maps it (as written, at the article's date) to a code.
"""

from __future__ import annotations

import argparse
import json
import re
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ENTITIES = ROOT.parent / "shared" / "corpus" / "wikinews-fr" / "entities.jsonl"
TITLE = re.compile(
    r"(?:président|présidente|premier ministre|première ministre|ministre|chancelier|chancelière|roi|reine|"
    r"émir|prince|secrétaire général|secrétaire d'état|chef de l'état|chef du gouvernement|dirigeant|"
    r"vice-président|porte-parole|maire|sénateur|député|candidat|opposant|leader)"
    r"(?:\s+[\w'’-]+){0,4}\s*,?\s*$", re.IGNORECASE)
ARTICLE = re.compile(r"^(?:les|le|la|l'|l’)\s*", re.IGNORECASE)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--out", type=Path, default=ROOT / "out" / "actor_coverage.json")
    args = parser.parse_args()
    if not ENTITIES.exists():
        raise SystemExit(f"{ENTITIES}: not present")

    from babel import Locale

    from telex.actors.dictionary import ActorDictionary
    from telex.records import PartialDate
    from telex.textnorm import key

    book = ActorDictionary.load()
    countries = {key(ARTICLE.sub("", n)) for n in Locale("fr").territories.values()}
    groups = {"countries": Counter(), "political leaders": Counter(), "organisations": Counter()}
    resolved = {g: Counter() for g in groups}
    for line in ENTITIES.open(encoding="utf-8"):
        record = json.loads(line)
        text = record["raw_text"]
        date = PartialDate.parse(record["id"].split("-")[1].replace("_", "-")[:10])
        for kind, start, _end, surface in record["entities"]:
            name = ARTICLE.sub("", surface.strip())
            if kind == "Location" and key(name) in countries:
                group = "countries"
            elif kind == "Person" and TITLE.search(text[max(0, start - 60):start]):
                group = "political leaders"
            elif kind == "Organization":
                group = "organisations"
            else:
                continue
            groups[group][name] += 1
            if book.lookup(book.tokens(name), date) is not None:
                resolved[group][name] += 1
    report = {}
    for group, counts in groups.items():
        total = sum(counts.values())
        hit = sum(resolved[group].values())
        missed = Counter({n: c for n, c in counts.items() if n not in resolved[group]})
        report[group] = {
            "mentions": total, "resolved": hit, "share": round(hit / total, 3) if total else None,
            "distinct_names": len(counts), "most_frequent_missed": missed.most_common(args.top),
        }
        print(f"{group:18} {hit:5}/{total:5} mentions resolved ({hit / max(total, 1):.1%}), "
              f"{len(counts)} distinct names")
        print("   missed most often: " + ", ".join(f"{n} ({c})" for n, c in missed.most_common(args.top)))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
