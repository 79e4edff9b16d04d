"""Query parameters and responses of the JSON API, as Pydantic models so the OpenAPI description says what each
parameter accepts and what each endpoint returns."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from telex.serving.queries import MAX_LIMIT, Filters

CODE = r"^[A-Z0-9]{3,15}$"
DATE = r"^\d{4}(-\d{2}(-\d{2})?)?$"


class FilterParams(BaseModel):
    """Filters shared by every event endpoint; all optional, combined with AND."""

    actor: str | None = Field(None, pattern=CODE, description="actor code (a state also matches its "
                              "government: TUR matches TURGOV), as source, target or either (see side)")
    country: str | None = Field(None, pattern=r"^[A-Z]{3}$", description="ISO3 country of the source or target actor")
    side: Literal["source", "target", "either"] = Field("either", description="where actor and country must appear")
    source: str | None = Field(None, pattern=CODE, description="source actor code")
    target: str | None = Field(None, pattern=CODE, description="target actor code")
    cameo: str | None = Field(None, pattern=r"^\d{2,4}$", description="exact CAMEO code, e.g. 042")
    root: str | None = Field(None, pattern=r"^\d{2}$", description="CAMEO root, 01 to 20")
    quad: int | None = Field(None, ge=1, le=4, description="quad class: 1 verbal coop, 2 material coop, "
                                                            "3 verbal conflict, 4 material conflict")
    modality: Literal["asserted", "negated", "hypothetical", "future", "reported"] | None = None
    date_from: str | None = Field(None, pattern=DATE, description="YYYY, YYYY-MM or YYYY-MM-DD (inclusive)")
    date_to: str | None = Field(None, pattern=DATE, description="YYYY, YYYY-MM or YYYY-MM-DD (inclusive)")
    place: str | None = Field(None, max_length=100, description="place name (substring) or ISO3 country of the place")
    doc: str | None = Field(None, max_length=200, description="document id")
    q: str | None = Field(None, max_length=200, description="text search in the sentence and the trigger")

    def filters(self) -> Filters:
        return Filters(**{k: getattr(self, k) for k in Filters.__dataclass_fields__})


class EventQuery(FilterParams):
    limit: int = Field(50, ge=1, le=MAX_LIMIT, description=f"page size, at most {MAX_LIMIT}")
    offset: int = Field(0, ge=0, le=10_000_000)
    sort: Literal["date", "cameo", "root", "goldstein", "quad_class", "source", "target", "doc", "event_id",
                  "modality", "place"] = "date"
    order: Literal["asc", "desc"] = "asc"


class ExportQuery(FilterParams):
    max_rows: int = Field(100_000, ge=1, le=1_000_000, description="rows to export at most")


class TimelineQuery(FilterParams):
    interval: Literal["day", "week", "month", "year"] = "month"


class CountsQuery(FilterParams):
    by: Literal["root", "quad_class", "cameo", "modality", "plover", "rule", "place_country"] = "root"


class PairsQuery(FilterParams):
    limit: int = Field(100, ge=1, le=MAX_LIMIT)


class NetworkQuery(FilterParams):
    max_nodes: int = Field(30, ge=2, le=200)
    max_edges: int = Field(200, ge=1, le=MAX_LIMIT)


class Page(BaseModel):
    limit: int = Field(50, ge=1, le=MAX_LIMIT)
    offset: int = Field(0, ge=0, le=10_000_000)
    q: str | None = Field(None, max_length=200)


class ApiError(BaseModel):
    error: str
    detail: list | None = None


class EventRow(BaseModel):
    event_id: str
    doc_id: str
    sent_index: int | None
    date: str | None
    date_precision: str | None
    source_code: str | None
    source_name: str | None
    source_text: str | None
    target_code: str | None
    target_name: str | None
    target_text: str | None
    cameo: str
    root: str
    quad_class: int
    goldstein: float | None
    plover: str | None
    modality: str
    rule: str | None
    trigger: str | None
    place_name: str | None
    place_country: str | None
    sentence: str
    char_start: int | None
    trigger_start: int | None
    trigger_end: int | None
    source_start: int | None
    source_end: int | None
    target_start: int | None
    target_end: int | None


class EventPage(BaseModel):
    total: int
    limit: int
    offset: int
    sort: str
    order: str
    items: list[EventRow]


class Span(BaseModel):
    kind: Literal["trigger", "source", "target"]
    start: int
    end: int
    text: str | None


class Bucket(BaseModel):
    period: str
    q1: int
    q2: int
    q3: int
    q4: int
    cooperation: int
    conflict: int
    total: int
    goldstein: float


class Timeline(BaseModel):
    interval: str
    buckets: list[Bucket]


class Count(BaseModel):
    key: str | int | None
    name: str | None
    count: int
    goldstein: float


class Counts(BaseModel):
    by: str
    counts: list[Count]


class Pair(BaseModel):
    source: str
    target: str
    count: int
    quads: dict[str, int]
    quad: int = Field(description="dominant quad class")
    goldstein: float = Field(description="sum of Goldstein scores")


class Pairs(BaseModel):
    pairs: list[Pair]


class Node(BaseModel):
    id: str
    count: int
    name: str | None


class Network(BaseModel):
    nodes: list[Node]
    edges: list[Pair]


class Place(BaseModel):
    name: str | None
    country: str | None
    lat: float
    lon: float
    count: int
    cooperation: int
    conflict: int


class Places(BaseModel):
    places: list[Place]


class ActorCount(BaseModel):
    code: str
    name: str | None
    count: int


class Summary(BaseModel):
    filters: dict
    events: int
    documents: int
    first_date: str | None
    last_date: str | None
    cooperation: int
    conflict: int
    goldstein: float
    corpus: dict[str, int]
    by_quad: list[Count]
    by_root: list[Count]
    top_actors: list[ActorCount]
    top_pairs: list[Pair]


class Actor(BaseModel):
    code: str
    name: str | None
    country: str | None
    mentions: int
    aliases: list[str]
    as_source: int
    as_target: int


class ActorPage(BaseModel):
    total: int
    limit: int
    offset: int
    items: list[Actor]
