"""Load the French event patterns (YAML) and the lexicons they refer to."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

from telex.actors.dictionary import DictionaryError
from telex.events.cameo import table
from telex.textnorm import key, load_yaml

DATA = Path(__file__).resolve().parent.parent / "data"
PATTERN_DIR = DATA / "events"
LEXICON_DIR = DATA / "lexicon"

VERB_SOURCE = ("subj",)
VERB_TARGET = ("obj", "iobj", "à")
NOUN_SOURCE = ("de", "poss", "adj", "gov_subj")
NOUN_TARGET = ("avec", "contre", "à", "envers", "auprès de", "sur")
SLOTS = {
    "subj", "obj", "iobj", "poss", "adj", "gov_subj", "gov_obj", "head", "place", "any", "interlocutor",
    "à", "avec", "contre", "de", "sur", "pour", "envers", "auprès de", "vers", "entre", "chez", "par",
    "face à", "aux côtés de", "devant", "en faveur de", "en", "dans", "sans", "pendant", "lors de",
}


@dataclass(frozen=True)
class Pattern:
    id: str
    pos: str  # verb | noun
    lemma: str  # normalised key
    code: str
    requires: tuple[frozenset[str], ...] = ()  # each item: a set of alternative word keys
    excludes: frozenset[str] = frozenset()
    reflexive: bool | None = None
    source: tuple[str, ...] = ()
    target: tuple[str, ...] = ()
    symmetric: bool = False
    if_negated: str | None = None
    implied_target: str | None = None  # 'home_government': protests address the protesters' government
    file: str = ""

    @property
    def specificity(self) -> int:
        return 10 * len(self.requires) + (1 if self.reflexive is not None else 0)


@dataclass
class Lexicon:
    synsets: dict[str, frozenset[str]] = field(default_factory=dict)
    speech_verbs: frozenset[str] = frozenset()
    speech_nouns: frozenset[str] = frozenset()
    negators: frozenset[str] = frozenset()
    negative_determiners: frozenset[str] = frozenset()
    denial_verbs: frozenset[str] = frozenset()
    hypothetical_verbs: frozenset[str] = frozenset()
    intent_verbs: frozenset[str] = frozenset()
    allegation_words: frozenset[str] = frozenset()
    cancel_words: frozenset[str] = frozenset()
    object_control_verbs: frozenset[str] = frozenset()
    agent_nouns: frozenset[str] = frozenset()
    light_verbs: frozenset[str] = frozenset()
    etre_verbs: frozenset[str] = frozenset()
    intent_codes: dict[str, str] = field(default_factory=dict)
    domestic_roots: frozenset[str] = frozenset()
    domestic_agent_roles: frozenset[str] = frozenset()
    domestic_patient_roles: frozenset[str] = frozenset()
    domestic_own_roles: frozenset[str] = frozenset()
    people_nouns: frozenset[str] = frozenset()
    act_nouns: frozenset[str] = frozenset()
    near_words: frozenset[str] = frozenset()
    near_roots: frozenset[str] = frozenset()
    threat_verbs: frozenset[str] = frozenset()
    involvement_nouns: frozenset[str] = frozenset()
    imputing_participles: frozenset[str] = frozenset()
    factive_verbs: frozenset[str] = frozenset()


class PatternBook:
    """Patterns indexed by trigger lemma, plus the lexicons (speech verbs, modality markers)."""

    def __init__(self, patterns: list[Pattern], lexicon: Lexicon, version: str):
        self.patterns = patterns
        self.lexicon = lexicon
        self.version = version
        self.verbs: dict[str, list[Pattern]] = {}
        self.nouns: dict[str, list[Pattern]] = {}
        for pattern in patterns:
            index = self.verbs if pattern.pos == "verb" else self.nouns
            index.setdefault(pattern.lemma, []).append(pattern)
        self.by_id = {p.id: p for p in patterns}

    @classmethod
    def load(cls, extra: Iterable[str | Path] = ()) -> PatternBook:
        extra = list(extra)
        lexicon = load_lexicon()
        files = sorted(PATTERN_DIR.glob("*.yaml")) + [Path(p) for p in extra]
        digest = hashlib.sha1()
        patterns: dict[str, Pattern] = {}
        bundled = len(files) - len(list(extra))
        for number, path in enumerate(files):
            try:
                text = path.read_text(encoding="utf-8")
            except OSError as error:
                raise DictionaryError(f"{path}: cannot read ({error.strerror or error})") from None
            digest.update(text.encode("utf-8"))
            try:
                data = load_yaml(text) or []
            except yaml.YAMLError as error:
                mark = getattr(error, "problem_mark", None)
                raise DictionaryError(f"{path}:{mark.line + 1 if mark else ''} not valid YAML") from None
            if not isinstance(data, list):
                raise DictionaryError(f"{path}: expected a list of patterns")
            for raw in data:
                pattern = _parse_pattern(raw, path, lexicon)
                if pattern.id in patterns and number < bundled:
                    raise DictionaryError(f"{path}: {pattern.id}: id already used in {patterns[pattern.id].file}")
                patterns[pattern.id] = pattern  # a user's pattern with a bundled id replaces it
        return cls(list(patterns.values()), lexicon, digest.hexdigest()[:12])


def _words(raw, where: str, lexicon: Lexicon) -> frozenset[str]:
    out: set[str] = set()
    for item in str(raw).split("|"):
        item = item.strip()
        if item.startswith("@"):
            name = item[1:]
            if name not in lexicon.synsets:
                raise DictionaryError(f"{where}: unknown synset @{name}")
            out |= lexicon.synsets[name]
        elif item:
            out.add(key(item))
    return frozenset(out)


def _implied(raw, where: str) -> str | None:
    if raw is None:
        return None
    if raw != "home_government":
        raise DictionaryError(f"{where}: implied_target must be 'home_government'")
    return str(raw)


def _slots(raw, where: str) -> tuple[str, ...]:
    if raw is None:
        return ()
    items = [raw] if isinstance(raw, str) else list(raw)
    for slot in items:
        if slot not in SLOTS:
            raise DictionaryError(f"{where}: unknown slot {slot!r} (known: {', '.join(sorted(SLOTS))})")
    return tuple(items)


KEYS = {"id", "verb", "noun", "code", "with", "without", "reflexive", "source", "target", "symmetric",
        "if_negated", "implied_target", "example", "note"}


def _parse_pattern(raw, path: Path, lexicon: Lexicon) -> Pattern:
    if not isinstance(raw, dict) or "id" not in raw:
        raise DictionaryError(f"{path}: every pattern needs an 'id'")
    where = f"{path}: {raw['id']}"
    unknown = set(raw) - KEYS
    if unknown:
        raise DictionaryError(f"{where}: unknown key(s) {', '.join(sorted(unknown))}")
    if ("verb" in raw) == ("noun" in raw):
        raise DictionaryError(f"{where}: give exactly one of 'verb' or 'noun'")
    pos = "verb" if "verb" in raw else "noun"
    code = str(raw.get("code", ""))
    if code not in table():
        raise DictionaryError(f"{where}: unknown CAMEO code {code!r}")
    requires = raw.get("with") or []
    if isinstance(requires, str):
        requires = [requires]
    excludes = raw.get("without") or []
    if isinstance(excludes, str):
        excludes = [excludes]
    if_negated = raw.get("if_negated")
    if if_negated is not None and str(if_negated) not in table():
        raise DictionaryError(f"{where}: unknown CAMEO code {if_negated!r} in if_negated")
    reflexive = raw.get("reflexive")
    if reflexive is not None and not isinstance(reflexive, bool):
        raise DictionaryError(f"{where}: 'reflexive' must be true or false")
    return Pattern(
        id=str(raw["id"]),
        pos=pos,
        lemma=key(str(raw[pos])),
        code=code,
        requires=tuple(_words(r, where, lexicon) for r in requires),
        excludes=frozenset().union(*(_words(e, where, lexicon) for e in excludes)) if excludes else frozenset(),
        reflexive=reflexive,
        source=_slots(raw.get("source"), where) or (VERB_SOURCE if pos == "verb" else NOUN_SOURCE),
        target=_slots(raw.get("target"), where) or (VERB_TARGET if pos == "verb" else NOUN_TARGET),
        symmetric=bool(raw.get("symmetric", False)),
        if_negated=str(if_negated) if if_negated is not None else None,
        implied_target=_implied(raw.get("implied_target"), where),
        file=path.name,
    )


@lru_cache(maxsize=1)
def load_lexicon() -> Lexicon:
    synsets_raw = _yaml(LEXICON_DIR / "synsets.yaml")
    synsets = {name: frozenset(key(w) for w in words) for name, words in synsets_raw.items()}
    speech = _yaml(LEXICON_DIR / "speech.yaml")
    modality = _yaml(LEXICON_DIR / "modality.yaml")

    def keys(block: dict, name: str) -> frozenset[str]:
        return frozenset(key(w) for w in block.get(name, []))

    return Lexicon(
        synsets=synsets,
        speech_verbs=keys(speech, "verbs"),
        speech_nouns=keys(speech, "nouns"),
        negators=keys(modality, "negators"),
        negative_determiners=keys(modality, "negative_determiners"),
        denial_verbs=keys(modality, "denial_verbs"),
        hypothetical_verbs=keys(modality, "hypothetical_verbs"),
        intent_verbs=keys(modality, "intent_verbs"),
        allegation_words=keys(modality, "allegation_words"),
        cancel_words=keys(modality, "cancel_words"),
        object_control_verbs=keys(modality, "object_control_verbs"),
        agent_nouns=keys(modality, "agent_nouns"),
        light_verbs=keys(modality, "light_verbs"),
        etre_verbs=keys(modality, "etre_verbs"),
        intent_codes={str(k): str(v) for k, v in (modality.get("intent_codes") or {}).items()},
        domestic_roots=frozenset(str(r) for r in (modality.get("domestic") or {}).get("roots", [])),
        domestic_agent_roles=frozenset((modality.get("domestic") or {}).get("agent_roles", [])),
        domestic_patient_roles=frozenset((modality.get("domestic") or {}).get("patient_roles", [])),
        domestic_own_roles=frozenset((modality.get("domestic") or {}).get("own_roles", [])),
        people_nouns=keys(modality, "people_nouns"),
        act_nouns=keys(modality, "act_nouns"),
        near_words=keys(modality, "near_words"),
        threat_verbs=keys(modality, "threat_verbs"),
        involvement_nouns=keys(modality, "involvement_nouns"),
        imputing_participles=keys(modality, "imputing_participles"),
        factive_verbs=keys(modality, "factive_verbs"),
        near_roots=frozenset(str(r) for r in modality.get("near_roots", [])),
    )


def _yaml(path: Path) -> dict:
    try:
        data = load_yaml(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError:
        raise DictionaryError(f"{path}: not valid YAML") from None
    if not isinstance(data, dict):
        raise DictionaryError(f"{path}: expected a mapping")
    return data


@lru_cache(maxsize=8)
def load_cached(extra: tuple[str, ...] = ()) -> PatternBook:
    return PatternBook.load(extra)
