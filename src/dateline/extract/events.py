"""Event mentions from a parsed document: triggers, roles, figures, places, dates, status, source.

The output is a list of ``EventMention`` per sentence and type; resolving places and dates
and merging mentions of the same event happen in later stages.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from itertools import pairwise
from typing import Any

from dateline.extract.actors import actor_from_head
from dateline.extract.counts import CountMention, find_counts
from dateline.extract.doccache import doc_text, span_text
from dateline.extract.impacts import find_impacts as _impacts
from dateline.extract.ontology import (
    ActorDictionary,
    TriggerRule,
    acled_cues,
    announced_types,
    hazard_nouns,
    negated_types,
    trigger_rules,
)
from dateline.extract.places import PlaceCandidate, place_candidates
from dateline.extract.status import (
    announced_by_actor,
    is_generic,
    reported_demand,
    source_of,
    status_of,
)
from dateline.models import (
    Actor,
    ActorRole,
    AssociatedActor,
    Impact,
    Source,
    Span,
    Spanned,
    Status,
)

# What these types are about ("urge X to halt the attacks", "agreed to lift the curfew") is
# asked for, refused, threatened or promised, not a fact of its own.
_SPEECH_ACT_TYPES = frozenset({"REQUEST", "REJECT", "THREATEN", "AGREE", "CONCEDE"})


@dataclass
class EventMention:
    """One event type found in one sentence, with everything the sentence says about it."""

    rule: TriggerRule
    triggers: list[Spanned]
    sentence: Span
    sentence_text: str
    actor1: Actor | None = None
    actor2: Actor | None = None
    fatalities: CountMention | None = None
    injuries: CountMention | None = None
    impacts: list[Impact] = field(default_factory=list)
    places: list[PlaceCandidate] = field(default_factory=list)
    status: Status = "occurred"
    source: Source = field(default_factory=Source)
    strength: float = 0.5
    depth: int = 0  # of the trigger in the dependency tree: main-clause events are the news
    definite: bool = False  # only "the assault"-style nouns: likely a reference back
    rule_depth: int = 0  # depth of the trigger that gave ``rule``
    associated: list[AssociatedActor] = field(default_factory=list)
    # Clauses of the sentence about something else ("property seized in the 1970s"): a date
    # there is not this event's.
    foreign: list[Span] = field(default_factory=list)
    # Told as the cause or occasion of another event in the sentence ("reimposed the
    # blockade following the shootings", "complained over the raids"): not the news.
    background: bool = False


def _forms(word: str) -> list[str]:
    """Inflected forms of a lemma, so title-case headlines (tagged PROPN) still match."""
    forms = {word, word + "s", word + "es", word + "ed", word + "d", word + "ing"}
    if word.endswith("e"):
        forms |= {word[:-1] + "ing", word + "d"}
    if word.endswith("y"):
        forms |= {word[:-1] + "ies", word[:-1] + "ied"}
    if len(word) > 2 and word[-1] not in "aeiouwxy" and word[-2] in "aeiou":
        forms |= {word + word[-1] + "ed", word + word[-1] + "ing"}
    return sorted(forms)


class TriggerMatcher:
    """The trigger table's rows found in a parsed text; one per loaded pipeline.

    A row's words match consecutive tokens either all by lemma ("killed" -> kill) or all
    by inflected form (for words the tagger got wrong). Rows are indexed by their first
    word, so matching costs a dictionary lookup per token whatever the table's size."""

    def __init__(self, rules: Sequence[TriggerRule] | None = None) -> None:
        all_rules = trigger_rules() if rules is None else rules
        self.rules = {rule.key: rule for rule in all_rules if not rule.objects}
        self.object_rules: dict[str, list[TriggerRule]] = {}
        for rule in all_rules:
            if rule.objects:
                self.object_rules.setdefault(rule.lemma, []).append(rule)
        # first word -> (row order, row, its words) by lemma; and by form, with the forms.
        self._by_lemma: dict[str, list[tuple[int, TriggerRule, tuple[str, ...]]]] = {}
        self._by_form: dict[str, list[tuple[int, TriggerRule, tuple[frozenset[str], ...]]]] = {}
        for order, rule in enumerate(self.rules.values()):
            words = tuple(rule.lemma.split())
            forms = tuple(frozenset(_forms(w)) for w in words)
            self._by_lemma.setdefault(words[0], []).append((order, rule, words))
            for form in forms[0]:
                self._by_form.setdefault(form, []).append((order, rule, forms))

    def _row_matches(self, doc: Any) -> dict[tuple[int, int], list[TriggerRule]]:
        """(start, end) -> the rows matching there, in table order."""
        lemmas = [t.lemma_ for t in doc]
        lowers = [t.lower_ for t in doc]
        found: dict[tuple[int, int], dict[int, TriggerRule]] = {}
        for i, (lemma, lower) in enumerate(zip(lemmas, lowers, strict=True)):
            for order, rule, words in self._by_lemma.get(lemma, ()):
                end = i + len(words)
                if end <= len(lemmas) and all(lemmas[i + j] == w for j, w in enumerate(words)):
                    found.setdefault((i, end), {})[order] = rule
            for order, rule, forms in self._by_form.get(lower, ()):
                end = i + len(forms)
                if end <= len(lowers) and all(lowers[i + j] in f for j, f in enumerate(forms)):
                    found.setdefault((i, end), {})[order] = rule
        return {span: [rows[o] for o in sorted(rows)] for span, rows in sorted(found.items())}

    def __call__(self, doc: Any) -> list[tuple[TriggerRule, Any]]:
        """Triggers as (rule, span), longest first where they overlap, in text order."""
        from spacy.util import filter_spans

        candidates = self._row_matches(doc)
        by_object, taken = self._object_matches(doc)
        spans = filter_spans(
            [doc[s:e] for s, e in candidates if not any(s <= i < e for i in taken)]
        )
        found: list[tuple[TriggerRule, Any]] = list(by_object)
        for span in sorted(spans, key=lambda s: s.start):
            rule = _pick_rule(candidates[(span.start, span.end)], span)
            if rule is not None:
                found.append((rule, span))
        return sorted(found, key=lambda pair: pair[1].start)

    def _object_matches(self, doc: Any) -> tuple[list[tuple[TriggerRule, Any]], set[int]]:
        """Verb + object rows ("lift the curfew"); the tokens they cover, verb and object."""
        found: list[tuple[TriggerRule, Any]] = []
        taken: set[int] = set()
        for token in doc:
            rules = self.object_rules.get(token.lemma_.lower())
            if not rules or token.pos_ not in ("VERB", "AUX"):
                continue
            objects = _verb_objects(token)
            lemmas = {o.lemma_.lower() for o in objects} | {o.lower_ for o in objects}
            for rule in rules:
                if lemmas & rule.objects:
                    found.append((rule, token.doc[token.i : token.i + 1]))
                    taken.add(token.i)
                    taken.update(o.i for o in objects if o.lemma_.lower() in rule.objects)
                    break
                if ANY_OBJECT in rule.objects and _direct_objects(token):
                    if not _hazard_is_subject(token):
                        found.append((rule, token.doc[token.i : token.i + 1]))
                    taken.add(token.i)  # the object is the target, not part of the trigger
                    break
        return found, taken


