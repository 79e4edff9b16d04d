"""Code events from a parsed document: match patterns, fill their slots, decide modality.

A trigger is a verb or a predicative noun whose lemma has patterns. The most
specific pattern whose required words are present wins. Its slots (subject,
object, prepositional complements, possessive, demonym adjective, the
subject of the governing verb for nominal predicates) are read off the
dependency parse and resolved to actors; coordination gives one event per
actor, symmetric predicates give both directions, and first-person sources
inside reported speech are the speaker.
"""

from __future__ import annotations

import re

from spacy.tokens import Doc, Span, Token

from telex import event_dates
from telex.actors.dictionary import Role
from telex.actors.resolver import SPEECH_CARRIERS, ActorResolver, DocContext
from telex.events.cameo import lookup
from telex.events.patterns import Pattern, PatternBook
from telex.ingest.boilerplate import is_boilerplate
from telex.places import Gazetteer
from telex.records import Actor, ActorRef, Document, Event, Mention, Place, Sentence
from telex.textnorm import key, lemma_keys

_ARG_DEPS = {"obl", "obl:arg", "obl:mod", "nmod", "iobj", "obl:agent", "obj"}
_REFLEXIVE = {"se", "s'", "me", "m'", "nous", "vous", "te", "t'"}
CANDIDATE_CACHE_ENTRIES = 100_000
_PLACE_CASES = {"a", "en", "au", "aux", "dans", "vers"}
_TEMPORAL = set(event_dates.WEEKDAYS) | {"hier", "aujourd'hui", "demain", "soir", "matin", "avant-hier"}
_PREP_HEADS = {"aupres", "pres", "autour", "face", "lors", "loin", "hors", "grace", "quant", "jusqu'"}
_PLACE_PREPS = {"a", "en", "dans", "pres de", "vers", "depuis", "de", "sur"}
_PLACE_NOUNS = {"porte", "abord", "environ", "region", "frontiere", "large", "banlieue", "peripherie", "centre",
                "nord", "sud", "est", "ouest", "province", "ville", "capitale", "cote", "port", "sud-est", "nord-est"}
_DATELINE = re.compile(r"^\W*([A-ZÉÈ][A-ZÉÈÀÂÎÔÛ' -]{2,40})(?:,| \()")
_CONTRACTIONS = {"au": "a", "aux": "a", "du": "de", "des": "de", "d'": "de", "a": "a"}
_CLAUSAL = {"advcl", "ccomp", "acl:relcl", "parataxis", "conj", "csubj", "nsubj", "nsubj:pass"}
_TIME_NOUNS = {"nuit", "semaine", "week-end", "journee", "mois", "annee", "veille", "lendemain", "aube", "midi",
               "apres-midi", "heure", "heures", "jour", "jours"}
_MEETING_NOUNS = {"entretien", "conversation", "discussion", "rencontre", "conference", "reunion", "appel",
                  "communication", "echange", "visite", "sommet", "entrevue"}



