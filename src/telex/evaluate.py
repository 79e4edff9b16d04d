"""Score coded events against a gold file, exactly as ../shared/gold/README.md defines.

Per document, asserted events are reduced to unique (source, target, root)
tuples, actors compared at country level (three letters; six for IGO/NGO
codes; `---` when missing). Mandatory gold events are matched first, each
using up the predicted tuples it matches; tuples that match an optional gold
event are then dropped; what is left are false alarms.
"""

from __future__ import annotations

import itertools
import json
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

MISSING = "---"
ANY = "*"


def actor_level(code: str | None) -> str:
    if not code:
        return MISSING
    if code == ANY:
        return ANY
    if code.startswith(("IGO", "NGO", "IMG")):
        return code[:6]
    return code[:3]


def _options(value) -> list[str]:
    values = value if isinstance(value, list) else [value]
    return sorted({actor_level(v) for v in values})


@dataclass
class GoldEvent:
    doc: str
    combos: frozenset[tuple[str, str, str]]
    optional: bool
    root: str
    raw: dict

    def matches(self, triple: tuple[str, str, str]) -> bool:
        src, tgt, root = triple
        for gs, gt, gr in self.combos:
            if gr == root and gs in (src, ANY) and gt in (tgt, ANY):
                return True
        return False


@dataclass
class Predicted:
    doc: str
    triple: tuple[str, str, str]
    sentence: str
    rule: str


@dataclass
class Score:
    hits: int = 0
    misses: int = 0
    false_alarms: int = 0

    @property
    def precision(self) -> float:
        return self.hits / (self.hits + self.false_alarms) if self.hits + self.false_alarms else 0.0

    @property
    def recall(self) -> float:
        return self.hits / (self.hits + self.misses) if self.hits + self.misses else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Report:
    overall: Score = field(default_factory=Score)
    by_root: dict[str, Score] = field(default_factory=lambda: defaultdict(Score))
    missed: list[GoldEvent] = field(default_factory=list)
    false_alarms: list[Predicted] = field(default_factory=list)
    documents: int = 0


def load_gold(path: Path) -> dict[str, list[GoldEvent]]:
    gold: dict[str, list[GoldEvent]] = {}
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as error:
                raise ValueError(f"{path}:{number}: not valid JSON ({error.msg})") from None
            events = []
            seen: set[tuple[frozenset, bool]] = set()
            for raw in record.get("events", []):
                codes = raw["code"] if isinstance(raw["code"], list) else [raw["code"]]
                roots = sorted({str(c)[:2] for c in codes})
                combos = frozenset(itertools.product(_options(raw.get("src")), _options(raw.get("tgt")), roots))
                optional = bool(raw.get("optional"))
                if (combos, optional) in seen:
                    continue  # gold events that reduce to the same tuples count once
                seen.add((combos, optional))
                events.append(GoldEvent(record["doc"], combos, optional, roots[0], raw))
            gold[record["doc"]] = events
    return gold


def score(gold: dict[str, list[GoldEvent]], predicted: list[Predicted]) -> Report:
    report = Report(documents=len(gold))
    by_doc: dict[str, dict[tuple, Predicted]] = defaultdict(dict)
    for p in predicted:
        if p.doc in gold:
            by_doc[p.doc].setdefault(p.triple, p)
    for doc, events in gold.items():
        remaining = dict(by_doc.get(doc, {}))
        for event in (e for e in events if not e.optional):
            matched = [t for t in remaining if event.matches(t)]
            if matched:
                report.overall.hits += 1
                report.by_root[event.root].hits += 1
                for triple in matched:
                    del remaining[triple]
            else:
                report.overall.misses += 1
                report.by_root[event.root].misses += 1
                report.missed.append(event)
        for event in (e for e in events if e.optional):
            for triple in [t for t in remaining if event.matches(t)]:
                del remaining[triple]
        for triple, p in remaining.items():
            report.overall.false_alarms += 1
            report.by_root[triple[2]].false_alarms += 1
            report.false_alarms.append(p)
    return report