# An object row whose object is "*" wants the verb to have some object: "jets struck the
# depot" (transitive) is an attack, "dockers struck for a week" (intransitive) a strike.
ANY_OBJECT = "*"


def _direct_objects(verb: Any) -> list[Any]:
    """What the verb acts on directly: "struck the depot", "the depot was struck"."""
    return [c for c in verb.children if c.dep_ in ("dobj", "nsubjpass")]


def _hazard_is_subject(verb: Any) -> bool:
    """True when the verb's doer is a natural hazard ("a quake struck", "hit by floods")."""
    hazards = hazard_nouns()
    doers = [c for c in verb.children if c.dep_ in ("nsubj", "csubj")]
    by = [c for c in verb.children if c.dep_ == "agent" or (c.dep_ == "prep" and c.lower_ == "by")]
    for agent in by:
        doers.extend(o for o in agent.children if o.dep_ == "pobj")
    return any(d.lemma_.lower() in hazards or d.lower_ in hazards for d in doers)


# Prepositions whose object is what the verb acts on ("fired on", "took control of").
_OBJECT_PREPS = frozenset({"of", "on", "over", "upon"})


def _verb_objects(verb: Any) -> list[Any]:
    """A verb's objects with their conjuncts and compound parts ("lifted the night curfew")."""
    heads = [c for c in verb.children if c.dep_ in ("dobj", "nsubjpass", "attr", "oprd")]
    for prep in (c for c in verb.children if c.dep_ == "prep" and c.lower_ in _OBJECT_PREPS):
        heads.extend(o for o in prep.children if o.dep_ == "pobj")
    if verb.dep_ in ("acl", "relcl") and verb.tag_ == "VBN":
        heads.append(verb.head)  # "the curfew imposed on ..."
    found: list[Any] = []
    for head in heads:
        for noun in (head, *head.conjuncts):
            found.append(noun)
            found.extend(c for c in noun.children if c.dep_ in ("compound", "amod"))
            for prep in (c for c in noun.children if c.dep_ == "prep" and c.lower_ == "of"):
                found.extend(o for o in prep.children if o.dep_ == "pobj")
    return found


def _pick_rule(rules: list[TriggerRule], span: Any) -> TriggerRule | None:
    head = span[0] if rules[0].pos == "VERB" else span[-1]
    pos = head.pos_
    wanted = "VERB" if pos in ("VERB", "AUX") else "NOUN" if pos in ("NOUN",) else None
    for rule in rules:
        if rule.pos == "ANY" or rule.pos == wanted:
            return rule
    if head.ent_type_ in ("DATE", "TIME"):
        return None  # "in March", "on Sunday": a date, not a verb
    if pos == "PROPN" or head.is_title:
        # Title-case headlines: the tagger calls most words PROPN; use the word's form.
        is_verb_form = head.lower_.endswith(("ed", "s")) and not head.lower_.endswith("ss")
        for rule in rules:
            if rule.pos == ("VERB" if is_verb_form and len(rules) > 1 else rules[0].pos):
                return rule
        return rules[0]
    return None


def _trigger_head(span: Any) -> Any:
    return span.root


def _is_conditional(token: Any) -> bool:
    """'if the soldiers are not released': a condition, not a reported fact."""
    verb = token if token.pos_ in ("VERB", "AUX") else token.head
    return any(c.dep_ == "mark" and c.lower_ in ("if", "unless") for c in verb.children)


def _is_modifier_of_trigger(token: Any, types: dict[int, str], event_type: str) -> bool:
    """'ceasefire talks': the first noun only qualifies a trigger of another type.

    A modifier of the same type ("grenade attack") stays: it is the more specific word."""
    return (
        token.dep_ in ("compound", "amod")
        and token.head.i in types
        and types[token.head.i] != event_type
    )


_CONTENT_DEPS = frozenset(
    {"xcomp", "ccomp", "dobj", "pobj", "prep", "advcl", "conj", "oprd", "pcomp", "acomp"}
)
_DEFINITE = frozenset({"the", "this", "that", "these", "those"})
# "The fighting" refers back to fighting that took place, not to an attack expected tomorrow.
_HAPPENED = frozenset({"occurred", "ongoing"})


def _is_speech_content(token: Any, trigger_tokens: set[int], types: dict[int, str]) -> bool:
    """True for 'urge X to halt the attacks': the event is what someone asks for, not a fact."""
    demand = [c for c in token.children if c.dep_ == "aux" and types.get(c.i) == "REQUEST"]
    if demand and types.get(token.i) not in _SPEECH_ACT_TYPES:
        return True  # "said Sudan must return the helicopter": what is demanded
    current = token
    for _ in range(7):
        if current.dep_ == "acl" and current.tag_ == "VBN":
            # "wants Hamas disarmed": a state asked for; "soldiers captured by Hamas": a fact.
            noun = current.head
            while noun.dep_ == "conj" and noun.head is not noun:
                noun = noun.head
            verb = noun.head
            return bool(
                noun.dep_ == "dobj"
                and not any(c.dep_ == "agent" for c in current.children)
                and verb.i in trigger_tokens
                and types.get(verb.i) in _SPEECH_ACT_TYPES
            )
        if (
            current.dep_ == "acl"
            and types.get(current.head.i) in _SPEECH_ACT_TYPES
            and current.head.i in trigger_tokens
            and any(c.dep_ == "mark" and c.lower_ == "that" for c in current.children)
        ):
            return True  # "the demand that the army release the prisoners": what is asked
        if current.dep_ in ("acl", "relcl") or current.head is current:
            return False
        parent = current.head
        if parent.i in trigger_tokens and types.get(parent.i) in _SPEECH_ACT_TYPES:
            return current.dep_ in _CONTENT_DEPS
        current = parent
    return False


# Acts whose readiness announced is a threat, not an offer.
_HOSTILE = frozenset({"ASSAULT", "COERCE", "SANCTION"})


def _offers_force(head: Any, types: dict[int, str]) -> bool:
    """'ready to use force', 'prepared to impose martial law': readiness for a hostile act."""
    return any(c.dep_ in ("xcomp", "ccomp") and types.get(c.i) in _HOSTILE for c in head.children)


def _has_ultimatum(head: Any) -> bool:
    """'will withdraw unless the junta ...': a future act made to depend on the other side."""
    verb = head if head.pos_ in ("VERB", "AUX") else head.head
    return any(
        c.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ == "unless" for m in c.children)
        for c in verb.children
    )