class EventCoder:
    def __init__(self, patterns: PatternBook, resolver: ActorResolver):
        self.patterns = patterns
        self.lex = patterns.lexicon
        self.resolver = resolver
        self._gazetteer: Gazetteer | None = None
        self._candidates: dict[tuple[bool, str, str], list[Pattern]] = {}  # (verb?, lemma, form) -> patterns

    @property
    def gazetteer(self) -> Gazetteer:
        if self._gazetteer is None:
            self._gazetteer = Gazetteer.load()
        return self._gazetteer

    # -- document ----------------------------------------------------------------
    def code(self, doc: Doc, document: Document) -> tuple[list[Sentence], list[Mention], list[Event]]:
        # The doc is the parse of document.text; its length is checked (in O(1)) rather than its text rebuilt.
        end = doc[-1].idx + len(doc[-1].text_with_ws) if len(doc) else 0
        ctx = self.resolver.start_document(doc, document.date, document.text if end == len(document.text) else None)
        sentences: list[Sentence] = []
        mentions: list[Mention] = []
        events: list[Event] = []
        whole = ctx.text  # a span's text is this slice of it (Span.text rebuilds it token by token)
        for index, sent in enumerate(s for s in doc.sents if whole[s.start_char:s.end_char].strip()):
            start = sent[0].idx
            text = whole[sent.start_char:sent.end_char].rstrip()
            sentences.append(Sentence(document.doc_id, index, start, start + len(text), text))
            if is_boilerplate(text):
                continue
            mentions.extend(self.resolver.mentions(doc, ctx, document.doc_id, index, sent))
            events.extend(self.code_sentence(sent, index, document, ctx))
            self._remember(sent, ctx)
        return sentences, mentions, events

    def _remember(self, sent: Span, ctx: DocContext) -> None:
        """Keep the sentence's main subject (for il/elle) and any pair it names (for les deux pays)."""
        root = sent.root
        subject = self.subject_of(root)
        if subject is not None and key(subject.text) not in {"il", "elle", "ils", "elles"}:
            ctx.remember_subject(self.resolver.resolve_argument(subject, ctx))
        for token in sent:
            if token.dep_ == "conj" and token.head.dep_ in {"nsubj", "obj", "nsubj:pass"}:
                actors = [r.actor for r in self.resolver.resolve_argument(token.head, ctx) if r.actor]
                ctx.remember_group(actors)

    # -- sentence ----------------------------------------------------------------
    def code_sentence(self, sent: Span, index: int, document: Document, ctx: DocContext) -> list[Event]:
        events: list[Event] = []
        seen: set[tuple] = set()
        folded: set[int] = set()
        selected = [(token, pattern) for token in sent if (pattern := self.select(token)) is not None]
        for token, pattern in selected:
            if pattern.implied_target == "home_government":
                folded.update(v.i for v in self.purpose_clauses(token))  # its purpose is its target
        for token, pattern in selected:
            if token.i in folded:
                continue
            if pattern.code[:2] != "13" and self.threatened(token):
                continue  # 'a menacé de lancer une offensive': the threat is the event, not the offensive
            for event in self.apply(pattern, token, sent, index, document, ctx):
                signature = (
                    event.source.actor.code if event.source and event.source.actor else None,
                    event.target.actor.code if event.target and event.target.actor else None,
                    event.cameo,
                    event.modality,
                )
                if signature in seen:
                    continue
                seen.add(signature)
                events.append(event)
        # One act named twice ('tués par des frappes', 'a mené des frappes ... bombardant'): per source,
        # target, root and modality keep the most specific code.
        best: dict[tuple, Event] = {}
        for event in events:
            dyad = (event.source.actor.code if event.source and event.source.actor else None,
                    event.target.actor.code if event.target and event.target.actor else None,
                    event.cameo[:2], event.modality)
            kept = best.get(dyad)
            if kept is None or len(event.cameo) > len(kept.cameo) or (
                    len(event.cameo) == len(kept.cameo) and kept.cameo.endswith("0") and not event.cameo.endswith("0")):
                best[dyad] = event
        keep = {id(e) for e in best.values()}
        return [e for e in events if id(e) in keep]

    def candidates(self, token: Token) -> list[Pattern]:
        pos = token.pos_
        if pos in {"VERB", "AUX", "ADJ"} or token.tag_ == "VERB":
            verb = True
        elif pos in {"NOUN", "PROPN"}:
            verb = False
        else:
            return []
        # Every token of every sentence is looked up: the answer depends on the word alone, so it is kept
        # (bounded, like spaCy's lemmatizer cache: new words arrive with every article).
        lookup_key = (verb, token.lemma_, token.text)
        found = self._candidates.get(lookup_key)
        if found is None:
            index = self.patterns.verbs if verb else self.patterns.nouns
            found = next((f for k in lemma_keys(lookup_key[1], lookup_key[2], verb) if (f := index.get(k))), [])
            if len(self._candidates) >= CANDIDATE_CACHE_ENTRIES:
                self._candidates.clear()
            self._candidates[lookup_key] = found
        return found

    def select(self, token: Token) -> Pattern | None:
        patterns = self.candidates(token)
        if not patterns:
            return None
        # The trigger's scope and reflexive clitic are read only once a candidate pattern asks for them.
        words: set[str] | None = None
        reflexive: bool | None = None
        best: Pattern | None = None
        for pattern in patterns:
            if pattern.reflexive is not None:
                if reflexive is None:
                    reflexive = any(c.dep_.startswith("expl") or c.dep_ in {"obj", "iobj"}
                                    for c in token.children if key(c.text) in _REFLEXIVE)
                if pattern.reflexive != reflexive:
                    continue
            if pattern.excludes or pattern.requires:
                if words is None:
                    words = self.scope_words(token)
                if pattern.excludes & words or not all(req & words for req in pattern.requires):
                    continue
            if best is None or pattern.specificity >= best.specificity:
                best = pattern  # on a tie the pattern read last wins: a user's file overrides the bundled ones
        return best

    def scope_words(self, trigger: Token) -> set[str]:
        """Words the trigger governs (its subject excluded): where `with:` words are looked for."""
        subject = self.subject_of(trigger)
        skip = set(t.i for t in subject.subtree) if subject is not None and subject.head == trigger else set()
        for child in trigger.children:  # other predications are other events
            marked = any(c.dep_ == "mark" and key(c.text) in {"a", "de", "d'"} for c in child.children)
            if child.dep_ in {"conj", "parataxis", "acl:relcl"} or (child.dep_ == "advcl" and not marked):
                skip.update(t.i for t in child.subtree)  # ('exhorter X à négocier' is often parsed advcl: keep it)
        words: set[str] = set()
        for t in trigger.subtree:
            if t.i in skip or t.i == trigger.i or t.dep_.startswith("aux"):
                continue  # the auxiliary 'a' is not the preposition 'à'

            words.add(key(t.lemma_))
            words.add(key(t.text))
            doc = t.doc
            if not t.whitespace_ and t.i + 2 < len(doc) and doc[t.i + 1].text == "-" and not doc[t.i + 1].whitespace_:
                words.add(key(t.text + "-" + doc[t.i + 2].text))  # 'lance-roquettes' split by the tokenizer
        if trigger.dep_ in {"obj", "nsubj:pass"} and trigger.pos_ == "NOUN":
            words.add(key(trigger.head.lemma_))  # light verb: 'lancer un appel', 'mener des frappes'
        return words

    # -- parse helpers -----------------------------------------------------------
    def is_passive(self, verb: Token) -> bool:
        if any(key(c.text) in {"se", "s'"} for c in verb.children) or key(verb.lemma_) in self.lex.etre_verbs:
            return False  # 'se sont entretenus', 'sont convenus': être here is not the passive
        if any(c.dep_ in {"aux:pass", "nsubj:pass"} for c in verb.children):
            return True
        return verb.dep_ == "acl" and "Part" in verb.morph.get("VerbForm") and "Past" in verb.morph.get("Tense")

    def subject_of(self, verb: Token, depth: int = 0) -> Token | None:
        passive = self.is_passive(verb)
        for child in (self.arguments(verb) if passive else verb.children):
            if child.dep_ == "nsubj" or (passive and child.dep_ == "obl:agent"):
                return child
            if not passive and child.dep_ == "nsubj:pass":
                return child
        if not passive:
            # 'Washington et Bruxelles ont menacé': a name before the verb left as `dep` is its subject
            for child in verb.children:
                if child.dep_ == "dep" and child.i < verb.i and child.pos_ in {"PROPN", "NOUN"} and not any(
                        c.dep_ == "case" for c in child.children):
                    return child
        if passive:  # the parser often labels the agent a plain modifier: 'tués par des frappes russes'
            for child in self.arguments(verb):
                if child.dep_ in {"obl:mod", "obl", "obl:arg"} and child.i > verb.i and self.preposition(child) == "par":
                    return child
            return None
        head = verb.head
        if depth < 3 and verb.dep_ in {"xcomp", "acl", "advcl", "obl:arg", "ccomp"} and head.i != verb.i and (
                key(head.lemma_) in self.lex.object_control_verbs) and verb.dep_ != "advcl":
            obj = self.object_of(head)  # 'Kiev accuse Moscou d'avoir frappé': Moscou struck
            if obj is not None:
                return obj
        if verb.dep_ == "acl" and head.pos_ in {"NOUN", "PROPN"} and "Inf" in verb.morph.get("VerbForm"):
            # 'appelle les belligérants à cesser': the infinitive hangs on the object noun it controls
            grand = head.head
            if head.dep_ == "obj" and key(grand.lemma_) in self.lex.object_control_verbs:
                return head
        if depth < 3 and verb.dep_ in {"xcomp", "advcl", "conj"} and head.i != verb.i:
            return self.subject_of(head, depth + 1)
        return None

    @staticmethod
    def arguments(verb: Token) -> list[Token]:
        """The verb's dependents, with those the parser hung under a day name right after it
        ('a arrêté dimanche plusieurs opposants': 'opposants' ends up under 'dimanche') or under
        the first word of a compound preposition ('auprès de X')."""
        out = []
        for child in verb.children:
            out.append(child)
            if key(child.text) in _TEMPORAL and child.i == verb.i + 1:
                out.extend(g for g in child.children if g.dep_ in _ARG_DEPS)
            elif child.pos_ == "ADV" and key(child.text) in _PREP_HEADS:  # 'plaidé auprès de X': X hangs on 'auprès'
                out.extend(g for g in child.children if g.dep_ in _ARG_DEPS)
        return out

    def object_of(self, verb: Token) -> Token | None:
        if self.is_passive(verb):
            for child in self.arguments(verb):
                if child.dep_ == "nsubj:pass":
                    return child
            if verb.dep_ == "acl":
                return verb.head
            return None
        for child in self.arguments(verb):
            if child.dep_ == "obj" and key(child.text) not in _REFLEXIVE and key(child.text) not in _TEMPORAL:
                return child
        # The parser sometimes labels a bare object as a modifier ('a sanctionné la Biélorussie lundi').
        for child in self.arguments(verb):
            cases = [key(c.text) for c in child.children if c.dep_ == "case"]
            # ... or the partitive 'des' as a preposition ('ont dispersé des manifestants')
            if (child.dep_ in {"obl:mod", "obl:arg", "nmod"} and child.i > verb.i and child.pos_ in {"NOUN", "PROPN"}
                    and (not cases or cases == ["des"]) and key(child.text) not in _TEMPORAL):
                return child
        for child in verb.children:  # 'a tué plus de 80 villageois': the object hangs on 'plus'
            if child.dep_ == "advmod" and key(child.text) in {"plus", "moins", "pres", "environ"} and child.i > verb.i:
                inner = [g for g in child.children if g.pos_ in {"NOUN", "PROPN"} and g.dep_ in _ARG_DEPS]
                if inner:
                    return inner[0]
        return self.stranded_object(verb)

    @staticmethod
    def stranded_object(verb: Token) -> Token | None:
        """A bare noun phrase the parser hung as `nmod` under a date or place right after the verb
        ('a expulsé mercredi trois journalistes', 'a interpellé à Minsk plusieurs journalistes',
        'a frappé dans la nuit de dimanche à lundi des installations'): a French noun complement needs
        a preposition, so a caseless one is the verb's object; so is a partitive `des` after a date."""
        for child in verb.children:
            if child.i < verb.i or not child.dep_.startswith(("obl", "nmod")) or child.i > verb.i + 4:
                continue
            for g in child.subtree:
                if g.i <= child.i or g.i > child.i + 8 or g.dep_ != "nmod" or g.pos_ not in {"NOUN", "PROPN"}:
                    continue
                cases = [key(c.text) for c in g.children if c.dep_ == "case"]
                temporal_head = key(g.head.text) in _TEMPORAL | _TIME_NOUNS
                if key(g.text) in _TEMPORAL | _TIME_NOUNS or not (not cases or (cases == ["des"] and temporal_head)):
                    continue
                if not cases and g.head.i != child.i:
                    continue
                if any(t.pos_ in {"PUNCT", "VERB", "CCONJ"} for t in child.doc[child.i + 1:g.i]):
                    continue
                return g
        return None

    @staticmethod
    def preposition(token: Token) -> str:
        for child in token.children:
            if child.dep_ == "case":
                first = _CONTRACTIONS.get(key(child.text), key(child.text))
                words = [first] + [key(f.text) for f in child.children if f.dep_ == "fixed"]
                before = key(token.doc[child.i - 1].text) if child.i > 0 else ""
                if len(words) == 1 and first in {"de", "a"} and before in _PREP_HEADS:
                    return f"{before} {first}"  # 'auprès de', 'face à': the parser splits them
                return " ".join(words)
        return ""

    def prep_args(self, trigger: Token, prep: str) -> list[Token]:
        wanted = key(prep)
        found = [c for c in self.arguments(trigger) if c.dep_ in _ARG_DEPS and self.preposition(c) == wanted]
        if not found and trigger.pos_ == "NOUN" and trigger.head.i != trigger.i and \
                self.resolver.quantified(trigger.head).i == trigger.i:
            # 'des dizaines de frappes contre X': the complement hangs on the quantity noun
            found = [c for c in trigger.head.children if c.dep_ in _ARG_DEPS and c.i > trigger.i
                     and self.preposition(c) == wanted]
        if not found and trigger.pos_ == "NOUN":
            # 'une conférence de presse avec X': the complement often hangs on the noun's own complement
            for child in trigger.children:
                if child.dep_ == "nmod" and self.preposition(child) == "de":
                    found += [c for c in child.children if c.dep_ in _ARG_DEPS and self.preposition(c) == wanted]
            # 'avoir des entretiens avec X' (light verb) or 'lors d'une conférence ... avec X' (on `lors`):
            # the complement may hang on the noun's governor, after the noun
            if not found and wanted != "de" and (trigger.dep_ == "obj" or trigger.head.pos_ in {"ADV", "ADP"}):
                found = [c for c in trigger.head.children if c.dep_ in _ARG_DEPS and c.i > trigger.i
                         and self.preposition(c) == wanted]
        return found

    def governing_verb(self, noun: Token) -> Token | None:
        token = noun
        for _ in range(4):
            if token.head.i == token.i:
                return None
            token = token.head
            if token.pos_ in {"VERB", "AUX"}:
                return token
        return None

    # -- slots -------------------------------------------------------------------
    def fill(self, slot: str, trigger: Token, ctx: DocContext, speaker: list[ActorRef]) -> list[ActorRef]:
        r = self.resolver
        if slot == "subj":
            head = self.subject_of(trigger)
            if head is None:
                return []
            # 'tués par des frappes russes', 'un attentat revendiqué par l'EI a tué': the act's doer
            return (self.agent_of_act(head, ctx, speaker, acts_only=True) or r.resolve_argument(head, ctx, speaker)
                    or self.role_at_place(head, ctx))
        if slot == "obj":
            head = self.object_of(trigger)
            if head is None:
                return []
            return (self.agent_of_act(head, ctx, speaker) or r.resolve_argument(head, ctx, speaker)
                    or self.role_at_place(head, ctx))
        if slot == "iobj":
            return [ref for c in trigger.children if c.dep_ == "iobj" for ref in r.resolve_argument(c, ctx, speaker)]
        if slot in {"gov_subj", "poss", "gov_obj"}:
            if slot == "poss" and not any("Yes" in c.morph.get("Poss") for c in trigger.children):
                return []
            verb = self.governing_verb(trigger)
            if verb is None:
                return []
            if slot == "gov_obj":
                head = self.object_of(verb)
            else:
                head = self.speech_subject(verb) if self.is_speech(verb) else self.subject_of(verb)
            if head is None or head.i == trigger.i:
                return []
            return r.resolve_argument(head, ctx, speaker)
        if slot == "adj":
            return [
                ActorRef(c.text, c.idx, c.idx + len(c), actor, "demonym")
                for c in trigger.children if c.dep_ == "amod"
                for actor in [r.actor_of(e, ctx.date) for e in [r.book.demonyms.get(key(c.text))] if e]
            ]
        if slot == "head":
            if trigger.dep_.startswith("acl") or trigger.dep_ == "amod":
                return r.resolve_argument(trigger.head, ctx, speaker)
            return []
        if slot == "place":
            found = self.place_actors(trigger, ctx)
            if not found:
                # a town the gazetteer knows ('retirées de la ville de Kherson', 'le couvre-feu à Almaty')
                context = {m.entry.country for m in ctx.ordered if m.entry.country}
                place = self.place_near([trigger], context, ctx.matches)
                if place is not None and place.country:
                    actor = Actor(place.country, place.country, None, place.country, "place:gazetteer")
                    found = [ActorRef(place.text or place.name, trigger.idx, trigger.idx + len(trigger), actor, "place")]
            return found
        if slot == "any":
            return self.nearest_actor(trigger, ctx, speaker)
        if slot == "near":
            return self.border_actors(trigger, ctx, speaker)
        if slot == "interlocutor":
            for child in trigger.children:
                for noun in [child] + [g for g in child.children if g.dep_ in _ARG_DEPS]:
                    if key(noun.lemma_) in _MEETING_NOUNS:
                        refs = [ref for c in self.prep_args(noun, "avec") for ref in r.resolve_argument(c, ctx, speaker)]
                        if refs:
                            return refs
            return []
        if slot == "sur":  # 'enquêter sur des livraisons d'armes turques': about an act, about its doer
            return [ref for c in self.prep_args(trigger, slot)
                    for ref in (self.agent_of_act(c, ctx, speaker) or r.resolve_argument(c, ctx, speaker)
                                or self.role_at_place(c, ctx))]
        return [ref for c in self.prep_args(trigger, slot)
                for ref in (r.resolve_argument(c, ctx, speaker) or self.role_at_place(c, ctx))]

    def role_at_place(self, head: Token, ctx: DocContext, country: str | None = None,
                      roles: set[str] | None = None, via: str = "place") -> list[ActorRef]:
        """`la police`, `des manifestants` with no country: domestic actors of the country where the
        event takes place (`à Téhéran`), when the sentence says where (or of the `country` given)."""
        head = self.resolver.quantified(head)
        role = self.resolver.role_of(head, ctx)
        if role is None and head.pos_ == "NOUN" and key(head.lemma_) in self.lex.people_nouns:
            role = Role("people", "CVL", key(head.lemma_))  # 'des milliers de personnes', 'cinquante fidèles'
        country = country or ctx.place_country
        if role is None or not country or (roles is not None and role.role not in roles):
            return []
        actor = Actor(country + role.role, country, role.role, country, f"{role.id}+{via}")
        tokens = self.resolver.np_tokens(head)
        start, end = tokens[0].idx, tokens[-1].idx + len(tokens[-1])
        return [ActorRef(ctx.text[start:end], start, end, actor, via)]

    def domestic_partner(self, pattern: Pattern, trigger: Token, ctx: DocContext, sources: list[ActorRef],
                         targets: list[ActorRef]) -> tuple[list[ActorRef], list[ActorRef]]:
        """Domestic coercion names one side by its role only: 'la police a arrêté l'opposant russe X'
        (the Russian police), 'la police iranienne a dispersé des manifestants' (Iranian protesters).
        The unnamed side takes the country of the named one, for the roles such acts pair."""
        root = pattern.code[:2]
        if root not in self.lex.domestic_roots:
            return sources, targets
        if not sources and targets and "subj" in pattern.source:
            # only from targets that are domestic by nature (an opponent, a former leader), not from a
            # foreign journalist or national arrested abroad
            countries = {t.actor.country for t in targets if t.actor.country and t.actor.role in self.lex.domestic_own_roles}
            head = self.subject_of(trigger)
            if head is not None and len(countries) == 1:
                sources = self.role_at_place(head, ctx, countries.pop(), self.lex.domestic_agent_roles, "partner")
        if not targets and sources and "obj" in pattern.target:
            countries = {s.actor.country for s in sources if s.actor.country}
            head = self.object_of(trigger)
            if head is not None and len(countries) == 1:
                targets = self.role_at_place(head, ctx, countries.pop(), self.lex.domestic_patient_roles, "partner")
        return sources, targets

    def imputation(self, trigger: Token, ctx: DocContext,
                   speaker: list[ActorRef]) -> tuple[list[ActorRef], list[ActorRef]] | None:
        """A participle of accusing with no agent, on an argument of a verb: 'Ouagadougou a expulsé trois
        diplomates français, accusés d'activités subversives'; 'Accusés d'avoir fomenté un coup d'État,
        plusieurs officiers ont été arrêtés par la junte'. The doer of the main verb is the accuser."""
        if key(trigger.lemma_) not in self.lex.imputing_participles or "Part" not in trigger.morph.get("VerbForm"):
            return None
        if any(c.dep_ in {"nsubj", "obl:agent", "aux:tense", "aux"} for c in trigger.children):
            return None
        if trigger.dep_ == "acl" and trigger.head.pos_ in {"NOUN", "PROPN"}:
            accused, main = trigger.head, trigger.head.head
        elif trigger.dep_ == "advcl" and trigger.head.pos_ == "VERB":
            main = trigger.head
            accused = next((c for c in main.children if c.dep_ in {"nsubj:pass", "nsubj"}), None)
            if accused is None:
                return None
        else:
            return None
        if main.pos_ != "VERB" or main.i == accused.i:
            return None
        doer = self.subject_of(main)
        if doer is None or doer.i == accused.i:
            return None
        r = self.resolver
        sources = [x for x in r.resolve_argument(doer, ctx, speaker) if x.actor is not None]
        targets = [x for x in r.resolve_argument(accused, ctx, speaker) if x.actor is not None]
        return (sources, targets) if sources and targets else None

    def involvement(self, trigger: Token, ctx: DocContext, speaker: list[ActorRef]) -> list[ActorRef] | None:
        """An act named as what someone had a part in: 'son implication dans l'enlèvement de X', 'toute
        responsabilité dans la mort de Y' (lexicon involvement_nouns): the one involved is the doer."""
        if trigger.pos_ != "NOUN" or trigger.dep_ != "nmod" or self.preposition(trigger) not in {"dans", "a"}:
            return None
        head = trigger.head
        if key(head.lemma_) not in self.lex.involvement_nouns:
            return None
        for slot in ("de", "poss", "adj"):
            refs = [r for r in self.fill(slot, head, ctx, speaker) if r.actor is not None]
            if refs:
                return refs
        verb = self.governing_verb(head)
        subject = self.subject_of(verb) if verb is not None else None
        if subject is None:
            return None
        refs = [r for r in self.resolver.resolve_argument(subject, ctx, speaker) if r.actor is not None]
        return refs or None

    def threatened(self, trigger: Token) -> bool:
        """Whether the trigger is what a threat verb threatens ('menace de frapper', 'a menacé de lancer
        une offensive'): its complement chain leads up to a verb of lexicon threat_verbs."""
        token = trigger
        for _ in range(4):
            if token.dep_ not in {"xcomp", "obj", "obl:arg", "nmod", "acl", "ccomp", "advcl"} or token.head.i == token.i:
                return False
            token = token.head
            if token.pos_ == "VERB" and key(token.lemma_) in self.lex.threat_verbs:
                return True
        return False

    def purpose_clauses(self, trigger: Token) -> list[Token]:
        """'ont défilé ... pour dénoncer X', 'se sont rassemblés ... pour protester contre X': the verb
        of a purpose clause, which says what a demonstration is against."""
        return [c for c in trigger.children if c.dep_ in {"advcl", "xcomp", "obl:mod", "obl"} and c.pos_ == "VERB"
                and c.i > trigger.i and any(m.dep_ in {"mark", "case"} and key(m.text) in {"pour", "afin"}
                                            for m in c.children)]

    def purpose_targets(self, trigger: Token, ctx: DocContext, speaker: list[ActorRef]) -> list[ActorRef]:
        for verb in self.purpose_clauses(trigger):
            pattern = self.select(verb)
            if pattern is None or pattern.code[:2] not in {"11", "14", "10", "12"}:
                continue
            _, refs = self._first(pattern.target, verb, ctx, speaker)
            if refs:
                return refs
        return []

    def agent_of_act(self, noun: Token, ctx: DocContext, speaker: list[ActorRef],
                     acts_only: bool = False) -> list[ActorRef]:
        """An act named as an object: criticising `l'offensive israélienne contre Gaza` targets its doer
        (Israel), read from a demonym adjective, `de X` or `par X`, not the victim in its complements.
        With acts_only (an act named as a subject: 'des frappes russes ont tué'), only nouns of
        violent acts (lexicon act_nouns) count."""
        if noun.pos_ != "NOUN":
            return []
        noun = self.resolver.quantified(noun)  # 'une série de frappes israéliennes'
        lemmas = lemma_keys(noun.lemma_, noun.text, False)
        if acts_only:
            if not any(k in self.lex.act_nouns for k in lemmas):
                return []
        elif not any(k in self.lex.agent_nouns or k in self.patterns.nouns for k in lemmas):
            return []
        for slot in ("adj", "de", "par"):
            refs = [ref for ref in self.fill(slot, noun, ctx, speaker) if ref.actor is not None]
            if refs:
                return refs
        return self.participle_agents(noun, ctx, speaker)

    def participle_agents(self, noun: Token, ctx: DocContext, speaker: list[ActorRef]) -> list[ActorRef]:
        """'l'appel lancé par l'ONU', 'le rôle joué par le Qatar': the agent of a participle on the noun."""
        return [ref for acl in noun.children if acl.dep_ == "acl" and "Part" in acl.morph.get("VerbForm")
                for agent in acl.children if agent.dep_ == "obl:agent"
                for ref in self.resolver.resolve_argument(agent, ctx, speaker) if ref.actor is not None]

    def border_actors(self, trigger: Token, ctx: DocContext, speaker: list[ActorRef]) -> list[ActorRef]:
        """Whom a show of force faces: 'près de la frontière ukrainienne', 'le long de la frontière avec le
        Guyana', 'autour de Taïwan', 'aux abords de la bande de Gaza' (lexicon near_words)."""
        r = self.resolver
        for token in sorted(_complements(trigger), key=lambda t: t.i):
            if token.pos_ not in {"NOUN", "PROPN"}:
                continue
            before = {key(t.text) for t in token.doc[max(token.i - 4, 0):token.i]}
            if not (key(token.lemma_) in self.lex.near_words or before & self.lex.near_words):
                continue
            if key(token.lemma_) in self.lex.near_words:
                refs = [ref for slot in ("adj", "avec", "de") for ref in self.fill(slot, token, ctx, speaker)
                        if ref.actor is not None]
                if not refs:
                    refs = [ref for ref in r.resolve_argument(token, ctx, speaker) if ref.actor is not None]
            else:
                refs = [ref for ref in r.resolve_argument(token, ctx, speaker) if ref.actor is not None]
            if refs:
                return refs[:2]
        return []

    def nearest_actor(self, trigger: Token, ctx: DocContext, speaker: list[ActorRef]) -> list[ActorRef]:
        """The first actor named in the trigger's complements (not in its subject or other clauses)."""
        for token in sorted(_complements(trigger), key=lambda t: (t.i < trigger.i, abs(t.i - trigger.i))):
            if token.i in ctx.matches or (token.pos_ in {"NOUN", "PROPN"} and self.resolver.role_of(token, ctx)):
                refs = [ref for ref in self.resolver.resolve_argument(token, ctx, speaker) if ref.actor is not None]
                if refs:
                    return refs
            if token.pos_ == "ADJ" and token.dep_ == "amod":  # 'les sanctions visant le secteur pétrolier vénézuélien'
                entry = self.resolver.book.demonyms.get(key(token.text))
                if entry is not None:
                    actor = self.resolver.actor_of(entry, ctx.date)
                    return [ActorRef(token.text, token.idx, token.idx + len(token), actor, "demonym")]
        return []

    def place_actors(self, trigger: Token, ctx: DocContext) -> list[ActorRef]:
        subject = self.subject_of(trigger)
        skip = {t.i for t in subject.subtree} if subject is not None else set()
        for t in trigger.subtree:
            if t.i in skip:
                continue
            match = ctx.matches.get(t.i)
            if match is None or match.entry.kind not in {"country", "capital"}:
                continue
            if any(c.dep_ == "case" and key(c.text) in _PLACE_CASES for c in t.children):
                actor = self.resolver.actor_of(match.entry, ctx.date)
                return [ActorRef(match.text, t.idx, t.idx + len(match.text), actor, "place")]
        return []

    def speaker_of(self, trigger: Token, ctx: DocContext) -> list[ActorRef]:
        """Who says what the trigger reports: the subject of a speech verb, or `selon X`."""
        token = trigger
        for _ in range(6):
            for child in token.children:
                if child.dep_.startswith("obl") and self.preposition(child) in {"selon", "d'apres", "de apres"}:
                    return self._speaker_refs(child, ctx)
                if child.dep_ in {"advcl", "parataxis", "conj", "ccomp"} and child.i > trigger.i and self.is_speech(child):
                    subject = self.speech_subject(child)
                    if subject is not None:
                        return self._speaker_refs(subject, ctx)
            head = token.head
            if head.i == token.i:
                break
            if self.is_speech(head) and token.dep_ in {"ccomp", "parataxis", "obj", "xcomp", "advcl"}:
                subject = self.speech_subject(head)
                if subject is not None:
                    return self._speaker_refs(subject, ctx)
            token = head
        return []

    def is_speech(self, token: Token) -> bool:
        return token.pos_ in {"VERB", "AUX"} and any(
            k in self.lex.speech_verbs for k in lemma_keys(token.lemma_, token.text, True))

    def speech_subject(self, verb: Token) -> Token | None:
        """The speaker of a speech verb; after a quote its subject is inverted and often parsed as object."""
        for child in verb.children:
            if child.dep_ in {"nsubj", "nsubj:pass", "obl:agent"}:
                return child
        for child in verb.children:
            if child.dep_ == "obj" and child.pos_ in {"NOUN", "PROPN"}:
                return child
        return self.subject_of(verb)

    def _speaker_refs(self, head: Token, ctx: DocContext) -> list[ActorRef]:
        refs = [r for r in self.resolver.resolve_argument(head, ctx) if r.actor is not None]
        if not refs:
            actors = self.resolver.resolve_np(head, ctx, deep=True)
            refs = self.resolver.span_ref(head, actors, "speaker", ctx) if actors else []
        if not refs and key(head.lemma_) in SPEECH_CARRIERS and ctx.last_speaker:
            refs = ctx.last_speaker
        if refs:
            ctx.last_speaker = refs
        return refs

    # -- modality ----------------------------------------------------------------
    def modality(self, trigger: Token) -> str:
        lex = self.lex
        chain = [trigger]
        token = trigger
        climb = {"xcomp", "ccomp", "obj", "obl:arg", "advcl"} | ({"nmod"} if trigger.pos_ == "NOUN" else set())
        while token.dep_ in climb and token.head.i != token.i and len(chain) < 4:
            token = token.head
            if token.pos_ == "VERB" and trigger.pos_ == "NOUN" and \
                    set(lemma_keys(token.lemma_, token.text, True)) & lex.factive_verbs:
                # 'Pékin s'est gardé de condamner l'invasion russe', 'n'a pas condamné l'offensive': what is
                # condemned happened; the negation is the condemning's
                break
            chain.append(token)
            if token.pos_ == "NOUN" and key(token.lemma_) not in lex.cancel_words | lex.involvement_nouns:
                break
        own = [trigger] + [c for c in trigger.children if c.dep_.startswith("aux")]
        for t in chain:
            has_ne = any(key(c.text) in {"ne", "n'"} for c in t.children)
            for child in t.children:
                if child.dep_ == "advmod" and key(child.text) in lex.negators:
                    if key(child.text) in {"plus", "point"} and not has_ne:
                        continue  # 'a tué plus de 80 villageois': a quantity, not 'ne ... plus'
                    return "negated"
            if t is not trigger and key(t.lemma_) in lex.denial_verbs | lex.cancel_words:
                return "negated"
        if trigger.pos_ == "NOUN" and any(c.dep_ == "det" and key(c.text) in lex.negative_determiners for c in trigger.children):
            return "negated"
        # 'Aucune aide n'a été acheminée', 'n'a arrêté aucun opposant': ne + a negative determiner on an argument
        if any(key(c.text) == "ne" or key(c.text) == "n'" for c in trigger.children):
            for arg in trigger.children:
                if arg.dep_ in {"nsubj", "nsubj:pass", "obj", "obl:arg"} and any(
                        d.dep_ == "det" and key(d.text) in lex.negative_determiners for d in arg.children):
                    return "negated"
        for t in chain[1:]:
            if key(t.lemma_) in lex.allegation_words:
                return "reported"
        mood_cnd = any("Cnd" in t.morph.get("Mood") for t in own)
        for t in chain:
            # journalistic conditional, on the trigger or the act it serves: 'aurait envoyé ... pour soutenir'
            aux = [c for c in t.children if c.dep_.startswith("aux")]
            if t.pos_ == "VERB" and "Part" in t.morph.get("VerbForm") and any("Cnd" in a.morph.get("Mood") for a in aux):
                return "reported"
        for t in chain[1:]:
            lemma = key(t.lemma_)
            if lemma in lex.intent_verbs:
                return "future"
            if lemma in lex.hypothetical_verbs:
                return "hypothetical"
        if mood_cnd:
            return "hypothetical"
        if any(c.dep_ == "mark" and key(c.text) == "si" for c in trigger.children):
            return "hypothetical"
        if any("Fut" in t.morph.get("Tense") for t in own):
            return "future"
        return "asserted"

    # -- events ------------------------------------------------------------------
    def apply(self, pattern: Pattern, trigger: Token, sent: Span, index: int, document: Document,
              ctx: DocContext) -> list[Event]:
        speaker = self.speaker_of(trigger, ctx)
        place = self.event_place(trigger, document, ctx)
        ctx.place_country = place.country if place is not None else None
        source_slot, sources = self._first(pattern.source, trigger, ctx, speaker)
        involvement = self.involvement(trigger, ctx, speaker)
        if involvement is not None:
            # 'Moscou a démenti toute implication dans le massacre de civils': Moscow is the (denied) doer
            sources, source_slot = involvement, "involvement"
        if not sources and trigger.pos_ == "NOUN":
            # 'l'appel lancé par l'ONU', 'le rôle joué par le Qatar': the agent of a participle on the noun
            sources = self.participle_agents(trigger, ctx, speaker)
            source_slot = "par" if sources else None
        if not sources and trigger.pos_ == "NOUN" and "gov_subj" not in pattern.source and self.carried(trigger):
            # 'X a mené des frappes', 'X a procédé à des arrestations': a light verb's subject does the act
            source_slot, sources = self._first(("gov_subj",), trigger, ctx, speaker)
        target_slot, targets = self._first(pattern.target, trigger, ctx, speaker)
        if not sources:
            imputed = self.imputation(trigger, ctx, speaker)
            if imputed is not None:
                # 'a expulsé trois diplomates, accusés d'espionnage': the expeller accuses them
                sources, targets = imputed
                source_slot, target_slot = "imputed", "obj"
        if involvement is not None and not targets:
            target_slot, targets = self._first(("de",), trigger, ctx, speaker)
        if not targets and pattern.code[:2] in self.lex.near_roots:
            target_slot, targets = self._first(("near",), trigger, ctx, speaker)
        if not sources or not targets:
            sources, targets = self.domestic_partner(pattern, trigger, ctx, sources, targets)
            if targets and target_slot is None:
                target_slot = "obj"
        if pattern.implied_target == "home_government":
            # people in the street are, for CAMEO, the opposition: 'des milliers de Serbes' -> SRBOPP
            sources = [ActorRef(r.text, r.start, r.end, Actor(r.actor.country + "OPP", r.actor.country, "OPP",
                                                              r.actor.name, r.actor.entry_id + "+protest"), r.via)
                       if r.actor.country and (r.actor.code == r.actor.country or r.actor.role == "CVL") else r
                       for r in sources]
            if target_slot in {None, "place"}:  # 'ont défilé à Londres pour dénoncer l'offensive israélienne'
                purpose = self.purpose_targets(trigger, ctx, speaker)
                if purpose:
                    targets, target_slot = purpose, "purpose"
            home = {r.actor.country for r in sources}
            targets = [ActorRef(t.text, t.start, t.end, Actor(t.actor.code + "GOV", t.actor.country, "GOV", t.actor.name,
                                                              t.actor.entry_id + "+protest"), t.via)
                       if t.actor.code == t.actor.country and t.actor.country in home else t for t in targets]
        if not targets and pattern.implied_target == "home_government":
            # a demonstration with no stated addressee is addressed to the protesters' own government
            targets = [ActorRef(ref.text, ref.start, ref.end,
                                Actor(ref.actor.country + "GOV", ref.actor.country, "GOV", ref.actor.country,
                                      "implied:home_government"), "implied")
                       for ref in sources if ref.actor.country and ref.actor.role != "GOV"][:1]
            target_slot = "implied" if targets else None
        # 'Les deux pays se sont rencontrés': a plural subject of a symmetric verb meets itself; a
        # noun read off its governing verb ('faciliter le dialogue') says nothing about who talks to whom.
        # Both directions only with a real co-participant ('avec X'), not a place or a topic.
        partner = target_slot in {"avec", "entre", "obj", "iobj", "contre", "subj"}
        plural = len(sources) >= 2 and (
            source_slot in {"subj", "de", "entre"} or (source_slot in {"gov_subj", "poss"} and self.carried(trigger)))
        if pattern.symmetric and plural and (not targets or not partner):
            pairs = [(a, b) for a in sources for b in sources if a.actor.code != b.actor.code]
        elif not sources:
            return []
        else:
            pairs = [(s, t) for s in sources for t in (targets or [None])]
            if pattern.symmetric and targets and partner:
                pairs += [(t, s) for s in sources for t in targets]
        # An event needs both sides: 'X a appelé au calme' with nobody addressed is a statement, not a dyad.
        pairs = [(s, t) for s, t in pairs if t is not None and not self._same_actor(s.actor, t.actor)]
        if not pairs:
            return []
        modality = self.modality(trigger)
        future = modality == "future"
        if modality == "future" and pattern.symmetric and targets:
            # an intention is the speaker's own: 'X compte rencontrer Y' is X's intent, not Y's
            pairs = [(s, t) for s, t in pairs if any(s is x for x in sources)]
        code, rule = pattern.code, pattern.id
        if modality == "negated" and pattern.if_negated:
            code, rule, modality = pattern.if_negated, f"{pattern.id}+negated", "asserted"
        if modality == "future" and code[:2] in self.lex.intent_codes:
            code, rule, modality = self.lex.intent_codes[code[:2]], f"{pattern.id}+intent", "asserted"
        date, date_origin = self.event_date(trigger, sent, document, future)
        if modality == "asserted" and event_dates.is_background(date, document.date):
            modality = "background"
        cameo = lookup(code)
        start = sent[0].idx
        text = sent.text.rstrip()
        path = [f"trigger '{trigger.text}' ({trigger.pos_}, {trigger.dep_}) matched rule {rule} [{pattern.file}]"]
        if speaker:
            path.append(f"speaker: {', '.join(r.text for r in speaker)}")
        events = []
        for source, target in pairs:
            steps = list(path)
            steps.append(f"source '{source.text}' -> {source.actor.code} via {source.via}")
            if target is not None:
                steps.append(f"target '{target.text}' -> {target.actor.code} via {target.via}")
            events.append(Event(
                doc_id=document.doc_id, sent_index=index, sentence=text, char_start=start,
                char_end=start + len(text), trigger=trigger.text, trigger_start=trigger.idx,
                trigger_end=trigger.idx + len(trigger), source=source, target=target, cameo=code,
                quad_class=cameo.quad_class, goldstein=cameo.goldstein, plover=cameo.plover,
                modality=modality, rule=rule, dict_version=self.patterns.version, date=date,
                date_origin=date_origin, place=place, path=steps,
            ))
        return events

    def anchors(self, trigger: Token) -> list[Token]:
        """Where a trigger's date and place words may hang: on it, on the verb it is coordinated with
        or subordinate to ('En mai, X a critiqué ... et appelé ...'), or on the verb of a nominal trigger."""
        anchors = [trigger]
        if trigger.dep_ in {"conj", "advcl", "xcomp"} and trigger.head.i != trigger.i:
            anchors.append(trigger.head)
        if trigger.pos_ == "NOUN":
            verb = self.governing_verb(trigger)
            if verb is not None:
                anchors.append(verb)
        return anchors

    def event_date(self, trigger: Token, sent: Span, document: Document, future: bool):
        """The date words attached to the trigger's clause, resolved; else the article's date."""
        if document.date is None:
            return None, "none"
        mentions = event_dates.find(sent.text, document.date, future or "Fut" in trigger.morph.get("Tense"))
        if not mentions:
            return document.date, "article"
        base = sent[0].idx
        # A date belongs to the trigger when it hangs on it directly (`a annoncé dimanche`,
        # `une visite le 4 juin`), or on the verb that governs a nominal trigger; a date deeper
        # in a complement belongs to something else (`appeler à cesser le feu le 12 janvier`).
        for anchor in self.anchors(trigger):
            for mention in sorted(mentions, key=lambda m: abs(base + m.start - trigger.idx)):
                span = sent.doc.char_span(base + mention.start, base + mention.end, alignment_mode="expand")
                if span is None:
                    continue
                heads = [t.head for t in span if t.head.i < span.start or t.head.i >= span.end]
                # on the anchor, or (misattached) on one of its direct arguments: 'a sanctionné Minsk lundi'
                if any(h.i == anchor.i or (h.head.i == anchor.i and h.dep_ in _ARG_DEPS) for h in heads):
                    return mention.date, f"sentence:{mention.rule}"
        return document.date, "article"

    def event_place(self, trigger: Token, document: Document, ctx: DocContext) -> Place | None:
        """Where: a place phrase on the trigger (`à Istanbul`, `en Libye`, `aux portes de Tripoli`),
        else on the verb governing it, else the dateline's city."""
        context = {m.entry.country for m in ctx.ordered if m.entry.country}
        place = self.place_near(self.anchors(trigger), context, ctx.matches)
        if place is not None:
            return place
        if ctx.dateline is None:
            match = _DATELINE.match(document.text[:200])
            place = self.gazetteer.lookup(match.group(1).strip(), context) if match else None
            ctx.dateline = place or False
        return ctx.dateline or None

    def place_near(self, anchors: list[Token], context: set[str], matches: dict | None = None) -> Place | None:
        """The place phrase nearest the trigger in its clause: a proper name after `à`, `en`, `dans`,
        `près de`, `aux portes de`... (read linearly too: the parser often misattaches place names)."""
        for anchor in anchors:
            skip: set[int] = set()
            for child in anchor.children:
                if child.dep_ in {"nsubj", "nsubj:pass", "ccomp", "parataxis", "csubj"} or child.dep_.startswith("acl") \
                        or (child.dep_ == "advcl" and child.i < anchor.i) \
                        or (child.dep_ == "conj" and child.pos_ in {"VERB", "AUX"} and anchor.pos_ == "VERB"):
                    # 'Scandant des slogans hostiles à la France, ...'; '... et restent détenues à Gaza'

                    skip.update(t.i for t in child.subtree)
            matches = matches or {}
            tokens = [t for t in anchor.subtree if t.i not in skip and
                      (t.pos_ == "PROPN" or t.text[:1].isupper() or t.i in matches)]
            for token in sorted(tokens, key=lambda t: abs(t.i - anchors[0].i)):
                doc = token.doc
                match = matches.get(token.i)
                if match is not None and match.entry.kind in {"country", "capital"}:
                    start, end = match.start, match.end  # 'en Arabie saoudite', 'en Corée du Nord'
                else:
                    start = token.i
                    while start > 0 and (doc[start - 1].text[:1].isupper() or doc[start - 1].text in {"-", "'"}):
                        start -= 1
                    end = token.i + 1
                    while end < len(doc) and (doc[end].text[:1].isupper() or doc[end].text == "-"):
                        end += 1
                if not self._after_place_preposition(doc, start):
                    continue
                names = [doc[start:end].text, token.text]
                contraction = key(doc[start - 1].text) if start > 0 else ""
                if contraction in {"au", "aux"}:  # 'au Caire', 'au Cap': the article is inside the name
                    names.insert(0, ("Le " if contraction == "au" else "Les ") + doc[start:end].text)
                for name in names:
                    place = self.gazetteer.lookup(name, context)
                    if place is not None:
                        return place
        return None

    @staticmethod
    def _after_place_preposition(doc, start: int) -> bool:
        i = start - 1
        if i >= 0 and key(doc[i].text) in {"la", "le", "l'", "les"}:
            i -= 1
        if i < 0:
            return False
        word = key(doc[i].text)
        if word in {"a", "au", "aux", "en", "dans", "vers", "depuis", "sur"}:
            return True
        if word in {"de", "d'", "du", "des"} and i > 0:
            before = {key(doc[i - 1].lemma_), key(doc[i - 1].text)}
            return bool(before & (_PLACE_NOUNS | {"pres", "autour", "loin", "proche", "large", "part"}))
        return False

    @staticmethod
    def _same_actor(a, b) -> bool:
        """A state acting on itself or its own services (RUS -> RUSMIL) is not an event; two
        factions of one country (LBYGOV -> LBYREB) are."""
        if a.code == b.code:
            return True
        return bool(a.country) and a.country == b.country and (a.code == a.country or b.code == b.country)

    def carried(self, noun: Token) -> bool:
        """A nominal predicate whose governing verb adds nothing: 'ont eu des entretiens', 'lors d'un
        entretien', 'vont poursuivre les discussions' (not 'faciliter le dialogue')."""
        if noun.head.pos_ in {"ADV", "ADP"} or self.preposition(noun) in {"lors de", "pendant", "durant", "au cours de"}:
            return True
        verb = self.governing_verb(noun)
        return verb is not None and any(k in self.lex.light_verbs for k in lemma_keys(verb.lemma_, verb.text, True))

    def _first(self, slots: tuple[str, ...], trigger: Token, ctx: DocContext,
               speaker: list[ActorRef]) -> tuple[str | None, list[ActorRef]]:
        """The first slot that names an actor, and its actors."""
        for slot in slots:
            refs = [r for r in self.fill(slot, trigger, ctx, speaker) if r.actor is not None]
            if refs:
                return slot, refs
        return None, []


def _complements(trigger: Token) -> list[Token]:
    """Every token under the trigger outside other clauses (its complements and their modifiers)."""
    stack = [c for c in trigger.children if c.dep_ not in _CLAUSAL]
    tokens: list[Token] = []
    while stack:
        token = stack.pop()
        tokens.append(token)
        stack.extend(c for c in token.children if c.dep_ not in _CLAUSAL)
    return tokens
