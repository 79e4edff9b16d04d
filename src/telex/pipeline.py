"""The pipeline: ingest -> NLP -> actors + events -> storage, in batches.

Stages are plain functions over typed records; this module only wires them
and streams documents through in batches, so memory does not grow with the
corpus and every batch is committed on its own.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from spacy.tokens import Doc

from telex import dedup, nlp
from telex.actors.dictionary import ActorDictionary
from telex.actors.dictionary import load_cached as load_actors
from telex.actors.resolver import ActorResolver
from telex.events.coder import EventCoder
from telex.events.patterns import PatternBook
from telex.events.patterns import load_cached as load_patterns
from telex.ingest import iter_inputs
from telex.records import CodedDocument, Document, SkippedInput
from telex.storage import Store


@dataclass
class Settings:
    model: str = nlp.DEFAULT_MODEL
    actor_files: tuple[str, ...] = ()
    pattern_files: tuple[str, ...] = ()
    batch_size: int = 64
    workers: int = 1
    window_days: int = 2  # events of the same dyad and code this close in time are one real event


class Coder:
    """Everything needed to code a parsed document; built once per process."""

    def __init__(self, settings: Settings):
        self.settings = settings

    @cached_property
    def actors(self) -> ActorDictionary:
        # Cached per process and per set of files: loading and indexing takes seconds.
        return load_actors(tuple(self.settings.actor_files))

    @cached_property
    def patterns(self) -> PatternBook:
        return load_patterns(tuple(self.settings.pattern_files))

    @cached_property
    def events(self) -> EventCoder:
        return EventCoder(self.patterns, ActorResolver(self.actors))

    def code(self, doc: Doc, document: Document, keep_parse: bool = True) -> CodedDocument:
        sentences, mentions, events = self.events.code(doc, document)
        return CodedDocument(document, sentences, mentions, events, nlp.to_bytes(doc) if keep_parse else None)


@dataclass
class RunSummary:
    documents: int = 0
    unchanged: int = 0
    undated: list[str] = field(default_factory=list)  # documents to store without a date (their paths)
    sentences: int = 0
    events: int = 0
    skipped: list[SkippedInput] = field(default_factory=list)
    groups: dict[str, int] = field(default_factory=dict)


def new_documents(paths: Iterable[str | Path], known: dict[str, str], summary: RunSummary,
                  on_skip: Callable[[SkippedInput], None] | None = None) -> Iterator[Document]:
    """Documents to code: everything readable whose content is not stored already."""
    seen: set[str] = set()
    for item in iter_inputs(paths):
        if isinstance(item, SkippedInput):
            summary.skipped.append(item)
            if on_skip:
                on_skip(item)
            continue
        if known.get(item.doc_id) == item.content_hash or item.doc_id in seen:
            summary.unchanged += 1
            continue
        seen.add(item.doc_id)
        if item.date is None:
            summary.undated.append(item.path or item.doc_id)
        yield item


def batched(items: Iterable, size: int) -> Iterator[list]:
    batch: list = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def run(paths: Iterable[str | Path], store: Store, settings: Settings,
        on_skip: Callable[[SkippedInput], None] | None = None,
        on_batch: Callable[[int], None] | None = None) -> RunSummary:
    summary = RunSummary()
    coder = Coder(settings)
    _ = coder.events  # load dictionaries before parsing: a bad dictionary fails fast
    model = nlp.load(settings.model)
    documents = new_documents(paths, store.known_hashes(), summary, on_skip)
    # One pipe over the whole stream: spaCy keeps its worker processes for the run.
    parsed = model.pipe(((d.text, d) for d in documents), as_tuples=True, batch_size=settings.batch_size,
                        n_process=max(1, settings.workers))
    for batch in batched(parsed, settings.batch_size):
        coded = [coder.code(doc, document) for doc, document in batch]
        store.write(coded, settings.model)
        summary.documents += len(coded)
        summary.sentences += sum(len(c.sentences) for c in coded)
        summary.events += sum(len(c.events) for c in coded)
        if on_batch:
            on_batch(len(coded))
    summary.groups = dedup.rebuild(store, settings.window_days)
    return summary


@dataclass
class RecodeSummary:
    documents: int = 0
    added: int = 0
    removed: int = 0
    unchanged: int = 0
    changes: list[tuple[str, str, tuple]] = field(default_factory=list)  # (+/-, event_id, key)


def recode(store: Store, settings: Settings, on_batch: Callable[[int], None] | None = None) -> RecodeSummary:
    """Code every stored document again from its stored parse (no parsing), after a dictionary change."""
    from telex.records import PartialDate

    summary = RecodeSummary()
    coder = Coder(settings)
    _ = coder.events
    before = store.event_keys()
    for batch in batched(store.stored_parses(), settings.batch_size):
        coded = []
        for record, parse in batch:
            document = Document(
                doc_id=record["doc_id"], text=record["text"], path=record["path"] or "", title=record["title"],
                url=record["url"], source=record["source"], date=PartialDate.parse(record["date"]),
                date_origin=record["date_origin"],
            )
            doc = nlp.from_bytes(parse, record["model"] or settings.model)
            coded.append(coder.code(doc, document, keep_parse=False))
        store.replace_coding(coded)
        summary.documents += len(coded)
        if on_batch:
            on_batch(len(coded))
    after = store.event_keys()
    for event_id in before.keys() - after.keys():
        summary.removed += 1
        summary.changes.append(("-", event_id, before[event_id]))
    for event_id in after.keys() - before.keys():
        summary.added += 1
        summary.changes.append(("+", event_id, after[event_id]))
    summary.unchanged = len(before.keys() & after.keys())
    dedup.rebuild(store, settings.window_days)
    return summary