def _is_protest_demand(head: Any, types: dict[int, str]) -> bool:
    """'marched to demand reforms', 'blocked roads demanding ...', 'staged a sit-in calling
    for ...': what protesters demand is the protest's cause, not an event of its own."""
    if head.dep_ not in ("advcl", "acl", "xcomp"):
        return False
    owner = head.head
    if types.get(owner.i) == "PROTEST":
        return True
    return any(types.get(c.i) == "PROTEST" for c in owner.children if c.dep_ in ("dobj", "nsubj"))


_ON = frozenset({"on", "against", "at"})
# The other side of a relation: "restore ties with X", "apologised to X", "sent aid to X".
_TARGET_PREPS = {
    etype: _ON | {"with", "to"}
    for etype in ("CONSULT", "COOPERATE", "AGREE", "SUPPORT", "AID", "CONCEDE", "REJECT")
}


def _roles(
    head: Any, rule: TriggerRule, dictionary: ActorDictionary
) -> tuple[Actor | None, Actor | None]:
    """actor1 (who acts) and actor2 (target) for a verb or noun trigger."""
    etype = rule.event_type
    actor1: Actor | None = None
    actor2: Actor | None = None

    def actor(token: Any) -> Actor | None:
        return actor_from_head(token, dictionary, event_type=etype)

    if head.pos_ in ("VERB", "AUX"):
        passive = any(c.dep_ in ("nsubjpass", "auxpass") for c in head.children) or (
            head.tag_ == "VBN" and not any(c.dep_ == "aux" for c in head.children)
        )
        for child in head.children:
            if child.dep_ == "nsubj" and not passive:
                actor1 = actor1 or _actor_or_modifier(child, dictionary, etype)
            elif child.dep_ == "nsubj" and passive:
                actor2 = actor2 or actor(child)
            elif child.dep_ == "agent":
                for obj in child.children:
                    if obj.dep_ == "pobj":
                        actor1 = actor1 or _actor_or_modifier(obj, dictionary, etype)
            elif child.dep_ in ("dobj", "nsubjpass"):
                actor2 = actor2 or actor(child)
            elif child.dep_ == "prep" and child.lower_ in _TARGET_PREPS.get(etype, _ON):
                for obj in child.children:
                    if obj.dep_ == "pobj":
                        actor2 = actor2 or actor(obj)
        if actor2 is None:
            # "wants Hamas disarmed", "said Sudan must return the helicopter": the clause subject.
            for clause in (c for c in head.children if c.dep_ in ("ccomp", "xcomp", "oprd")):
                subjects = [c for c in clause.children if c.dep_ in ("nsubj", "nsubjpass")]
                if subjects and subjects[0].pos_ != "PRON":
                    actor2 = actor(subjects[0])
                    break
        if head.dep_ in ("acl", "amod") and actor2 is None:
            actor2 = actor(head.head)
        if head.dep_ in ("acl", "amod") and head.tag_ == "VBN":
            # "the captured soldiers": no initiator in this clause
            return _with_countries(actor1, actor2, head, dictionary, etype)
        current = head
        for _ in range(3):
            if actor1 is not None or current.dep_ not in ("advcl", "conj", "xcomp", "acomp"):
                break
            current = current.head
            subjects = [c for c in current.children if c.dep_ == "nsubj"]
            if subjects:
                actor1 = _actor_or_modifier(subjects[0], dictionary, etype)
                break
    else:
        for child in head.children:
            if child.dep_ == "compound" and child.ent_type_ in ("GPE", "LOC", "FAC"):
                # "Gaza blockade", "Khan Younis operation": the place is the target.
                actor2 = actor2 or actor(child)
            elif child.dep_ in ("amod", "compound", "poss", "nmod") and child.i < head.i:
                actor1 = actor1 or actor(child)
            elif child.dep_ == "prep" and child.lower_ == "between":
                sides = [o for o in child.children if o.dep_ == "pobj"]
                sides += [c for o in sides for c in o.conjuncts]
                found = [a for a in (actor(o) for o in sides) if a is not None]
                actor1 = actor1 or (found[0] if found else None)
                actor2 = actor2 or (found[1] if len(found) > 1 else None)
            elif child.dep_ == "prep" and child.lower_ == "by":
                for obj in child.children:
                    if obj.dep_ == "pobj":
                        actor1 = actor1 or actor(obj)
            elif child.dep_ == "prep" and child.lower_ in ("on", "against"):
                for obj in child.children:
                    if obj.dep_ == "pobj":
                        actor2 = actor2 or actor(obj)
        if actor2 is None:
            # "its demand that the government resign": who must act is the clause's subject.
            for clause in (c for c in head.children if c.dep_ in ("acl", "ccomp")):
                if any(c.dep_ == "mark" and c.lower_ == "that" for c in clause.children):
                    subjects = [c for c in clause.children if c.dep_ in ("nsubj", "nsubjpass")]
                    if subjects and subjects[0].pos_ != "PRON":
                        actor2 = actor(subjects[0])
                        break
        verb = _verb_holding(head)
        if verb is None and any(c.dep_ == "poss" and c.pos_ == "PRON" for c in head.children):
            # "X insisted on its demands": the possessive pronoun is the clause's subject.
            verb = next((a for a in head.ancestors if a.pos_ in ("VERB", "AUX")), None)
        if actor1 is None and verb is not None:
            # "X dropped leaflets over Y warning of ...", "X launched a wave of strikes".
            for child in verb.children:
                if child.dep_ == "nsubj":
                    actor1 = _actor_or_modifier(child, dictionary, etype)
    return _with_countries(actor1, actor2, head, dictionary, etype)


def _with_countries(
    actor1: Actor | None, actor2: Actor | None, head: Any, dictionary: ActorDictionary, etype: str
) -> tuple[Actor | None, Actor | None]:
    """Bare role nouns ("the invading forces", "two soldiers") take their country from the
    sentence or the sentences before it; a titled person without one, from the sentence."""
    avoid1 = actor2.name if actor2 is not None else None
    if _is_bare_role(actor1, dictionary) and actor1 is not None:
        actor1 = _country_from_context(actor1, head, dictionary, etype, avoid=avoid1)
    elif (
        actor1 is not None and actor1.country is None and actor1.kind in ("military", "government")
    ):
        actor1 = _country_from_context(actor1, head, dictionary, etype, look_back=0)
    if _is_bare_role(actor2, dictionary) and actor2 is not None:
        avoid2 = actor1.name if actor1 is not None else None
        actor2 = _country_from_context(
            actor2, head, dictionary, etype, avoid=avoid2, state_subject=True
        )
    return actor1, actor2


def _verb_holding(noun: Any) -> Any:
    """The verb whose object (directly or through one preposition) a noun trigger is."""
    if noun.dep_ == "dobj":
        return noun.head
    prep = noun.head
    if noun.dep_ == "pobj" and prep.dep_ == "prep" and prep.head.pos_ == "VERB":
        # Not "died in an explosion" nor "blamed X for the abduction": only where the noun
        # is a manner or place of the act ("dropped leaflets over X warning of ...").
        transitive = any(c.dep_ == "dobj" for c in prep.head.children)
        if transitive and prep.lower_ in ("over", "across", "along", "with"):
            return prep.head
    return None


