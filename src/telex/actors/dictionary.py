"""Load the actor dictionaries (YAML) into lookup tables keyed by normalised tokens."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

from telex.records import PartialDate
from telex.textnorm import key, load_yaml

DATA_DIR = Path(__file__).resolve().parent.parent / "data" / "actors"


class DictionaryError(ValueError):
    """A dictionary file that cannot be used, with the file and the problem in one line."""


@dataclass(frozen=True)
class Office:
    code: str
    start: dt.date | None
    end: dt.date | None
    title: str = ""


@dataclass
class Entry:
    """One thing a name can point at: a country, capital, seat of power, person or organisation."""

    id: str
    kind: str  # country, capital, seat, person, organisation
    code: str
    name: str
    country: str | None = None
    offices: list[Office] = field(default_factory=list)
    default: str | None = None
    start: dt.date | None = None
    end: dt.date | None = None
    org_kind: str | None = None
    aliases: list[str] = field(default_factory=list)  # every name indexed for this entry

    def valid_at(self, when: PartialDate | None) -> bool:
        if when is None or (self.start is None and self.end is None):
            return True
        day = _as_date(when)
        return (self.start is None or self.start <= day) and (self.end is None or day < self.end)

    def code_at(self, when: PartialDate | None) -> str:
        if self.kind != "person":
            return self.code
        if not self.offices:
            return self.default or self.code
        if when is None:
            current = [o for o in self.offices if o.end is None]
            return (current or sorted(self.offices, key=lambda o: o.start or dt.date.min))[-1].code
        day = _as_date(when)
        for office in self.offices:
            if (office.start is None or office.start <= day) and (office.end is None or day < office.end):
                return office.code
        return self.default or f"{self.country}ELI" if self.country else (self.default or self.code)


@dataclass(frozen=True)
class Role:
    id: str
    role: str
    word: str


def _as_date(when: PartialDate) -> dt.date:
    return dt.date(when.year, when.month or 7, when.day or 15)


def _date(value, where: str) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.date):
        return value
    parsed = PartialDate.parse(str(value))
    if parsed is None:
        raise DictionaryError(f"{where}: bad date {value!r} (expected YYYY-MM-DD)")
    return dt.date(parsed.year, parsed.month or 1, parsed.day or 1)


def _names(raw, where: str) -> list[str]:
    if raw is None:
        return []
    if isinstance(raw, str):
        return [raw]
    if not isinstance(raw, list) or not all(isinstance(n, (str, int)) for n in raw):
        raise DictionaryError(f"{where}: names must be a list of strings")
    return [str(n) for n in raw]


class ActorDictionary:
    """All actor entries, indexed by the token sequence of each of their names."""

    def __init__(self) -> None:
        self.entries: dict[str, Entry] = {}
        self.names: dict[tuple[str, ...], list[Entry]] = {}
        self.demonyms: dict[str, Entry] = {}
        self.role_words: dict[str, Role] = {}
        self.role_phrases: dict[tuple[str, ...], Role] = {}
        self.role_ids: set[str] = set()
        self.max_len = 1
        self.lengths_by_first: dict[str, list[int]] = {}  # first token -> name lengths, longest first
        self.written: dict[tuple[str, ...], set[str]] = {}  # how each name is written in the dictionaries
        self.sources: list[str] = []
        self._tokenizer = _tokenizer()

    # -- loading -----------------------------------------------------------------
    @classmethod
    def load(cls, extra: Iterable[str | Path] = ()) -> ActorDictionary:
        """The bundled dictionaries, then each user file (later files override earlier ones)."""
        book = cls()
        for path in sorted(DATA_DIR.glob("*.yaml")):
            book.add_file(path, bundled=True)
        for path in extra:
            book.add_file(Path(path))
        return book

    def add_file(self, path: Path, bundled: bool = False) -> None:
        """Add a dictionary file. In the bundled files an id may appear once; a user's file
        may reuse a bundled id on purpose, to replace that entry."""
        try:
            data = load_yaml(path.read_text(encoding="utf-8"))
        except OSError as error:
            raise DictionaryError(f"{path}: cannot read ({error.strerror or error})") from None
        except yaml.YAMLError as error:
            mark = getattr(error, "problem_mark", None)
            line = f" line {mark.line + 1}" if mark else ""
            raise DictionaryError(f"{path}:{line} not valid YAML") from None
        if data is None:
            return
        if not isinstance(data, list):
            raise DictionaryError(f"{path}: expected a list of entries")
        for number, raw in enumerate(data, start=1):
            where = f"{path}: entry {number}"
            if not isinstance(raw, dict) or "id" not in raw:
                raise DictionaryError(f"{where}: each entry needs an 'id'")
            if bundled and (str(raw["id"]) in self.entries or str(raw["id"]) in self.role_ids):
                raise DictionaryError(f"{path}: {raw['id']}: id already used in another bundled entry")
            self._add_entry(raw, f"{path}: {raw['id']}")
        self.sources.append(str(path))

    def _add_entry(self, raw: dict, where: str) -> None:
        entry_id = str(raw["id"])
        if "role" in raw and "words" in raw:
            self.role_ids.add(entry_id)
            for word in _names(raw["words"], where):
                self._add_role(Role(entry_id, str(raw["role"]), word))
            return
        if "iso2" in raw or "demonyms" in raw or "capitals" in raw:
            self._add_country(raw, where)
            return
        if "offices" in raw or entry_id.startswith("P-"):
            self._add_person(raw, where)
            return
        code = raw.get("code")
        if not code:
            raise DictionaryError(f"{where}: missing 'code'")
        names = _names(raw.get("names"), where) + _names(raw.get("english"), where)
        entry = Entry(
            id=entry_id, kind="organisation", code=str(code), name=(names or [entry_id])[0],
            country=str(raw.get("country") or "") or None, start=_date(raw.get("start"), where),
            end=_date(raw.get("end"), where), org_kind=raw.get("kind"),
        )
        self._index(entry, names)

    def _add_country(self, raw: dict, where: str) -> None:
        code = str(raw.get("code") or "")
        if not code:
            raise DictionaryError(f"{where}: missing 'code'")
        names = _names(raw.get("names"), where) + _names(raw.get("english"), where)
        country = Entry(id=str(raw["id"]), kind="country", code=code, name=(names or [code])[0], country=code)
        self._index(country, names)
        for demonym in _names(raw.get("demonyms"), where):
            self.demonyms[key(demonym)] = country
        capitals = _names(raw.get("capitals"), where)
        if capitals:
            capital = Entry(id=f"{raw['id']}/capital", kind="capital", code=code, name=country.name, country=code)
            self._index(capital, capitals)
        seats = _names(raw.get("seats"), where)
        if seats:
            seat = Entry(id=f"{raw['id']}/seat", kind="seat", code=f"{code}GOV", name=country.name, country=code)
            self._index(seat, seats)

    def _add_person(self, raw: dict, where: str) -> None:
        offices = []
        for office in raw.get("offices") or []:
            if not isinstance(office, dict) or not office.get("code"):
                raise DictionaryError(f"{where}: each office needs a 'code'")
            offices.append(
                Office(str(office["code"]), _date(office.get("start"), where), _date(office.get("end"), where),
                       str(office.get("title") or ""))
            )
        country = raw.get("country")
        name = str(raw.get("name") or raw["id"])
        code = offices[-1].code if offices else str(raw.get("default") or raw.get("code") or f"{country}ELI")
        entry = Entry(
            id=str(raw["id"]), kind="person", code=code, name=name, country=str(country) if country else None,
            offices=offices, default=raw.get("default") or raw.get("code"),
        )
        self._index(entry, [name] + _names(raw.get("aliases"), where))

    def _add_role(self, role: Role) -> None:
        tokens = self.tokens(role.word)
        if len(tokens) == 1:
            self.role_words[tokens[0]] = role
        else:
            self.role_phrases[tokens] = role
            self.max_len = max(self.max_len, len(tokens))

    def _index(self, entry: Entry, names: list[str]) -> None:
        previous = self.entries.get(entry.id)
        if previous is not None:  # a user entry with the same id replaces the bundled one
            for bucket in self.names.values():
                bucket[:] = [e for e in bucket if e.id != entry.id]
        self.entries[entry.id] = entry
        entry.aliases = list(names)
        for name in names:
            tokens = self.tokens(name)
            if not tokens:
                continue
            self.written.setdefault(tokens, set()).add(name)
            bucket = self.names.setdefault(tokens, [])
            bucket[:] = [e for e in bucket if e.id != entry.id]
            bucket.append(entry)
            self.max_len = max(self.max_len, len(tokens))
            lengths = self.lengths_by_first.setdefault(tokens[0], [])
            if len(tokens) not in lengths:
                lengths.append(len(tokens))
                lengths.sort(reverse=True)

    # -- lookups -----------------------------------------------------------------
    def tokens(self, text: str) -> tuple[str, ...]:
        return tuple(key(t.text) for t in self._tokenizer(text) if not t.is_space)

    def lookup(self, tokens: tuple[str, ...], when: PartialDate | None) -> Entry | None:
        """The entry a name points at on a date; later (user) entries win over earlier ones."""
        bucket = self.names.get(tokens)
        if not bucket:
            return None
        valid = [e for e in bucket if e.valid_at(when)]
        return (valid or [])[-1] if valid else None

    def acronym_only(self, tokens: tuple[str, ...]) -> bool:
        """Two-letter acronyms (UN, UA, EI) match only in capitals: 'Un séisme' is no UN, while
        'l'Onu' is the ONU."""
        forms = self.written.get(tokens, ())
        return bool(forms) and all(f.isupper() and len(f) <= 2 for f in forms)

    def stats(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for entry in self.entries.values():
            counts[entry.kind] = counts.get(entry.kind, 0) + 1
        counts["name"] = len(self.names)
        counts["demonym"] = len(self.demonyms)
        counts["role word"] = len(self.role_words) + len(self.role_phrases)
        return counts


@lru_cache(maxsize=1)
def _tokenizer():
    import spacy

    return spacy.blank("fr").tokenizer


@lru_cache(maxsize=8)
def load_cached(extra: tuple[str, ...] = ()) -> ActorDictionary:
    return ActorDictionary.load(extra)
