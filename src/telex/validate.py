"""Validation suites: hand-written French phrases and sentences with the codes they must yield.

Like PETRARCH's validation records, the suites are the project's memory of
what must keep working; scores are reported per group (actors) and per CAMEO
root and construction (events), never as one opaque number.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from telex.evaluate import Score
from telex.records import Document, PartialDate
from telex.textnorm import load_yaml

ANY = "*"


@dataclass
class Case:
    id: str
    text: str
    date: PartialDate | None
    category: str
    expected: list[dict]
    file: str


@dataclass
class CaseResult:
    case: Case
    predicted: list[tuple]
    missed: list[dict]
    extra: list[tuple]


@dataclass
class SuiteReport:
    results: list[CaseResult] = field(default_factory=list)
    by_root: dict[str, Score] = field(default_factory=lambda: defaultdict(Score))
    by_category: dict[str, Score] = field(default_factory=lambda: defaultdict(Score))
    overall: Score = field(default_factory=Score)
    exact_codes: int = 0  # hits whose CAMEO code is also exactly the expected one

    @property
    def exact(self) -> float:
        """Share of sentences coded exactly right (nothing missed, nothing extra)."""
        ok = sum(1 for r in self.results if not r.missed and not r.extra)
        return ok / len(self.results) if self.results else 0.0


def load_cases(paths: Iterable[Path]) -> list[Case]:
    cases = []
    for path in paths:
        files = sorted(path.glob("*.yaml")) if path.is_dir() else [path]
        for file in files:
            data = load_yaml(file.read_text(encoding="utf-8")) or []
            for n, raw in enumerate(data, start=1):
                expected = raw.get("events")
                if expected is None and "expect" in raw:
                    value = raw["expect"]
                    expected = [] if value is None else [{"code": v} for v in (value if isinstance(value, list) else [value])]
                cases.append(Case(
                    id=str(raw.get("id") or f"{file.stem}-{n}"), text=str(raw["text"]),
                    date=PartialDate.parse(str(raw.get("date") or "")) if raw.get("date") else None,
                    category=str(raw.get("category") or raw.get("group") or "other"), expected=expected or [],
                    file=file.name,
                ))
    return cases


def _match_actor(expected, predicted: str | None) -> bool:
    if expected == ANY:
        return True
    if expected is None:
        return predicted is None
    options = expected if isinstance(expected, list) else [expected]
    return predicted in options


def validate_events(cases: list[Case], nlp, coder) -> SuiteReport:
    report = SuiteReport()
    docs = nlp.pipe([c.text for c in cases], batch_size=64)
    for case, doc in zip(cases, docs):
        _, _, events = coder.code(doc, Document(case.id, case.text, date=case.date))
        predicted = sorted({
            (e.source.actor.code if e.source and e.source.actor else None,
             e.target.actor.code if e.target and e.target.actor else None, e.cameo, e.modality)
            for e in events
        }, key=str)
        remaining = list(predicted)
        missed = []
        for exp in case.expected:
            modality = exp.get("modality", "asserted")
            codes = exp["code"] if isinstance(exp["code"], list) else [exp["code"]]
            # Actors must match exactly; the event matches at the CAMEO root (as the gold scorer does),
            # and exact-code agreement is counted on the side.
            roots = {str(c)[:2] for c in codes}
            candidates = [p for p in remaining if _match_actor(exp.get("src"), p[0])
                          and _match_actor(exp.get("tgt"), p[1]) and p[2][:2] in roots and p[3] == modality]
            hit = next((p for p in candidates if p[2] in [str(c) for c in codes]), None) or next(iter(candidates), None)
            root = str(codes[0])[:2]
            if hit is not None:
                remaining.remove(hit)
                report.exact_codes += hit[2] in [str(c) for c in codes]
                if not exp.get("optional"):
                    report.by_root[root].hits += 1
                    report.by_category[case.category].hits += 1
                    report.overall.hits += 1
            elif not exp.get("optional"):
                missed.append(exp)
                report.by_root[root].misses += 1
                report.by_category[case.category].misses += 1
                report.overall.misses += 1
        for p in remaining:
            report.by_root[p[2][:2]].false_alarms += 1
            report.by_category[case.category].false_alarms += 1
            report.overall.false_alarms += 1
        report.results.append(CaseResult(case, predicted, missed, remaining))
    return report


def actors_of_phrase(doc, resolver, date: PartialDate | None) -> list[str]:
    """The actors a phrase or short sentence names: its subject if it is a clause, else its head."""
    sent = next(iter(doc.sents))
    root = sent.root
    head = root
    if root.pos_ in {"VERB", "AUX"}:
        subjects = [c for c in root.children if c.dep_ in {"nsubj", "nsubj:pass"}]
        if subjects:
            head = subjects[0]
        else:
            objects = [c for c in root.children if c.dep_ == "obj"]
            head = objects[0] if objects else root
    ctx = resolver.start_document(doc, date)
    refs = resolver.resolve_argument(head, ctx)
    return sorted({r.actor.code for r in refs if r.actor is not None})


def validate_actors(cases: list[Case], nlp, resolver) -> SuiteReport:
    report = SuiteReport()
    docs = nlp.pipe([c.text for c in cases], batch_size=128)
    for case, doc in zip(cases, docs):
        predicted = actors_of_phrase(doc, resolver, case.date)
        expected = sorted(str(e["code"]) for e in case.expected)
        missed = [{"code": c} for c in expected if c not in predicted]
        extra = [(c,) for c in predicted if c not in expected]
        score = report.by_category[case.category]
        for s in (score, report.overall):
            s.hits += len(expected) - len(missed)
            s.misses += len(missed)
            s.false_alarms += len(extra)
        report.results.append(CaseResult(case, [(c,) for c in predicted], missed, extra))
    return report