# How many sentences before its own a bare "the forces" looks back for whose forces they are.
_CONTEXT_SENTENCES = 2


def _country_from_context(
    actor: Actor,
    head: Any,
    dictionary: ActorDictionary,
    etype: str,
    *,
    avoid: str | None = None,
    look_back: int = _CONTEXT_SENTENCES,
    state_subject: bool = False,
) -> Actor:
    """'thousands of troops' beside 'columns of Israeli tanks': the same side's forces.

    A bare role noun takes the country of the nearest same-kind actor in its sentence, else
    the latest one in the ``look_back`` sentences before it; never ``avoid`` (the other side:
    "Arnor's army fought the invading forces" are not Arnor's army). With ``state_subject``,
    a state that is the subject of the sentence's main clause counts too.
    """
    sentences = [head.sent]
    while len(sentences) <= look_back and sentences[-1].start > 0:
        sentences.append(head.doc[sentences[-1].start - 1].sent)
    for index, sent in enumerate(sentences):
        best: tuple[int, Actor] | None = None
        for token in sent:
            if token.pos_ not in ("NOUN", "PROPN") or token.lemma_.lower() not in dictionary.roles:
                continue
            other = actor_from_head(token, dictionary, event_type=etype)
            if (
                other is None
                or other.country is None
                or other.kind != actor.kind
                or other.name == avoid
            ):
                continue
            # In the sentence itself the nearest; before it, the latest.
            distance = abs(token.idx - actor.span.start) if index == 0 else -token.idx
            if best is None or distance < best[0]:
                best = (distance, other)
        if best is not None:
            return actor.model_copy(update={"country": best[1].country, "name": best[1].name})
        if index == 0 and state_subject:
            # "Arnor demands the return of two soldiers captured by ...": the state whose
            # sentence it is.
            for subject in (c for c in sent.root.children if c.dep_ == "nsubj"):
                iso3 = dictionary.country_of(subject.text)
                if iso3 is None or subject.ent_type_ != "GPE":
                    continue
                name = _acled_name(actor.kind, dictionary.country_names.get(iso3, iso3))
                if name != avoid:
                    return actor.model_copy(update={"country": iso3, "name": name})
    return actor


def _acled_name(kind: str, country_name: str) -> str:
    label = "Military Forces of" if kind == "military" else "Government of"
    return f"{label} {country_name}"


def _is_bare_role(actor: Actor | None, dictionary: ActorDictionary) -> bool:
    """'the forces', 'officials': a role noun with no country, name or person of its own."""
    return (
        actor is not None
        and actor.country is None
        and actor.person is None
        and actor.kind in ("military", "government")
        and actor.name.lower() in {role.label for role in dictionary.roles.values()}
    )


def _actor_or_modifier(token: Any, dictionary: ActorDictionary, etype: str) -> Actor | None:
    """The actor a subject names, looking through 'a barrage of Israeli airstrikes' and
    'militant groups like Hamas'; a candidate with a name or country beats a bare role."""
    candidates: list[Any] = []
    for child in token.children:
        if child.dep_ == "prep" and child.lower_ in ("like", "including", "of"):
            for obj in child.children:
                if obj.dep_ == "pobj":
                    candidates.extend([obj, *obj.conjuncts])
                    for grand in obj.children:
                        if grand.dep_ == "prep" and grand.lower_ == "of":
                            candidates.extend(g for g in grand.children if g.dep_ == "pobj")
    # "leaders like Turkey's President X" parsed as two objects of "like": the possessor
    # belongs to the next one.
    candidates = [
        c
        for c in candidates
        if not (
            any(g.dep_ == "case" for g in c.children)
            and any(0 < d.i - c.i <= 4 for d in candidates)
        )
    ]
    prefer_inner = bool(candidates) and any(
        c.dep_ == "prep" and c.lower_ in ("like", "including") for c in token.children
    )
    ordered = [*candidates, token] if prefer_inner else [token, *candidates]
    ordered += [c for c in token.children if c.dep_ in ("amod", "compound", "poss")]
    found = [a for a in (actor_from_head(t, dictionary, event_type=etype) for t in ordered) if a]
    specific = [
        a
        for a in found
        if a.country is not None
        or a.kind not in ("military", "civilians", "armed_group", "government", "other", "country")
        or (a.name[0].isupper() and "(" in a.name)
    ]
    if specific:
        return specific[0]
    return found[0] if found else None


