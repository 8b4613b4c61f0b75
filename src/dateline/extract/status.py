"""Factuality (did it happen?) and attribution (who says so?) from the dependency tree."""

from __future__ import annotations

import re
from typing import Any

from dateline.extract.actors import actor_from_head
from dateline.extract.doccache import doc_text, span_ents
from dateline.extract.ontology import ActorDictionary
from dateline.models import Quote, Source, Span, Status

_MODAL_FUTURE = frozenset({"will", "would", "could", "may", "might", "shall", "'ll", "going"})
_EXPECT_VERBS = frozenset(
    {"expect", "plan", "intend", "prepare", "likely", "threaten", "vow", "aim", "seek", "want"}
)
_FAIL_VERBS = frozenset({"fail", "neglect"})
_ONGOING_WORDS = frozenset({"underway", "ongoing", "continue", "continuing", "rage"})
_GENERIC_HEADS = frozenset({"cycle", "pattern", "history", "spiral", "culture", "threat", "risk"})
SPEECH_VERBS = frozenset(
    {
        "say", "claim", "warn", "insist", "argue", "tell", "report", "state", "announce",
        "add", "confirm", "allege", "believe", "contend", "maintain", "assert", "declare",
        "accuse", "deny", "acknowledge", "note", "explain", "write", "told", "suggest",
    }
)  # fmt: skip


def governing_verb(token: Any) -> Any:
    """The verb a noun trigger belongs to (its head chain up to the first verb)."""
    current = token
    for _ in range(4):
        if current.pos_ in ("VERB", "AUX") or current.head is current:
            return current
        current = current.head
    return current


def is_generic(trigger: Any) -> bool:
    """'the cycle of rocket attacks': a statement about a pattern, not a dated event."""
    head = trigger.head
    if trigger.dep_ == "pobj" and head.lower_ == "of":
        head = head.head
    return head is not trigger and head.lemma_.lower() in _GENERIC_HEADS


def status_of(trigger: Any, event_type: str) -> Status:
    """occurred, ongoing, expected, threatened or denied from negation, modality and aspect."""
    verb = trigger if trigger.pos_ in ("VERB", "AUX") else governing_verb(trigger)
    children = {c.lower_ for c in verb.children if c.dep_ in ("aux", "auxpass", "neg", "advmod")}
    deps = {c.dep_ for c in verb.children}
    if "neg" in deps and event_type != "REJECT":
        return "denied"
    if verb.dep_ == "xcomp" and verb.head.lemma_.lower() in _FAIL_VERBS:
        return "denied"  # "failed to reach agreement"
    if children & _MODAL_FUTURE:
        return (
            "threatened" if event_type in ("ASSAULT", "COERCE") and _in_threat(verb) else "expected"
        )
    chain = [verb, *list(verb.ancestors)[:3]]
    if trigger.dep_ in ("nsubjpass",) and verb.lemma_ in _EXPECT_VERBS:
        return "expected"
    for node in chain[1:]:
        if node.lemma_.lower() in _EXPECT_VERBS and verb.dep_ in ("xcomp", "ccomp", "dobj"):
            return "expected"
    if _is_purpose(verb):
        return "expected"
    if verb.tag_ == "VBG" and any(c.lemma_ == "be" for c in verb.children if c.dep_ == "aux"):
        return "ongoing"
    aspect = {c.lower_ for c in verb.children if c.dep_ in ("acomp", "advmod", "attr")}
    if _ONGOING_WORDS & (aspect | {verb.lemma_.lower()}):
        return "ongoing"
    return "occurred"


def _is_purpose(verb: Any) -> bool:
    """'seeking leverage to demand X', 'a plan to seize the port', 'in order to retake the
    town': an infinitive hanging on a noun says what someone means to do, not what was done
    ('the first country to recognise X' excepted: that one did)."""
    if verb.tag_ != "VB" or not any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children):
        return False
    if verb.dep_ == "advcl":
        # "is seeking leverage to demand ...": the means sought, for an end not yet reached.
        return verb.head.lemma_.lower() in _EXPECT_VERBS | _SEEK
    if verb.dep_ not in ("relcl", "acl"):
        return False
    noun = verb.head
    if noun.pos_ not in ("NOUN", "PROPN", "PRON"):
        return False
    return not any(
        c.ent_type_ == "ORDINAL" or c.lower_ in ("only", "last", "next") for c in noun.children
    )


# Verbs of looking for a means to an end: "seeking leverage to demand", "trying to force".
_SEEK = frozenset({"seek", "look", "search", "hope", "try", "attempt", "need", "want", "aim"})


def _in_threat(verb: Any) -> bool:
    return any(a.lemma_.lower() in ("threaten", "warn", "vow") for a in verb.ancestors)


_FUTURE = frozenset({"will", "would", "'ll", "shall", "wo"})
_ANNOUNCING = SPEECH_VERBS | {"announce", "declare", "say", "threaten", "vow"}


