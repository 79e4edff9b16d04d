"""Typed records that move between the pipeline stages.

Each stage takes and returns these dataclasses; storage and export are the
only places that turn them into rows or JSON.
"""

from __future__ import annotations

import calendar
import hashlib
from dataclasses import dataclass, field
from typing import Literal

Precision = Literal["day", "month", "year"]
Modality = Literal["asserted", "negated", "hypothetical", "reported", "future", "background"]
MODALITIES: tuple[str, ...] = ("asserted", "negated", "hypothetical", "reported", "future", "background")


@dataclass(frozen=True)
class PartialDate:
    """A date known to the day, the month or the year only."""

    year: int
    month: int | None = None
    day: int | None = None

    @property
    def precision(self) -> Precision:
        if self.day is not None:
            return "day"
        if self.month is not None:
            return "month"
        return "year"

    def iso(self) -> str:
        if self.day is not None:
            return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"
        if self.month is not None:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}"

    @classmethod
    def parse(cls, text: str | None) -> PartialDate | None:
        """Parse `YYYY`, `YYYY-MM`, `YYYY-MM-DD` (and an ISO timestamp's date part)."""
        if not text:
            return None
        parts = str(text).strip()[:10].split("-")
        try:
            numbers = [int(p) for p in parts if p]
        except ValueError:
            return None
        if not numbers or not 1000 <= numbers[0] <= 9999:
            return None
        if len(numbers) >= 2 and not 1 <= numbers[1] <= 12:
            return None
        # A day the month does not have (2021-02-30) would break every date computation downstream.
        if len(numbers) >= 3 and not 1 <= numbers[2] <= calendar.monthrange(numbers[0], numbers[1])[1]:
            return None
        return cls(*numbers[:3])


@dataclass
class Document:
    """An article as ingested: text plus whatever metadata its source gave."""

    doc_id: str
    text: str
    path: str = ""
    title: str | None = None
    url: str | None = None
    source: str | None = None
    date: PartialDate | None = None
    date_origin: str | None = None  # which clue gave the date: metadata, dateline, byline...

    @property
    def content_hash(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()[:32]


@dataclass
class SkippedInput:
    """An input (file or line) that could not be ingested, and why.

    `reason` is a short category that run summaries count by; `detail` says what
    was seen in this input (the JSON error, the detected language, the size).
    """

    path: str
    reason: str
    line: int | None = None
    detail: str | None = None

    def message(self) -> str:
        where = f"{self.path}:{self.line}" if self.line is not None else self.path
        return f"{where}: {self.reason}" + (f" ({self.detail})" if self.detail else "")


@dataclass
class Sentence:
    doc_id: str
    index: int
    start: int  # character offsets in the document text
    end: int
    text: str


@dataclass(frozen=True)
class Actor:
    """A resolved actor: a CAMEO code and where it came from."""

    code: str  # e.g. TURGOV, LBY, IGOUNO
    country: str | None  # ISO alpha-3 or None for IGOs and NGOs
    role: str | None  # GOV, MIL, REB... or None
    name: str  # display name: "Turquie", "Recep Tayyip Erdoğan"
    entry_id: str  # id of the dictionary entry (or entries joined by '+') that resolved it

    @property
    def country_level(self) -> str:
        """The comparison key used by the gold scorer: IGO/NGO codes keep six letters."""
        if self.code.startswith(("IGO", "NGO", "IMG")):
            return self.code[:6]
        return self.code[:3]


@dataclass
class Mention:
    """A span of a sentence that names (or fails to name) an actor."""

    doc_id: str
    sent_index: int
    start: int  # document character offsets
    end: int
    text: str
    status: Literal["resolved", "unresolved", "coreference"]
    actor: Actor | None = None
    label: str | None = None  # NER label for unresolved names


@dataclass
class ActorRef:
    """One side of an event: the actor plus the words that named it."""

    text: str
    start: int
    end: int
    actor: Actor | None
    via: str = "direct"  # direct, speaker, coreference, inherited, possessive, demonym

    def to_json(self) -> dict | None:
        if self.actor is None:
            return {"text": self.text, "code": None, "country": None, "role": None, "name": None}
        return {
            "text": self.text,
            "code": self.actor.code,
            "country": self.actor.country,
            "role": self.actor.role,
            "name": self.actor.name,
        }


@dataclass
class Place:
    name: str
    country: str | None
    admin1: str | None
    lat: float | None
    lon: float | None
    geonameid: int | None = None
    text: str = ""


@dataclass
class Event:
    """One coded event with full provenance."""

    doc_id: str
    sent_index: int
    sentence: str
    char_start: int  # sentence span in the document text
    char_end: int
    trigger: str
    trigger_start: int
    trigger_end: int
    source: ActorRef | None
    target: ActorRef | None
    cameo: str
    quad_class: int
    goldstein: float
    plover: str | None
    modality: str
    rule: str
    dict_version: str
    date: PartialDate | None = None
    date_origin: str = "article"
    place: Place | None = None
    path: list[str] = field(default_factory=list)  # parse path trigger -> actors, for explain

    @property
    def root(self) -> str:
        return self.cameo[:2]

    @property
    def event_id(self) -> str:
        key = "|".join(
            [
                self.doc_id,
                str(self.sent_index),
                str(self.trigger_start),
                self.source.actor.code if self.source and self.source.actor else "-",
                str(self.source.start) if self.source else "-",
                self.target.actor.code if self.target and self.target.actor else "-",
                str(self.target.start) if self.target else "-",
                self.cameo,
            ]
        )
        return hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]


@dataclass
class CodedDocument:
    """Everything the pipeline learned about one document."""

    document: Document
    sentences: list[Sentence]
    mentions: list[Mention]
    events: list[Event]
    parse: bytes | None = None  # serialized spaCy Doc, for recoding without parsing