def extract_mentions(
    doc: Any, matcher: TriggerMatcher, dictionary: ActorDictionary
) -> list[EventMention]:
    """All event mentions in a parsed document, one per (sentence, event type)."""
    triggers = matcher(doc)
    trigger_tokens = {span.root.i for _, span in triggers}
    rule_at = {span.root.i: rule for rule, span in triggers}
    types = {i: rule.event_type for i, rule in rule_at.items()}
    by_sentence: dict[tuple[int, str], EventMention] = {}
    for rule, span in triggers:
        head = _trigger_head(span)
        if ANY_OBJECT in rule.objects:
            # "missiles struck the depot": the weapon names the kind of attack.
            rule = next(
                (
                    rule_at[c.i]
                    for c in head.children
                    if c.dep_ == "nsubj"
                    and c.i in rule_at
                    and rule_at[c.i].event_type == rule.event_type
                ),
                rule,
            )
        if (
            is_generic(head)
            or _is_conditional(head)
            or _is_modifier_of_trigger(head, types, rule.event_type)
            or (head.dep_ == "compound" and head.head.lemma_.lower() in dictionary.roles)
            or _is_speech_content(head, trigger_tokens, types)
            or (rule.event_type == "REQUEST" and _is_protest_demand(head, types))
            or (head.is_title and _in_title_line(head) and rule.strength < 0.6)
            or (
                rule.requires is not None and rule.requires not in {c.lower_ for c in head.children}
            )
        ):
            continue
        sent = span.sent
        status = status_of(head, rule.event_type)
        if status == "denied" and rule.event_type in negated_types():
            # "will not accept the plan", "failed to reach agreement": a refusal.
            rule = _recoded(rule, negated_types()[rule.event_type])
            status = "occurred"
        elif status in ("expected", "threatened") and rule.event_type in announced_types():
            coded = announced_types()[rule.event_type]
            if announced_by_actor(head, main_clause=coded == "AGREE"):
                # "will pull out its troops unless ...": an ultimatum threatens.
                rule = _recoded(rule, "THREATEN" if _has_ultimatum(head) else coded)
                status = "occurred"
        if rule.event_type == "AGREE" and _offers_force(head, types):
            rule = _recoded(rule, "THREATEN")  # "is prepared to impose martial law"
        key = (sent.start, rule.event_type)
        if head.lower_ == "must":
            demand = reported_demand(head)
            asked = types.get(head.head.i)
            if demand is None or (asked in _SPEECH_ACT_TYPES and asked != rule.event_type):
                continue  # "they must agree to ...": the verb says what is asked
            speaker, addressee = demand
            if addressee is not None and addressee.pos_ == "PRON":
                # "tell residents they must leave": the pronoun is the one told.
                told = [c for c in speaker.head.children if c.dep_ in ("dobj", "dative")]
                addressee = told[0] if told else None
            actor1 = _actor_or_modifier(speaker, dictionary, rule.event_type) or _issuer(
                speaker, dictionary, rule.event_type
            )
            actor2 = (
                _actor_or_modifier(addressee, dictionary, rule.event_type) if addressee else None
            )
        else:
            actor1, actor2 = _roles(head, rule, dictionary)
        if actor2 is None and rule.event_type == "THREATEN":
            actor2 = _until_target(head, dictionary, rule.event_type)
        if actor2 is None and rule.event_type == "REQUEST":
            actor2 = _holder(head, dictionary)
        if actor1 is not None and actor1.person is None and rule.event_type in _SPEECH_ACT_TYPES:
            actor1 = _with_spokesperson(actor1, head, dictionary, rule.event_type)
        mediator: Actor | None = None
        if head.lemma_.lower() in _MEDIATING:
            mediator, (actor1, actor2) = actor1, _parties(head, dictionary, rule.event_type)
        trigger = Spanned(text=span.text, span=Span(start=span.start_char, end=span.end_char))
        earlier = _referent(by_sentence, rule, sent.start) if _is_definite(head) else None
        if (
            earlier is not None
            and actor1 is None
            and actor2 is None
            and not any(c.kind == "fatalities" for c in find_counts(sent))
        ):
            earlier.triggers.append(trigger)  # "the capture of their soldiers": told before
            continue
        mention = by_sentence.get(key)
        if mention is None:
            mention = EventMention(
                rule=rule,
                triggers=[trigger],
                sentence=Span(start=sent.start_char, end=sent.end_char),
                sentence_text=span_text(sent),
                status=status,
                source=source_of(head, dictionary),
                strength=rule.strength,
                depth=sum(1 for _ in head.ancestors),
                definite=_is_definite(head),
                rule_depth=sum(1 for _ in head.ancestors),
                foreign=_other_clauses(sent, head, types, rule.event_type),
                background=_is_background(head, types, rule.event_type),
            )
            by_sentence[key] = mention
            _attach_sentence_facts(mention, sent)
        else:
            mention.triggers.append(trigger)
            mention.definite = mention.definite and _is_definite(head)
            mention.depth = min(mention.depth, sum(1 for _ in head.ancestors))
            mention.background = mention.background and _is_background(head, types, rule.event_type)
            depth = sum(1 for _ in head.ancestors)
            if _specificity(rule, depth) > _specificity(mention.rule, mention.rule_depth):
                mention.rule, mention.rule_depth = rule, depth
            mention.strength = max(mention.strength, rule.strength)
        actor1, actor2 = (
            None if a is not None and _overlaps(a.span, span) else a for a in (actor1, actor2)
        )
        if actor1 is None and _subject_is_pronoun(head):
            if mention.source.name != "reporter":
                actor1 = _actor_from_source(mention.source, doc, dictionary)
            else:
                actor1 = _antecedent(head, dictionary, rule.event_type)
        mention.actor1 = mention.actor1 or actor1
        mention.actor2 = mention.actor2 or actor2
        if mediator is not None and all(a.name != mediator.name for a in mention.associated):
            mention.associated.append(AssociatedActor(**mediator.model_dump(), role="mediator"))
    for mention in by_sentence.values():
        # "X-mediated talks between A and B": the mediator is neither side.
        mediators = {a.name for a in mention.associated if a.role == "mediator"}
        if mention.actor1 is not None and mention.actor1.name in mediators:
            mention.actor1 = None
    mentions = _fold_references(
        sorted(by_sentence.values(), key=lambda m: (m.sentence.start, m.triggers[0].span.start))
    )
    _answer_requests(mentions, doc)
    _ask_the_doer(mentions, doc, types)
    # A request with neither a requester nor an addressee ("the world is pleading for
    # restraint", a headline's "Demanding ...") is no event an analyst could code.
    mentions = [
        m
        for m in mentions
        if not (m.rule.event_type == "REQUEST" and m.actor1 is None and m.actor2 is None)
    ]
    for mention in mentions:
        _add_conjoined(mention, doc, dictionary)
        _refine_acled(mention, doc)
        spans = [a.span for a in (mention.actor1, mention.actor2) if a is not None]
        mention.places = place_candidates(
            doc.char_span(mention.sentence.start, mention.sentence.end, alignment_mode="expand"),
            spans,
        )
    return mentions


# Prepositions that give an event's cause or occasion: "following the shootings", "over the
# raids", "in the wake of the killing", "in retaliation for the attack".
_OCCASION = frozenset({"following", "after", "amid", "over", "despite"})
_OCCASION_NOUNS = frozenset({"wake", "retaliation", "response", "protest", "reprisal"})


def _is_background(head: Any, types: dict[int, str], event_type: str) -> bool:
    """A trigger in a phrase giving the cause or occasion of another event's verb."""
    noun = head
    while noun.dep_ in ("amod", "compound") and noun.head is not noun:
        noun = noun.head  # "the shooting deaths"
    if noun.pos_ != "NOUN" or noun.dep_ != "pobj":
        return False
    prep = noun.head
    word = prep.lower_
    if word in ("of", "for", "to") and prep.head.lemma_.lower() in _OCCASION_NOUNS:
        prep = prep.head.head  # "in the wake of X": the phrase hangs on "in"
        word = "following"
    holder = prep.head
    if word not in _OCCASION or prep.dep_ != "prep" or holder.pos_ not in ("VERB", "AUX"):
        return False
    others = {types.get(holder.i)} | {
        types.get(c.i) for c in holder.children if c.dep_ in ("dobj", "nsubjpass")
    }
    others.discard(None)
    return bool(others) and event_type not in others


def _other_clauses(sent: Any, head: Any, types: dict[int, str], event_type: str) -> list[Span]:
    """Relative and reduced relative clauses of the sentence about an event of another type
    ('the property seized in the 1970s', 'soldiers captured last week'), not holding the
    trigger; 'another 38 wounded on Tuesday' beside 'killed' tells of the same event."""
    found: list[Span] = []
    for token in sent:
        if token.dep_ not in ("relcl", "acl") or token.pos_ not in ("VERB", "AUX"):
            continue
        subtree = list(token.subtree)
        if any(t.i == head.i for t in subtree):
            continue
        kinds = {types[t.i] for t in subtree if t.i in types}
        if not kinds or event_type in kinds:
            continue
        start, end = subtree[0].idx, subtree[-1].idx + len(subtree[-1].text)
        found.append(Span(start=start, end=end))
    return found