def announced_by_actor(trigger: Any, *, main_clause: bool = False) -> bool:
    """'X said they would boycott': an actor announcing its own future act. With
    ``main_clause``, a plain 'X will give ...' counts too (intent, not a forecast of harm)."""
    verb = trigger if trigger.pos_ in ("VERB", "AUX") else governing_verb(trigger)
    if not {c.lower_ for c in verb.children if c.dep_ == "aux"} & _FUTURE:
        return False
    if main_clause and verb.dep_ == "ROOT":
        return any(c.dep_ == "nsubj" for c in verb.children)
    speech = verb.head if verb.dep_ == "ccomp" else None
    if speech is None or speech.lemma_.lower() not in _ANNOUNCING:
        return False
    subject = [c for c in verb.children if c.dep_ == "nsubj"]
    speaker = [c for c in speech.children if c.dep_ == "nsubj"]
    return bool(
        subject
        and speaker
        and (subject[0].pos_ == "PRON" or subject[0].lower_ == speaker[0].lower_)
    )


def reported_demand(modal: Any) -> tuple[Any, Any] | None:
    """'X said Y must do Z': (speaker, addressee) heads of a demand, else None."""
    content = modal.head
    speech = content.head if content.dep_ == "ccomp" else None
    if speech is None or speech.lemma_.lower() not in _ANNOUNCING | {"reiterate", "conclude"}:
        return None
    speaker = [c for c in speech.children if c.dep_ == "nsubj"]
    addressee = [c for c in content.children if c.dep_ in ("nsubj", "nsubjpass")]
    if not speaker:
        return None
    return speaker[0], (addressee[0] if addressee else None)


def source_of(trigger: Any, dictionary: ActorDictionary) -> Source:
    """The actor a claim is attributed to ('X said/claims/insists ...', 'according to X')."""
    for ancestor in trigger.ancestors:
        if ancestor.lemma_.lower() in SPEECH_VERBS and ancestor.pos_ in ("VERB", "AUX"):
            for child in ancestor.children:
                if child.dep_ in ("nsubj", "nsubjpass") and child.i != trigger.i:
                    return _source_from(child, dictionary)
    for token in trigger.sent:
        if token.lower_ == "according" and token.i + 1 < len(token.doc):
            to = token.doc[token.i + 1]
            for child in to.children:
                if child.dep_ == "pobj":
                    return _source_from(child, dictionary)
    return Source()


def _label(head: Any, dictionary: ActorDictionary) -> str | None:
    role = dictionary.roles.get(head.lemma_.lower())
    return role.label if role is not None else None


def _source_from(head: Any, dictionary: ActorDictionary) -> Source:
    actor = actor_from_head(head, dictionary)
    if actor is not None:
        name = actor.name
        if (
            actor.country is None
            and actor.person is None
            and name.lower() == _label(head, dictionary)
        ):
            # "Hospital administrators": the phrase says more than the bare role.
            name = actor.text.removeprefix("the ").removeprefix("The ")
        return Source(name=name, kind=actor.kind, text=actor.text, span=actor.span)
    tokens = list(head.subtree)
    start, end = tokens[0].idx, tokens[-1].idx + len(tokens[-1].text)
    text = doc_text(head.doc)[start:end]
    return Source(name=text, kind="other", text=text, span=Span(start=start, end=end))


_QUOTE_RE = re.compile(r"“([^”]{2,2000})”|\"([^\"\n]{2,2000})\"")


def find_quotes(doc: Any) -> list[Quote]:
    """Direct quotations with their speaker (the subject of the nearest speech verb)."""
    quotes: list[Quote] = []
    previous_speaker: str | None = None
    previous_end = -1
    text = doc_text(doc)
    for match in _QUOTE_RE.finditer(text):
        start, end = match.span()
        span = doc.char_span(start, end, alignment_mode="expand")
        speaker = _speaker(span.sent) if span is not None else None
        paragraph_gap = text[previous_end:start] if previous_end >= 0 else "\n\n\n"
        if speaker is None and paragraph_gap.count("\n") <= 2:
            speaker = previous_speaker
        quotes.append(Quote(text=match.group(0), span=Span(start=start, end=end), speaker=speaker))
        previous_speaker, previous_end = speaker, end
    return quotes


def _speaker(sent: Any) -> str | None:
    for token in sent:
        if token.lemma_.lower() in SPEECH_VERBS | {"vow", "say"}:
            for child in token.children:
                if child.dep_ in ("nsubj",):
                    persons = [
                        e
                        for e in span_ents(sent)
                        if e.label_ == "PERSON" and e.start <= child.i < e.end + 3
                    ]
                    if persons:
                        return str(persons[0].text)
                    subtree = list(child.subtree)
                    return str(
                        doc_text(sent.doc)[subtree[0].idx : subtree[-1].idx + len(subtree[-1].text)]
                    )
    return None
