"""The pipeline: ingest -> NLP -> actors + events -> storage, in batches.

Stages are plain functions over typed records; this module only wires them
and streams documents through in batches, so memory does not grow with the
corpus and every batch is committed on its own.
"""

from __future__ import annotations

import multiprocessing
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
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
from telex.records import CodedDocument, Document, PartialDate, SkippedInput
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


EXAMPLES_KEPT = 100  # a summary keeps counts of everything but only the first examples: it must not grow with a corpus


@dataclass
class RunSummary:
    documents: int = 0
    unchanged: int = 0
    sentences: int = 0
    events: int = 0
    undated_count: int = 0
    undated: list[str] = field(default_factory=list)  # the first documents stored without a date (their paths)
    skip_reasons: Counter = field(default_factory=Counter)  # every skipped input, counted by reason
    skipped: list[SkippedInput] = field(default_factory=list)  # the first of them
    groups: dict[str, int] = field(default_factory=dict)

    @property
    def skipped_count(self) -> int:
        return sum(self.skip_reasons.values())

    def add(self, coded: list[CodedDocument]) -> None:
        self.documents += len(coded)
        self.sentences += sum(len(c.sentences) for c in coded)
        self.events += sum(len(c.events) for c in coded)

    def skip(self, item: SkippedInput) -> None:
        self.skip_reasons[item.reason] += 1
        if len(self.skipped) < EXAMPLES_KEPT:
            self.skipped.append(item)

    def note_undated(self, path: str) -> None:
        self.undated_count += 1
        if len(self.undated) < EXAMPLES_KEPT:
            self.undated.append(path)


def new_documents(paths: Iterable[str | Path], known: dict[str, str], summary: RunSummary,
                  on_skip: Callable[[SkippedInput], None] | None = None) -> Iterator[Document]:
    """Documents to code: everything readable whose content is not stored already.

    Two inputs of one run with the same id and different texts are a feed error (two articles, one id):
    the second is reported, not silently dropped nor left to overwrite the first.
    """
    seen: dict[str, str] = {}  # doc_id -> content hash, for this run
    for item in iter_inputs(paths):
        if isinstance(item, SkippedInput):
            _report(item, summary, on_skip)
            continue
        if item.doc_id in seen and seen[item.doc_id] != item.content_hash:
            _report(SkippedInput(item.path or item.doc_id, "duplicate id",
                                 detail=f"{item.doc_id!r} already used by another text in this run"), summary, on_skip)
            continue
        if known.get(item.doc_id) == item.content_hash or item.doc_id in seen:
            summary.unchanged += 1
            continue
        seen[item.doc_id] = item.content_hash
        if item.date is None:
            summary.note_undated(item.path or item.doc_id)
        yield item


def _report(item: SkippedInput, summary: RunSummary, on_skip: Callable[[SkippedInput], None] | None) -> None:
    summary.skip(item)
    if on_skip:
        on_skip(item)


def code_batch_or_skip(documents: list[Document], settings: Settings) -> tuple[list[CodedDocument], list[SkippedInput]]:
    """`code_batch`, and when it fails, the batch again one document at a time.

    A document that breaks the parser or the coder (a bug, an input nobody foresaw) is then skipped with its
    reason instead of ending the run; otherwise every re-run would stop on the same document. The common
    path costs nothing: documents are only retried alone after a failure.
    """
    try:
        return code_batch(documents, settings), []
    except Exception:  # noqa: BLE001 - any failure: the documents are retried one by one below, and reported
        coded: list[CodedDocument] = []
        failed: list[SkippedInput] = []
        for document in documents:
            try:
                coded.extend(code_batch([document], settings))
            except Exception as error:  # noqa: BLE001 - reported with its type and message, the run goes on
                message = str(error).splitlines()[0] if str(error) else ""
                failed.append(SkippedInput(document.path or document.doc_id, "coding failed",
                                           detail=f"{document.doc_id}: {type(error).__name__}: {message}"[:300]))
        return coded, failed


def batched(items: Iterable, size: int) -> Iterator[list]:
    batch: list = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


PARSE_BATCH = 16  # texts spaCy parses together; the write batch (Settings.batch_size) can be larger
PARSE_CHARS = 12_000  # ... and at most this many characters of them (a longer text is parsed alone, in pieces)


def parse_groups(documents: list[Document], size: int = PARSE_BATCH,
                 chars: int = PARSE_CHARS) -> Iterator[list[Document]]:
    """Consecutive runs of documents for spaCy to parse together: at most `size` texts and `chars` characters.

    spaCy holds a parse batch's activations at once, padded to its longest text, so peak memory follows the
    largest (longest text x batch size) product; a character budget keeps that product bounded whatever falls
    together, where a count alone let one batch of long articles set the peak.
    """
    group: list[Document] = []
    total = 0
    for document in documents:
        n = len(document.text)
        if group and (len(group) >= size or total + n > chars):
            yield group
            group, total = [], 0
        group.append(document)
        total += n
    if group:
        yield group


@lru_cache(maxsize=4)
def _coder(actor_files: tuple[str, ...], pattern_files: tuple[str, ...]) -> Coder:
    coder = Coder(Settings(actor_files=actor_files, pattern_files=pattern_files))
    _ = coder.events.gazetteer  # load dictionaries and gazetteer now: a bad dictionary fails fast
    return coder