# A third party's part in talks: its subject or agent mediates, it is not one of the sides.
_MEDIATING = frozenset({"mediate", "broker", "mediation", "facilitate"})


def _parties(
    head: Any, dictionary: ActorDictionary, etype: str
) -> tuple[Actor | None, Actor | None]:
    """The sides of mediated talks: 'between A and B' on the mediating word, on the talks it
    mediates ('talks mediated by X between ...'), or on its object ('mediated talks between')."""
    nouns = [head, *(c for c in head.children if c.dep_ == "dobj")]
    if head.dep_ in ("acl", "amod", "compound"):
        nouns.append(head.head)
    for noun in nouns:
        for prep in (c for c in noun.children if c.dep_ == "prep" and c.lower_ == "between"):
            sides = [o for o in prep.children if o.dep_ == "pobj"]
            sides += [c for o in sides for c in o.conjuncts]
            found = [a for a in (actor_from_head(o, dictionary, event_type=etype) for o in sides)]
            actors = [a for a in found if a is not None]
            if actors:
                return actors[0], actors[1] if len(actors) > 1 else None
    return None, None


# What carries a message, not who sends it: "the leaflets tell residents ..." speak for
# whoever dropped them.
_MEDIA = frozenset(
    {"leaflet", "flyer", "pamphlet", "statement", "message", "letter", "notice", "broadcast"}
)
_MEDIA_LOOK_BACK = 3


def _issuer(medium: Any, dictionary: ActorDictionary, etype: str) -> Actor | None:
    """Who issued a leaflet, statement or message: the subject of the latest verb with that
    thing as its object ('X dropped leaflets', 'leaflets dropped by X'), in this sentence or
    the few before it."""
    lemma = medium.lemma_.lower()
    if lemma not in _MEDIA:
        return None
    sentences = [medium.sent]
    while len(sentences) <= _MEDIA_LOOK_BACK and sentences[-1].start > 0:
        sentences.append(medium.doc[sentences[-1].start - 1].sent)
    for sent in sentences:
        for token in reversed(list(sent)):
            if token.i == medium.i or token.lemma_.lower() != lemma:
                continue
            if token.dep_ == "dobj":
                subjects = [c for c in token.head.children if c.dep_ == "nsubj"]
            else:  # "leaflets dropped by X", "leaflets were dropped by X"
                verbs = [c for c in token.children if c.dep_ == "acl"]
                verbs += [token.head] if token.dep_ in ("nsubj", "nsubjpass") else []
                agents = [c for v in verbs for c in v.children if c.dep_ == "agent"]
                subjects = [o for a in agents for o in a.children if o.dep_ == "pobj"]
            for subject in subjects:
                if subject.pos_ == "PRON":
                    continue
                found = _actor_or_modifier(subject, dictionary, etype)
                if found is not None:
                    return found
    return None


def _until_target(head: Any, dictionary: ActorDictionary, etype: str) -> Actor | None:
    """'vowed to keep fighting until the junta steps down': who must yield is the target."""
    for token in head.subtree:
        if token.lower_ != "until":
            continue
        if token.dep_ == "mark":
            subjects = [c for c in token.head.children if c.dep_ in ("nsubj", "nsubjpass")]
        else:  # "until the RSF surrenders" read as a noun phrase
            subjects = [c for c in token.children if c.dep_ == "pobj"]
        for subject in subjects:
            if subject.pos_ != "PRON":
                found = _actor_or_modifier(subject, dictionary, etype)
                if found is not None:
                    return found
    return None


_HELD = frozenset({"hold", "detain", "jail", "imprison", "keep"})


def _holder(head: Any, dictionary: ActorDictionary) -> Actor | None:
    """'the release of prisoners held in Arnorian jails' / 'held by Arnor': the request is
    addressed to whoever holds them."""
    for token in head.subtree:
        if token.lemma_.lower() not in _HELD or token.tag_ != "VBN" or token.i == head.i:
            continue
        for prep in (c for c in token.children if c.dep_ in ("prep", "agent")):
            if prep.lower_ not in ("in", "by"):
                continue
            for place in (c for c in prep.children if c.dep_ == "pobj"):
                found = actor_from_head(place, dictionary, event_type="REQUEST")
                if found is not None and found.country is not None and found.kind != "other":
                    return found  # "held by the Arnorian army"
                for modifier in place.children:
                    iso3 = dictionary.country_of(modifier.text)
                    if iso3 is not None and modifier.dep_ in ("amod", "poss", "compound"):
                        start, end = modifier.idx, place.idx + len(place.text)
                        name = dictionary.country_names.get(iso3, iso3)
                        return Actor(
                            text=head.doc.text[start:end],
                            span=Span(start=start, end=end),
                            name=f"Government of {name}",
                            country=iso3,
                            kind="government",
                        )
    return None


_SPEAKING = frozenset({"say", "tell", "state", "warn", "insist", "add", "explain", "declare"})


def _with_spokesperson(actor: Actor, head: Any, dictionary: ActorDictionary, etype: str) -> Actor:
    """'Israel refused, with Defense Minister X saying ...': the state acts and X speaks for it,
    so X is the actor's person (when X is not from another country)."""
    verb = head if head.pos_ in ("VERB", "AUX") else head.head
    for prep in (c for c in verb.children if c.dep_ == "prep" and c.lower_ == "with"):
        for speech in prep.children:
            if speech.lemma_.lower() not in _SPEAKING:
                continue
            for subject in (c for c in speech.children if c.dep_ == "nsubj"):
                person = actor_from_head(subject, dictionary, event_type=etype)
                if person is None or person.person is None:
                    continue
                if person.country is not None and person.country != actor.country:
                    continue
                return actor.model_copy(update={"person": person.person, "office": person.office})
    return actor


def _answer_requests(mentions: list[EventMention], doc: Any) -> None:
    """'X called for safe passage. But Y has refused.': a refusal with no object of its own,
    in the sentence right after a request with no addressee, answers it: Y is the addressee
    and X the one refused."""
    text = doc_text(doc)
    for request, refusal in pairwise(mentions):
        if (
            request.rule.event_type == "REQUEST"
            and refusal.rule.event_type == "REJECT"
            and request.actor2 is None
            and refusal.actor2 is None
            and request.actor1 is not None
            and refusal.actor1 is not None
            and request.sentence.end <= refusal.sentence.start
            and not text[request.sentence.end : refusal.sentence.start].strip()
        ):
            request.actor2 = refusal.actor1.model_copy(update={"person": None, "office": None})
            refusal.actor2 = request.actor1


_ENDING = frozenset({"lift", "end", "stop", "halt", "ease", "remove", "withdraw", "cease"})


