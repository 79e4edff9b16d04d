"""Turn noun phrases of a parsed sentence into actors.

The resolver works on spaCy's dependency parse: a noun phrase is its head
token and the modifiers that belong to it (adjectives, complements, names in
apposition), never the relative or participial clauses hanging off it.
Composition follows CAMEO: a role word (président, armée, police) combines
with a country (demonym adjective, complement, capital) into country + role;
with a person or an armed group it takes that actor's code.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

from telex.actors.dictionary import ActorDictionary, Entry, Role
from telex.records import Actor, ActorRef, Mention, PartialDate
from telex.textnorm import key

# Dependents that leave the noun phrase: clauses, coordination, punctuation.
_CLAUSE_DEPS = {"acl", "acl:relcl", "advcl", "ccomp", "xcomp", "parataxis", "conj", "cc", "punct", "dep", "mark"}
_PAIR_NOUNS = {
    "pays": None, "capitale": None, "etat": None, "nation": None, "puissance": None, "voisin": None,
    "chef": "GOV", "dirigeant": "GOV", "president": "GOV", "ministre": "GOV", "gouvernement": "GOV",
    "delegation": "GOV", "diplomatie": "GOV", "leader": "GOV", "homologue": "GOV", "dirigeante": "GOV",
}
_QUANTITY = {"millier", "milliers", "dizaine", "dizaines", "centaine", "centaines", "million", "millions", "partie",
             "nombre", "majorite", "foule", "plupart", "groupe", "poignee", "cortege", "vague", "serie"}
_PERSONAL = {"il", "elle", "ils", "elles", "lui", "eux", "celui-ci", "celle-ci", "ceux-ci", "celles-ci"}
_FIRST_PERSON = {"nous", "je", "j'", "on"}
_RELATIVE = {"qui", "que", "qu'", "lequel", "laquelle", "lesquels", "lesquelles", "dont"}
# Nouns that name what a speaker said, not who: "le communiqué de la présidence".
SPEECH_CARRIERS = {
    "communique", "document", "declaration", "texte", "source", "lettre", "message", "annonce", "rapport",
    "compte", "note", "statement", "bilan", "enquete",
}


@dataclass
class NameMatch:
    start: int  # token indices in the Doc, end exclusive
    end: int
    entry: Entry
    text: str


@dataclass
class DocContext:
    """What the resolver remembers while reading one document: who was named, who spoke."""

    date: PartialDate | None
    matches: dict[int, NameMatch] = field(default_factory=dict)  # token index -> match covering it
    last_subjects: list[list[ActorRef]] = field(default_factory=list)
    last_pair: list[Actor] = field(default_factory=list)
    last_speaker: list[ActorRef] = field(default_factory=list)
    ordered: list[NameMatch] = field(default_factory=list)  # every name in text order
    history: list[tuple[int, Actor]] = field(default_factory=list)  # (token index, actor) resolved so far
    dateline: object = None  # the dateline's place once looked up (False: none)
    text: str = ""  # the document text (spaCy rebuilds Doc.text on every access)
    keys: list[str] = field(default_factory=list)  # normalised form of every token
    place_country: str | None = None  # country of the event being coded, when its sentence says where
    ents: list[Span] | None = None  # the doc's entities, read once (spaCy builds them anew on each access)

    def names_before(self, index: int, kinds: set[str]) -> list[NameMatch]:
        return [m for m in self.ordered if m.start < index and m.entry.kind in kinds]

    def remember_subject(self, refs: list[ActorRef]) -> None:
        refs = [r for r in refs if r.actor is not None]
        if refs:
            self.last_subjects.append(refs)
            self.last_subjects = self.last_subjects[-4:]
            self.remember_group([r.actor for r in refs])

    def remember_group(self, actors: list[Actor]) -> None:
        distinct: list[Actor] = []
        for actor in actors:
            if actor is not None and all(a.country_level != actor.country_level for a in distinct):
                distinct.append(actor)
        if len(distinct) >= 2:
            self.last_pair = distinct[:2]


class ActorResolver:
    def __init__(self, book: ActorDictionary):
        self.book = book

    # -- names -------------------------------------------------------------------
    def find_names(self, doc: Doc | Span | list[Token], when: PartialDate | None, keys: list[str] | None = None,
                   text: str | None = None) -> list[NameMatch]:
        """Longest dictionary names in the text, left to right, not overlapping (`text`: the whole doc's text,
        when the caller has it already)."""
        tokens = doc if isinstance(doc, list) else list(doc)
        keys = keys if keys is not None else [key(t.text) for t in tokens]
        text = text if text is not None else tokens[0].doc.text if tokens else ""  # built on each access: read once
        out: list[NameMatch] = []
        i = 0
        while i < len(tokens):
            if tokens[i].is_space or tokens[i].is_punct and tokens[i].text not in {"("}:
                i += 1
                continue
            found = None
            for length in self.book.lengths_by_first.get(keys[i], ()):
                if i + length > len(tokens):
                    continue
                entry = self.book.lookup(tuple(keys[i : i + length]), when)
                if entry is not None:
                    found = (length, entry)
                    break
            if found is None:
                i += 1
                continue
            length, entry = found
            first, last = tokens[i], tokens[i + length - 1]
            if length == 1 and not first.text.isupper() and self.book.acronym_only((keys[i],)):
                i += 1
                continue
            if entry.kind != "organisation" and not any(
                    t.text[:1].isupper() or t.text[:1].isdigit() for t in tokens[i : i + length]):
                i += 1  # a name is capitalised: 'la poutine', 'la maison blanche', 'niger' are words
                continue  # (groups are often written in lower case: 'les talibans', 'les houthis')
            out.append(NameMatch(first.i, last.i + 1, entry, text[first.idx : last.idx + len(last)]))
            i += length
        return out

    def start_document(self, doc: Doc, when: PartialDate | None, text: str | None = None) -> DocContext:
        """`text`: the document's text when the caller has it (spaCy rebuilds `Doc.text` token by token)."""
        tokens = list(doc)
        ctx = DocContext(date=when, text=doc.text if text is None else text, keys=[key(t.text) for t in tokens])
        for match in self.find_names(tokens, when, ctx.keys, ctx.text):
            ctx.ordered.append(match)
            for i in range(match.start, match.end):
                ctx.matches[i] = match
        return ctx

    def mentions(self, doc: Doc, ctx: DocContext, doc_id: str, sent_index: int, sent: Span) -> list[Mention]:
        """Every name in the sentence, resolved or not: unresolved names are kept, never dropped."""
        out: list[Mention] = []
        seen: set[int] = set()
        for token in sent:
            match = ctx.matches.get(token.i)
            if match is None or match.start in seen:
                continue
            seen.add(match.start)
            actor = self.actor_of(match.entry, ctx.date, match.text)
            start = doc[match.start].idx
            out.append(Mention(doc_id, sent_index, start, start + len(match.text), match.text, "resolved", actor))
        if ctx.ents is None:
            ctx.ents = list(doc.ents)
        for ent in ctx.ents:  # what `sent.ents` gives, without building every entity of the doc per sentence
            if ent.start < sent.start:
                continue
            if ent.end > sent.end:
                break
            if ent.label_ not in {"PER", "ORG", "LOC"}:
                continue
            if any(i in ctx.matches for i in range(ent.start, ent.end)):
                continue
            if ent.label_ == "LOC" and ent.root.dep_ in {"obl:mod", "nmod"} and self._is_place_complement(ent.root):
                continue  # 'à Genève', 'en Europe': a place, not an actor
            out.append(Mention(doc_id, sent_index, ent.start_char, ent.end_char, ent.text, "unresolved", None, ent.label_))
        return out

    @staticmethod
    def _is_place_complement(token: Token) -> bool:
        return any(c.dep_ == "case" and key(c.text) in {"a", "en", "au", "aux", "dans", "vers", "pres"} for c in token.children)

    # -- actors ------------------------------------------------------------------
    def actor_of(self, entry: Entry, when: PartialDate | None, text: str = "") -> Actor:
        code = entry.code_at(when)
        country, role = split_code(code)
        return Actor(code=code, country=country, role=role, name=entry.name, entry_id=entry.id)

    def compose(self, base: Actor, role: Role) -> Actor:
        """A role word applied to an actor: country + role for a state (`l'armée turque` -> TURMIL),
        the actor's own code for a person or an organisation (`les forces du GNA` -> LBYGOV)."""
        state = base.entry_id.startswith("C-") or base.entry_id == "demonym"
        if state and base.country and len(base.country) == 3:
            code = f"{base.country}{role.role}"
            return Actor(code, base.country, role.role, base.name, f"{base.entry_id}+{role.id}")
        return Actor(base.code, base.country, base.role, base.name, f"{base.entry_id}+{role.id}")

    def role_of(self, token: Token, ctx: DocContext) -> Role | None:
        if token.i in ctx.matches:
            return None
        keys = ctx.keys or [key(t.text) for t in token.doc]
        for length in range(min(self.book.max_len, 6), 1, -1):
            for start in range(token.i - length + 1, token.i + 1):
                if start < 0 or start + length > len(keys):
                    continue
                role = self.book.role_phrases.get(tuple(keys[start : start + length]))
                if role is not None:
                    return role
        return self.book.role_words.get(key(token.lemma_)) or self.book.role_words.get(keys[token.i])

    def np_tokens(self, head: Token) -> list[Token]:
        out = [head]
        stack = [c for c in head.children if c.dep_ not in _CLAUSE_DEPS]
        while stack:
            token = stack.pop()
            out.append(token)
            stack.extend(c for c in token.children if c.dep_ not in _CLAUSE_DEPS)
        return sorted(out, key=lambda t: t.i)

    def demonym_countries(self, head: Token, ctx: DocContext) -> list[Actor]:
        """Countries named by adjectives in the phrase, coordinated ones included (turque et russe).

        The head's own adjectives come first; then those inside its complements
        (`le secrétaire d'État américain`, where the parser hangs the adjective on `État`).
        """
        tokens = sorted(self.np_tokens(head), key=lambda t: (t.head.i != head.i, abs(t.i - head.i)))
        out = []
        for token in tokens:
            if token.i == head.i or token.dep_ not in {"amod", "nmod", "appos", "flat:name"}:
                continue
            if token.pos_ not in {"ADJ", "NOUN", "VERB", "PROPN"}:
                continue
            for adj in [token] + [c for c in token.children if c.dep_ == "conj"]:
                entry = self.book.demonyms.get(key(adj.text))
                if entry is not None:
                    out.append(self.actor_of(entry, ctx.date))
            if out and token.head.i == head.i:
                break
        return out

    @staticmethod
    def quantified(head: Token) -> Token:
        """`des milliers de manifestants`, `une partie des soldats`: the phrase is about its complement."""
        for _ in range(3):  # 'des dizaines de milliers de manifestants'
            if key(head.lemma_) not in _QUANTITY:
                break
            inner = next((c for c in head.children if c.dep_ == "nmod"
                          and any(key(c2.text) in {"de", "d'", "des", "du"} for c2 in c.children)), None)
            if inner is None:
                break
            head = inner
        return head

    def resolve_np(self, head: Token, ctx: DocContext, deep: bool = False) -> list[Actor]:
        """The actors one noun phrase names (several for `les délégations turque et russe`)."""
        head = self.quantified(head)
        match = ctx.matches.get(head.i)
        if match is not None:
            if self.names_a_thing(match, head.doc, ctx):
                return []
            return [self.actor_of(match.entry, ctx.date)]
        tokens = self.np_tokens(head)
        inner = {t.i for t in tokens}
        names = []
        seen: set[int] = set()
        for t in tokens:
            m = ctx.matches.get(t.i)
            if m is not None and m.start not in seen and all(i in inner for i in range(m.start, m.end)):
                seen.add(m.start)
                if not self.names_a_thing(m, head.doc, ctx):
                    names.append(m)
        persons = [m for m in names if m.entry.kind == "person"]
        role = self.role_of(head, ctx)
        if persons:
            best = min(persons, key=lambda m: abs(m.start - head.i))
            actor = self.actor_of(best.entry, ctx.date)
            owned = any(key(c.text) in {"de", "d'", "du"} for c in head.doc[best.start].children)
            if role is not None and actor.role == "GOV" and role.role not in {"GOV"} and actor.country and owned:
                # 'l'armée de Poutine': the leader's state, with the role of the head noun
                return [Actor(actor.country + role.role, actor.country, role.role, actor.name,
                              f"{actor.entry_id}+{role.id}")]
            return [actor]
        if role is not None:
            # 'l'ambassade de France à Niamey': the owner, not the place where it stands
            owned = [m for m in names if not self._is_place_complement(head.doc[m.start])]
            owners = [self.actor_of(m.entry, ctx.date) for m in owned]
            if not owners:  # 'les forces russes en Ukraine': the demonym, not where they are
                owners = self.demonym_countries(head, ctx) or [self.actor_of(m.entry, ctx.date) for m in names]
            if not owners:
                owners = self.demonym_countries(head, ctx)
            if not owners:
                pair = self._pair(head, ctx, role.role)
                if pair:
                    return pair
                return self._same_role_before(head, ctx, role)
            found = [self.compose(o, role) for o in _distinct(owners)]
            ctx.history.extend((head.i, a) for a in found)
            return found
        pair = self._pair(head, ctx, None)
        if pair:
            return pair
        if names:
            best = min(names, key=lambda m: abs(m.start - head.i))
            return [self.actor_of(best.entry, ctx.date)]
        demonyms = self.demonym_countries(head, ctx)
        if demonyms and head.pos_ in {"NOUN", "PROPN"}:
            return _distinct(demonyms)
        people = self.book.demonyms.get(key(head.text)) if head.text[:1].isupper() else None
        if people is not None:  # 'des milliers d'Israéliens', 'les Biélorusses'
            return [self.actor_of(people, ctx.date)]
        if deep:
            for token in head.subtree:
                m = ctx.matches.get(token.i)
                if m is not None:
                    return [self.actor_of(m.entry, ctx.date)]
                r = self.role_of(token, ctx) if token.pos_ == "NOUN" else None
                if r is not None:
                    found = self.resolve_np(token, ctx)
                    if found:
                        return found
        return []

    def names_a_thing(self, match: NameMatch, doc: Doc, ctx: DocContext) -> bool:
        """`la Conférence de Berlin`, `les accords de Minsk`: a capital that names an event or a
        treaty after `de` is part of a name, not an actor."""
        if match.entry.kind != "capital":
            return False
        root = doc[match.start]
        head = root.head
        return (root.dep_ == "nmod" and head.pos_ in {"NOUN", "PROPN"} and head.i not in ctx.matches
                and self.role_of(head, ctx) is None and any(key(c.text) in {"de", "d'"} for c in root.children))

    def _same_role_before(self, head: Token, ctx: DocContext, role: Role) -> list[Actor]:
        """`le gouvernement`, `l'armée` with no country: the last actor of that role in the document."""
        definite = any(c.dep_ == "det" and key(c.text) in {"le", "la", "l'", "les"} for c in head.children)
        bare = all(c.dep_ in {"det", "punct"} for c in head.children)  # 'le gouvernement', not 'le gouvernement d'union'
        if not definite or not bare or "Plur" in head.morph.get("Number") and role.role == "GOV":
            return []
        for index, actor in reversed(ctx.history):
            if index < head.i and actor.role == role.role and actor.country:
                return [Actor(actor.code, actor.country, actor.role, actor.name, actor.entry_id + "+coreference")]
        return []

    def _pair(self, head: Token, ctx: DocContext, role: str | None) -> list[Actor]:
        """`les deux pays`, `les deux chefs d'Etat`: the last two actors the document paired."""
        if not any(c.dep_ == "nummod" and key(c.text) in {"deux", "2"} for c in head.children):
            return []
        lemma = key(head.lemma_)
        if lemma not in _PAIR_NOUNS:
            return []
        suffix = role if role is not None else _PAIR_NOUNS[lemma]
        candidates: list[Actor] = []
        if suffix == "GOV":  # two leaders: the last two people of different countries
            for match in reversed(ctx.names_before(head.i, {"person"})):
                actor = self.actor_of(match.entry, ctx.date)
                if actor.country and all(a.country != actor.country for a in candidates):
                    candidates.append(actor)
                if len(candidates) == 2:
                    break
        if len(candidates) < 2:
            candidates = list(ctx.last_pair)
        if len(candidates) < 2:
            candidates = []
            for match in reversed(ctx.names_before(head.i, {"country", "capital", "person", "seat"})):
                actor = self.actor_of(match.entry, ctx.date)
                if actor.country and all(a.country != actor.country for a in candidates):
                    candidates.append(actor)
                if len(candidates) == 2:
                    break
        if len(candidates) < 2:
            return []
        out = []
        for actor in candidates:
            if actor.country and len(actor.country) == 3 and not actor.code.startswith(("IGO", "NGO")):
                code = actor.country + (suffix or "")
                out.append(Actor(code, actor.country, suffix, actor.name, actor.entry_id + "+pair"))
            else:
                out.append(actor)
        return out

    # -- arguments ---------------------------------------------------------------
    def resolve_argument(self, head: Token, ctx: DocContext, speaker: list[ActorRef] | None = None) -> list[ActorRef]:
        """Resolve an argument slot: coordination, pronouns and relatives included."""
        refs: list[ActorRef] = []
        conjuncts = [c for c in head.conjuncts if c.i > head.i]
        for child in head.children:  # 'le président turc Recep Tayyip Erdogan et son homologue américain'
            if child.dep_ in {"appos", "flat:name", "nmod"} and child.pos_ == "PROPN":
                conjuncts += [c for c in child.children if c.dep_ == "conj" and c.pos_ in {"NOUN", "PROPN"}]
        left = self._orphan_left_conjunct(head, ctx)
        if left is not None:
            conjuncts.insert(0, left)
        for conjunct in [head] + conjuncts:
            refs.extend(self._resolve_one(conjunct, ctx, speaker))
        return refs

    def _orphan_left_conjunct(self, head: Token, ctx: DocContext) -> Token | None:
        """`Paris et Berlin ont appelé`: the parser sometimes leaves the first name as a root of its own.
        A name right before `et` + this argument, attached to nothing else, is its coordinated partner."""
        first = min(t.i for t in self.np_tokens(head))
        doc = head.doc
        if first < 2 or key(doc[first - 1].text) != "et" or (first - 2) not in ctx.matches:
            return None
        match = ctx.matches[first - 2]
        root = next((doc[i] for i in range(match.start, match.end)
                     if not match.start <= doc[i].head.i < match.end or doc[i].head.i == i), None)
        if root is None or not (root.dep_ in {"ROOT", "dep"} and root.head.i == root.i or root.dep_ == "dep"):
            return None
        return root

    def _governing_subject(self, pronoun: Token, ctx: DocContext, plural: bool) -> list[ActorRef]:
        """`La Turquie a annoncé qu'elle ...`: a pronoun in a complement clause is the main clause's subject."""
        verb = pronoun.head
        for _ in range(4):
            if verb.dep_ not in {"ccomp", "xcomp", "advcl", "conj", "parataxis"} or verb.head.i == verb.i:
                return []
            verb = verb.head
            for child in verb.children:
                if child.dep_ in {"nsubj", "nsubj:pass"} and child.pos_ != "PRON":
                    refs = [r for r in self.resolve_argument(child, ctx) if r.actor is not None]
                    if refs and plural == (len(refs) > 1):
                        return refs
        return []

    def span_ref(self, head: Token, actors: list[Actor], via: str, ctx: DocContext | None = None) -> list[ActorRef]:
        tokens = self.np_tokens(head)
        start, end = tokens[0].idx, tokens[-1].idx + len(tokens[-1])
        text = (ctx.text if ctx is not None and ctx.text else head.doc.text)[start:end]
        return [ActorRef(text, start, end, actor, via) for actor in actors]

    def _resolve_one(self, head: Token, ctx: DocContext, speaker: list[ActorRef] | None) -> list[ActorRef]:
        lower = key(head.text)
        if head.pos_ == "PRON" or lower in _PERSONAL | _FIRST_PERSON | _RELATIVE:
            if lower in _FIRST_PERSON:
                return [ActorRef(head.text, head.idx, head.idx + len(head), r.actor, "speaker") for r in speaker or []]
            if lower in _RELATIVE:
                antecedent = head.head.head if head.head.dep_.startswith("acl") else None
                if antecedent is not None and antecedent.i != head.i:
                    refs = self._resolve_one(antecedent, ctx, speaker)
                    return [ActorRef(r.text, r.start, r.end, r.actor, "relative") for r in refs]
                return []
            plural = lower.endswith("s") or "Plur" in head.morph.get("Number")
            if lower in _PERSONAL:
                governing = self._governing_subject(head, ctx, plural)
                if governing:
                    return [ActorRef(head.text, head.idx, head.idx + len(head), r.actor, "coreference")
                            for r in governing]
            if lower in _PERSONAL and ctx.last_subjects:
                for group in reversed(ctx.last_subjects):
                    if plural == (len(group) > 1):
                        return [ActorRef(head.text, head.idx, head.idx + len(head), r.actor, "coreference") for r in group]
                if plural and len(ctx.last_pair) >= 2:
                    return [ActorRef(head.text, head.idx, head.idx + len(head), a, "coreference") for a in ctx.last_pair]
            return []
        actors = self.resolve_np(head, ctx)
        if not actors and head.dep_ == "appos":
            actors = self.resolve_np(head.head, ctx)
        return self.span_ref(head, actors, "direct", ctx)


def _distinct(actors: list[Actor]) -> list[Actor]:
    out: list[Actor] = []
    for actor in actors:
        if all(a.code != actor.code for a in out):
            out.append(actor)
    return out


def split_code(code: str) -> tuple[str | None, str | None]:
    """TURGOV -> (TUR, GOV); IGOUNO -> (None, None); LBY -> (LBY, None)."""
    if code.startswith(("IGO", "NGO", "IMG", "MNC")):
        return None, None
    country = code[:3] if len(code) >= 3 else None
    role = code[3:6] or None
    return country, role