def coder_for(settings: Settings) -> Coder:
    """The process's coder for these dictionaries: loaded once, then shared by every batch (and inherited by
    forked workers)."""
    return _coder(tuple(settings.actor_files), tuple(settings.pattern_files))


def code_batch(documents: list[Document], settings: Settings) -> list[CodedDocument]:
    """The parse-and-code stage for one batch: what a single process, a worker process and a Dask task all run."""
    model = nlp.load(settings.model)
    coder = coder_for(settings)
    # The strings a batch adds to the vocabulary (names, numbers) are dropped after it: over a stream of
    # millions of articles they would otherwise grow without bound. Nothing spaCy owns leaves the zone.
    # spaCy holds a whole parse batch's activations at once, padded to its longest text: batches of 64 put peak
    # memory at the mercy of which long articles fall together (1,236 MiB at 1,000 docs, 865 MiB with 16), and
    # 16 at a time still let 16 long ones meet (1,197 MiB at 5,000 docs): a character budget per group as well,
    # and a text over it parsed in pieces (`nlp.parse`).
    coded: list[CodedDocument] = []
    with model.memory_zone():
        for group in parse_groups(documents, min(settings.batch_size, PARSE_BATCH)):
            docs = nlp.parse(model, [d.text for d in group], PARSE_CHARS)
            coded.extend(coder.code(doc, document) for doc, document in zip(docs, group, strict=True))
    nlp.bound_caches(model)
    return coded


def _in_pool(batches: Iterator[list[Document]], settings: Settings
             ) -> Iterator[tuple[list[CodedDocument], list[SkippedInput]]]:
    """Batches parsed and coded by `settings.workers` processes, yielded in input order.

    Each worker does the whole parse+code stage, so the writer (this process) only reads inputs and inserts
    rows; at most two batches per worker are in flight, so memory stays bounded whatever the corpus size.
    Workers are forked after the model and dictionaries are loaded: they share them instead of loading their own.
    """
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    with ProcessPoolExecutor(settings.workers, mp_context=context) as pool:
        pending: deque[Future] = deque()
        try:
            for batch in batches:
                pending.append(pool.submit(code_batch_or_skip, batch, settings))
                if len(pending) >= 2 * settings.workers:
                    yield pending.popleft().result()
            while pending:
                yield pending.popleft().result()
        finally:
            for future in pending:
                future.cancel()


def run(paths: Iterable[str | Path], store: Store, settings: Settings,
        on_skip: Callable[[SkippedInput], None] | None = None,
        on_batch: Callable[[int], None] | None = None) -> RunSummary:
    """Code every new document under `paths` into `store`, streaming in batches of `settings.batch_size`."""
    summary = RunSummary()
    coder_for(settings)
    nlp.load(settings.model)
    documents = new_documents(paths, store.known_hashes(), summary, on_skip)
    batches = batched(documents, settings.batch_size)
    if settings.workers > 1:
        coded_batches = _in_pool(batches, settings)
    else:
        coded_batches = (code_batch_or_skip(batch, settings) for batch in batches)
    for coded, failed in coded_batches:
        for item in failed:
            _report(item, summary, on_skip)
        store.write(coded, settings.model)
        summary.add(coded)
        if on_batch:
            on_batch(len(coded) + len(failed))
    summary.groups = dedup.rebuild(store, settings.window_days)
    return summary


@dataclass
class RecodeSummary:
    documents: int = 0
    added: int = 0
    removed: int = 0
    recoded: int = 0  # same event (id), other modality, date or place
    unchanged: int = 0
    changes: list[tuple[str, str, tuple]] = field(default_factory=list)  # the first changes: (+ - ~, event_id, key)


RECODE_ZONE_BATCHES = 16  # write batches recoded inside one spaCy memory zone


def recode(store: Store, settings: Settings, on_batch: Callable[[int], None] | None = None,
           list_changes: int = 1000) -> RecodeSummary:
    """Code every stored document again from its stored parse (no parsing), after a dictionary change."""
    summary = RecodeSummary()
    coder = coder_for(settings)
    store.snapshot_events()
    model = nlp.load(settings.model)
    batches = batched(store.stored_parses(settings.batch_size), settings.batch_size)
    more = True
    while more:
        # A memory zone over several batches: reading a parse back adds its strings to the vocabulary again in
        # each zone, and this was an eighth of recode's time with one zone per batch of 64.
        with model.memory_zone():
            for _ in range(RECODE_ZONE_BATCHES):
                batch = next(batches, None)
                if batch is None:
                    more = False
                    break
                coded = [coder.code(_stored_doc(record, parse, settings), _stored_document(record), keep_parse=False)
                         for record, parse in batch]
                store.replace_coding(coded)
                summary.documents += len(coded)
                if on_batch:
                    on_batch(len(coded))
    changes = store.event_changes(list_changes)
    summary.added, summary.removed, summary.recoded = changes.added, changes.removed, changes.recoded
    summary.unchanged, summary.changes = changes.unchanged, changes.listed
    dedup.rebuild(store, settings.window_days)
    return summary


def _stored_document(record: dict) -> Document:
    return Document(doc_id=record["doc_id"], text=record["text"], path=record["path"] or "", title=record["title"],
                    url=record["url"], source=record["source"], date=PartialDate.parse(record["date"]),
                    date_origin=record["date_origin"])


def _stored_doc(record: dict, parse: bytes, settings: Settings) -> Doc:
    return nlp.from_bytes(parse, record["model"] or settings.model)