def _ask_the_doer(mentions: list[EventMention], doc: Any, types: dict[int, str]) -> None:
    """'Y wants the blockade lifted': a request to end an act already reported is addressed
    to whoever does it (the actor of the latest earlier mention of that act's type)."""
    for index, mention in enumerate(mentions):
        if mention.rule.event_type != "REQUEST" or mention.actor2 is not None:
            continue
        head = _head_of(doc, mention.triggers[0].span)
        if head is None:
            continue
        for token in head.subtree:
            asked = types.get(token.i)
            ending = token.head if token.dep_ in ("nsubj", "nsubjpass", "dobj") else None
            if asked in (None, "REQUEST") or ending is None:
                continue
            if ending.lemma_.lower() not in _ENDING:
                continue
            earlier = [
                m
                for m in mentions[:index]
                if m.rule.event_type == asked
                and m.actor1 is not None
                and (mention.actor1 is None or m.actor1.name != mention.actor1.name)
            ]
            if earlier:
                mention.actor2 = earlier[-1].actor1
                break


def _head_of(doc: Any, span: Span) -> Any:
    """The syntactic head of the phrase at ``span``."""
    tokens = doc.char_span(span.start, span.end, alignment_mode="expand")
    return tokens.root if tokens is not None and len(tokens) else None


def _add_conjoined(mention: EventMention, doc: Any, dictionary: ActorDictionary) -> None:
    """'Hamas and Islamic Jihad engaged ...', 'The UN and Turkey called for ...': actors
    coordinated with actor1 or actor2 act on the same side (ACLED's associated actors)."""
    etype = mention.rule.event_type
    taken = [a.span for a in (mention.actor1, mention.actor2) if a is not None]
    taken += [a.span for a in mention.associated]
    pairs: list[tuple[ActorRole, Actor | None]] = [
        ("actor1", mention.actor1),
        ("actor2", mention.actor2),
    ]
    for role, actor in pairs:
        head = _head_of(doc, actor.span) if actor is not None else None
        if head is None or actor is None:
            continue
        for conj in head.conjuncts:
            if conj.pos_ not in ("NOUN", "PROPN"):
                continue
            other = _actor_or_modifier(conj, dictionary, etype)
            if other is None or other.name == actor.name:
                continue
            if any(other.span.start < t.end and t.start < other.span.end for t in taken):
                continue
            if _is_bare_role(other, dictionary):
                continue
            mention.associated.append(AssociatedActor(**other.model_dump(), role=role))
            taken.append(other.span)


def _recoded(rule: TriggerRule, event_type: str) -> TriggerRule:
    """The rule coded as another PLOVER type, without the mode and ACLED type of the first."""
    return replace(
        rule, event_type=event_type, mode=None, acled_event_type=None, acled_sub_event_type=None
    )


def _is_definite(head: Any) -> bool:
    """'the assault', 'the current clashes': a noun trigger that points back to a known event."""
    return head.pos_ == "NOUN" and any(
        c.dep_ == "det" and c.lower_ in _DEFINITE for c in head.children
    )


def _referent(
    by_sentence: dict[tuple[int, str], EventMention], rule: TriggerRule, sentence_start: int
) -> EventMention | None:
    """The latest mention of the same type (and a compatible mode) before this sentence."""
    earlier = [
        m
        for (start, etype), m in sorted(by_sentence.items())
        if etype == rule.event_type and start < sentence_start and m.status in _HAPPENED
    ]
    same_mode = [m for m in earlier if rule.mode in (None, m.rule.mode)]
    chosen = same_mode or earlier
    return chosen[-1] if chosen else None


def _fold_references(mentions: list[EventMention]) -> list[EventMention]:
    """A mention that only refers back ("the assault") joins the latest earlier one of its type."""
    kept: list[EventMention] = []
    for mention in mentions:
        if (
            mention.definite
            and mention.actor1 is None
            and mention.actor2 is None
            and mention.fatalities is None
        ):
            earlier = [
                m
                for m in kept
                if m.rule.event_type == mention.rule.event_type and m.status in _HAPPENED
            ]
            same_mode = [m for m in earlier if mention.rule.mode in (None, m.rule.mode)]
            chosen = same_mode or earlier
            if chosen:
                chosen[-1].triggers.extend(mention.triggers)
                continue
        kept.append(mention)
    return kept


def _antecedent(head: Any, dictionary: ActorDictionary, event_type: str) -> Actor | None:
    """'It wants ...': the pronoun stands for the subject of this or the previous sentence."""
    sent = head.sent
    candidates = [c for c in sent.root.children if c.dep_ == "nsubj" and c.pos_ != "PRON"]
    if not candidates and sent.start > 0:
        previous = head.doc[sent.start - 1].sent
        candidates = [c for c in previous.root.children if c.dep_ == "nsubj" and c.pos_ != "PRON"]
    for candidate in candidates:
        found = actor_from_head(candidate, dictionary, event_type=event_type)
        if found is not None and (found.country is not None or found.kind != "civilians"):
            return found
    return None


def _overlaps(span: Span, tokens: Any) -> bool:
    return bool(span.start < tokens.end_char and tokens.start_char < span.end)


def _subject_is_pronoun(head: Any) -> bool:
    verb = head if head.pos_ in ("VERB", "AUX") else head.head
    while verb.dep_ == "conj" and not any(c.dep_ == "nsubj" for c in verb.children):
        verb = verb.head  # "it cannot govern ... and wants": the first verb's subject
    return any(c.dep_ == "nsubj" and c.pos_ == "PRON" for c in verb.children)


def _actor_from_source(source: Source, doc: Any, dictionary: ActorDictionary) -> Actor | None:
    """'Hamas sources insist they want ...': the pronoun stands for the speaker."""
    if source.span is None or source.text is None or source.kind == "other":
        return None
    head = _head_of(doc, source.span)
    found = actor_from_head(head, dictionary) if head is not None else None
    if found is not None and found.name == source.name:
        return found
    return Actor(
        text=source.text,
        span=source.span,
        name=source.name,
        country=None,
        kind=source.kind if source.kind != "reporter" else "other",
    )


_CLASH = {"acled_event_type": "Battles", "acled_sub_event_type": "Armed clash"}
_RIOT = {"acled_event_type": "Riots", "acled_sub_event_type": "Violent demonstration"}
_EXCESSIVE = {
    "acled_event_type": "Protests",
    "acled_sub_event_type": "Excessive force against protesters",
}
_INTERVENED = {"acled_event_type": "Protests", "acled_sub_event_type": "Protest with intervention"}


_TRANSFER = {
    "acled_event_type": "Strategic developments",
    "acled_sub_event_type": "Non-violent transfer of territory",
}
_TERRITORY_SUBS = frozenset({"Non-state actor overtakes territory", "Government regains territory"})


def _excessive(lemmas: set[str], cues: dict[str, frozenset[str]]) -> bool:
    """Force beyond crowd control: live fire, beatings, deaths; 'fired tear gas' is not."""
    force = lemmas & cues["force_used"]
    if force - {"fire", "shoot"}:
        return True
    return bool(force) and not lemmas & cues["crowd_control"]


_PROTESTERS = frozenset({"protester", "demonstrator", "marcher", "rioter", "protestor"})


def _at_a_protest(mention: EventMention, doc: Any, protest: frozenset[str]) -> bool:
    """'detained protesters', 'arrested during the rally', 'while trying to hold a protest':
    the arrests break up a protest (not 'arrested for organising a protest last week')."""
    for trigger in mention.triggers:
        head = _head_of(doc, trigger.span)
        if head is None:
            continue
        for child in head.children:
            if child.dep_ in ("dobj", "nsubjpass") and (
                child.lemma_.lower() in _PROTESTERS
                or any(
                    o.lemma_.lower() in _PROTESTERS
                    for p in child.children
                    if p.dep_ == "prep"
                    for o in p.children
                )
            ):
                return True
            if (
                child.dep_ == "prep"
                and child.lower_ in ("during", "at", "in", "amid")
                and any(o.lemma_.lower() in protest for o in child.children if o.dep_ == "pobj")
            ):
                return True
            if child.dep_ == "advcl" and any(t.lemma_.lower() in protest for t in child.subtree):
                return True
    return False


def _leaves_a_place(mention: EventMention, doc: Any, territory: frozenset[str]) -> bool:
    """'withdrew from the town', 'pulled out of the base': an armed actor leaves ground."""
    if mention.actor1 is not None and mention.actor1.kind not in (
        "military",
        "armed_group",
        "government",
    ):
        return False
    for trigger in mention.triggers:
        head = _head_of(doc, trigger.span)
        if head is None:
            continue
        verb = head.head if head.dep_ == "prt" else head
        for prep in (c for c in verb.children if c.dep_ == "prep"):
            if prep.lower_ not in ("from", "of"):
                continue
            for place in (c for c in prep.children if c.dep_ == "pobj"):
                if place.ent_type_ in ("GPE", "LOC", "FAC") or place.lemma_.lower() in territory:
                    return True
    return False


def _refine_acled(mention: EventMention, doc: Any) -> None:
    """ACLED sub-types that depend on who is hit and how, not on the trigger word alone.

    The word sets are the ``acled_cues.csv`` table."""
    rule = mention.rule
    sent = doc.char_span(mention.sentence.start, mention.sentence.end, alignment_mode="expand")
    if sent is None:
        return
    cues = acled_cues()
    actor1 = mention.actor1
    lemmas = {t.lemma_.lower() for t in sent}
    lemmas |= {f"{a.lemma_.lower()} {b.lemma_.lower()}" for a, b in pairwise(sent)}
    if rule.event_type == "RETREAT" and rule.mode == "withdraw" and rule.acled_event_type is None:
        if _leaves_a_place(mention, doc, cues["territory"]):
            mention.rule = replace(
                rule,
                acled_event_type=_TRANSFER["acled_event_type"],
                acled_sub_event_type=_TRANSFER["acled_sub_event_type"],
            )
        return
    if rule.acled_event_type is None:
        return
    outside = {
        t.lemma_.lower()
        for t in sent
        if actor1 is None or not (actor1.span.start <= t.idx < actor1.span.end)
    }
    target = mention.actor2.kind if mention.actor2 is not None else None
    sub = rule.acled_sub_event_type
    protest = bool(lemmas & cues["protest"])
    update: dict[str, Any] = {}
    state_force = bool(lemmas & cues["state_force"])
    intervened = state_force and bool(lemmas & cues["intervention"])
    if sub in _TERRITORY_SUBS and lemmas & cues["handover"]:
        update = _TRANSFER  # "took the town after the army withdrew", "without resistance"
    elif sub == "Arrests" and protest and _at_a_protest(mention, doc, cues["protest"]):
        update = _INTERVENED  # arrests at a protest: ACLED codes the protest, with intervention
    elif rule.event_type == "ASSAULT" and protest and sub in ("Attack", "Armed clash"):
        if state_force and _excessive(lemmas, cues) and sub == "Attack":
            update = _EXCESSIVE
        elif intervened and not _excessive(lemmas, cues) and sub == "Attack":
            update = _INTERVENED
        elif not outside & (cues["armed_target"] - cues["state_force"]):
            update = _RIOT if lemmas & cues["violent_crowd"] else _EXCESSIVE
    elif rule.event_type == "ASSAULT" and sub in ("Attack", "Shelling/artillery/missile attack"):
        if lemmas & cues["air"] and rule.mode not in ("explosives", "unconventional"):
            update = {
                "acled_event_type": "Explosions/Remote violence",
                "acled_sub_event_type": "Air/drone strike",
                "mode": "aerial",
            }
        elif (
            sub == "Attack"
            and (target in ("military", "armed_group") or outside & cues["armed_target"])
            and target != "civilians"
        ):
            update = _CLASH
    elif sub == "Non-state actor overtakes territory" and actor1 is not None:
        if actor1.kind in ("military", "government"):
            update = {"acled_sub_event_type": "Government regains territory"}
    elif rule.event_type == "PROTEST" and rule.mode in ("demo", "obstruct", "strike"):
        if state_force and _excessive(lemmas, cues):
            update = _EXCESSIVE
        elif lemmas & cues["violent_crowd"]:
            update = {**_RIOT, "mode": "riot"}
        elif lemmas & cues["state_force"] and lemmas & cues["intervention"]:
            update = _INTERVENED
    if update:
        mention.rule = replace(rule, **update)


def _in_title_line(token: Any) -> bool:
    """A headline in title case: most words capitalised, tags unreliable."""
    words = [t for t in token.sent if t.is_alpha and len(t) > 3]
    return bool(words) and sum(t.is_title for t in words) / len(words) > 0.7


def _specificity(rule: TriggerRule, depth: int) -> tuple[bool, bool, int, int, float]:
    """A trigger with a mode ("airstrike") says more than a generic one ("kill", "attack"),
    a reliable word ("grenade", "poisonous gas") more than a loose one ("exploded", "fired");
    between equals, the main clause's word ("captured ... during a raid") wins."""
    generic_sub = rule.acled_sub_event_type in (None, "Attack")
    tier = 2 if rule.strength >= 0.9 else 1 if rule.strength >= 0.8 else 0
    return (rule.mode is not None, not generic_sub, tier, -depth, rule.strength)


def _attach_sentence_facts(mention: EventMention, sent: Any) -> None:
    """Figures and impacts belong to violent events in the sentence that states them."""
    if mention.rule.event_type not in ("ASSAULT", "COERCE", "PROTEST"):
        return
    for count in find_counts(sent):
        if count.kind == "fatalities" and mention.fatalities is None:
            mention.fatalities = count
        elif count.kind == "injuries" and mention.injuries is None:
            mention.injuries = count
    mention.impacts = _impacts(sent)
