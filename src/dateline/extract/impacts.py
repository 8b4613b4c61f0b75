"""Damage and disruption with counts: buildings destroyed, people displaced, arrested or
captured, facilities out of service, services knocked out.

Each impact is a thing (``kind``: building, home, hospital, people, soldiers, power, ...),
what happened to it (``effect``: destroyed, damaged, displaced, arrested, out of service, ...)
and how many when the text says, with the span from the figure to the noun.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from dateline.extract.counts import number_at, vague_at
from dateline.extract.doccache import doc_text, span_text
from dateline.extract.ontology import ActorDictionary, vague_quantities
from dateline.extract.status import source_of
from dateline.models import Event, Impact, Span

_THINGS = {
    "building": "building", "apartment": "building", "tower": "building", "block": "building",
    "home": "home", "house": "home", "dwelling": "home", "residence": "home",
    "center": "commercial building", "centre": "commercial building", "mall": "commercial building",
    "shop": "commercial building", "store": "commercial building", "market": "market",
    "hospital": "hospital", "clinic": "hospital", "facility": "facility", "school": "school",
    "university": "school", "mosque": "place of worship", "church": "place of worship",
    "synagogue": "place of worship", "temple": "place of worship", "bridge": "bridge",
    "road": "road", "vehicle": "vehicle", "car": "vehicle", "truck": "vehicle", "bus": "vehicle",
    "ambulance": "vehicle", "tank": "vehicle", "shelter": "shelter", "tent": "shelter",
    "warehouse": "warehouse", "factory": "factory", "plant": "power plant", "station": "station",
    "well": "water well", "pipeline": "pipeline", "office": "office", "airport": "airport",
    "port": "port", "village": "village", "farm": "farm", "crop": "crops", "field": "farm",
}  # fmt: skip
_DAMAGE = {
    "collapse": "collapsed", "destroy": "destroyed", "damage": "damaged", "flatten": "destroyed",
    "raze": "destroyed", "level": "destroyed", "demolish": "destroyed", "bulldoze": "destroyed",
    "burn": "burned", "torch": "burned", "loot": "looted", "hit": "hit", "gut": "destroyed",
    "reduce": "destroyed",
}  # fmt: skip
_PEOPLE = {
    "displace": "displaced", "flee": "displaced", "uproot": "displaced", "evacuate": "evacuated",
    "arrest": "arrested", "detain": "arrested", "jail": "arrested", "imprison": "arrested",
    "capture": "captured", "abduct": "abducted", "kidnap": "abducted", "trap": "trapped",
    "missing": "missing", "hold": "held",
}  # fmt: skip
_PERSON_KINDS = {
    "soldier": "soldiers", "troop": "soldiers", "civilian": "civilians", "people": "people",
    "person": "people", "protester": "protesters", "demonstrator": "protesters",
    "resident": "civilians", "family": "families", "child": "children", "woman": "women",
    "man": "men", "student": "students", "journalist": "journalists", "activist": "activists",
    "militant": "militants", "fighter": "fighters", "suspect": "suspects", "hostage": "hostages",
    "villager": "civilians", "worker": "workers", "patient": "patients", "refugee": "refugees",
    "member": "people", "leader": "leaders", "official": "officials", "other": "people",
    "palestinian": "civilians", "gazan": "civilians", "officer": "police", "policeman": "police",
}  # fmt: skip
_SERVICES = re.compile(
    r"\b(power|electricity|water|cell service|mobile service|phone service|internet"
    r"|communications|fuel supplies|telecommunications)\b",
    re.I,
)
_OUTAGE = re.compile(
    r"\b(knocked out|cut off|cut|out of service|down|outage|blackout|shut off|severed)\b", re.I
)
_OUT_OF_SERVICE = re.compile(
    r"\b(out of service|out of action|non-?functional|no longer functioning|stopped functioning"
    r"|forced to close|shut down|closed)\b",
    re.I,
)


# A facility strained past what it can do: "the hospital is overwhelmed".
_STRAIN = {
    "overwhelm": "overwhelmed", "overwhelmed": "overwhelmed", "overcrowd": "overcrowded",
    "overcrowded": "overcrowded", "overstretch": "overstretched", "overstretched": "overstretched",
}  # fmt: skip
_FACILITIES = frozenset({"hospital", "facility", "school", "shelter", "power plant", "station"})
# Supplies that run out: "less than a day of fuel and water left", "running low on medicine".
_SUPPLIES = frozenset(
    {"power", "electricity", "fuel", "water", "food", "medicine", "supply", "supplies", "oxygen",
     "blood", "medication", "flour", "bread"}
)  # fmt: skip
_SHORTAGE = re.compile(
    r"\b(running (out|low)|ran out|runs? out|run (out|low)|short of|shortages? of"
    r"|less than\b[^.;]{0,100}\bleft|(only|just)\b[^.;]{0,40}\bleft|dwindling|depleted)\b",
    re.I,
)


def _strained(sent: Any) -> list[Impact]:
    """Facilities overwhelmed or overcrowded, and supplies running out."""
    found: list[Impact] = []
    for token in sent:
        effect = _STRAIN.get(token.lemma_.lower()) or _STRAIN.get(token.lower_)
        if effect is None:
            continue
        holder = token.head if token.dep_ in ("acomp", "amod") else token
        nouns = [c for c in holder.children if c.dep_ in ("nsubj", "nsubjpass")]
        for aux in (c for c in holder.children if c.dep_ in ("aux", "auxpass")):
            nouns += [c for c in aux.children if c.dep_ in ("nsubj", "nsubjpass")]
        if token.dep_ == "amod":
            nouns.append(token.head)
        if not nouns and holder.dep_ == "conj":  # "... and is overwhelmed": the first subject
            nouns = [c for c in holder.head.children if c.dep_ in ("nsubj", "nsubjpass")]
        for noun in nouns:
            kind = _THINGS.get(noun.lemma_.lower())
            if kind in _FACILITIES:
                found.append(_impact(noun, kind, effect))
    shortage = _SHORTAGE.search(span_text(sent)) is not None
    for token in sent:
        lemma = token.lemma_.lower()
        if token.pos_ not in ("NOUN", "PROPN") or (
            lemma not in _SUPPLIES and token.lower_ not in _SUPPLIES
        ):
            continue
        first = token
        while first.dep_ == "conj" and first.head is not first:
            first = first.head
        without = first.dep_ == "pobj" and first.head.lower_ == "without"
        if not (shortage or without):
            continue
        qualifier = next(
            (
                c.lower_
                for c in token.children
                if c.dep_ in ("amod", "compound")
                and c.lower_ in ("medical", "food", "fuel", "water", "aid", "relief")
            ),
            None,
        )
        kind = "supplies" if lemma in ("supply", "supplies") else lemma
        if qualifier is not None:
            kind = f"{qualifier} {kind}"
        start, end = token.idx, token.idx + len(token.text)
        if qualifier is not None:
            start = min(c.idx for c in token.children if c.lower_ == qualifier)
        found.append(
            Impact(
                text=doc_text(token.doc)[start:end], span=Span(start=start, end=end), kind=kind,
                effect="running out" if shortage else "lacking",
            )
        )  # fmt: skip
    return found


def _arguments(cue: Any) -> list[Any]:
    """The nouns a cue word says something about: its objects, passive subjects, the noun a
    participle modifies ("soldiers captured by Hamas"), and their conjuncts."""
    args: list[Any] = []
    for child in cue.children:
        if child.dep_ in ("dobj", "nsubjpass") or (
            child.dep_ == "nsubj" and cue.lemma_.lower() in ("collapse", "flee", "burn")
        ):
            args.append(child)
    if cue.dep_ in ("acl", "amod", "relcl") and cue.head.pos_ in ("NOUN", "PROPN", "PRON"):
        args.append(cue.head)
    if cue.dep_ == "conj" and not args:
        args.extend(_arguments(cue.head))
    if not args:  # "damaged or destroyed nearly all facilities": the object is shared
        for conj in cue.children:
            if conj.dep_ == "conj" and conj.lemma_.lower() in _DAMAGE | _PEOPLE:
                args.extend(c for c in conj.children if c.dep_ in ("dobj", "nsubjpass"))
    if cue.dep_ in ("acomp",) or cue.lemma_.lower() == "missing":
        args.extend(c for c in cue.head.children if c.dep_ in ("nsubj", "nsubjpass"))
    out: list[Any] = []
    for arg in args:
        # "dozens of homes": the noun after "of" is what was hit.
        of = next((c for c in arg.children if c.dep_ == "prep" and c.lower_ == "of"), None)
        pobj = next((c for c in of.children if c.dep_ == "pobj"), None) if of else None
        if pobj is not None and (arg.lower_ in vague_quantities() or arg.lower_ == "number"):
            arg = pobj
        for noun in (arg, *arg.conjuncts):
            if noun not in out:
                out.append(noun)
    return out


def _count(noun: Any) -> tuple[int | None, int]:
    """How many the noun says (None when no figure) and the index of the figure's first token."""
    doc = noun.doc
    table = vague_quantities()
    head = noun.head
    if head.lower_ == "of" and head.head.i < noun.i:
        quantity = head.head  # "dozens of homes", "a number of shops"
        vague = vague_at(doc, quantity.i, table) or vague_at(doc, quantity.i - 1, table)
        if vague is not None:
            start = quantity.i if vague_at(doc, quantity.i, table) else quantity.i - 1
            return vague[0].low, start
    lefts = [t for left in noun.lefts for t in left.subtree]
    while lefts and lefts[0].lower_ in ("the", "its", "their", "his", "her", "our", "whose"):
        lefts = lefts[1:]
    first = min([noun.i, *(t.i for t in lefts)])
    count: int | None = None
    for child in noun.lefts:
        if child.dep_ == "nummod":
            number = number_at(doc, child.i)
            count = number[0] if number is not None else count
        elif child.dep_ == "det" and child.lower_ in ("a", "an", "one"):
            count = 1
    if count is None and noun.lower_ in table:
        count = table[noun.lower_].low
    if count is None and noun.like_num:
        number = number_at(doc, noun.i)
        count = number[0] if number is not None else None
    return count, first


def _impact(noun: Any, kind: str, effect: str) -> Impact:
    count, first = _count(noun)
    compound = next((c.lower_ for c in noun.lefts if c.dep_ == "compound"), None)
    if compound in ("health", "medical", "aid", "water", "power", "police", "polling"):
        kind = f"{compound} {kind}"
    doc = noun.doc
    start, end = doc[first].idx, noun.idx + len(noun.text)
    name = next((c for c in noun.children if c.dep_ == "appos" and c.pos_ == "PROPN"), None)
    if name is not None:  # "the hospital, Al Amal Clinic": the facility's own name
        end = name.idx + len(name.text)
    return Impact(
        text=doc_text(doc)[start:end], span=Span(start=start, end=end), kind=kind, count=count,
        effect=effect,
    )  # fmt: skip


def _person_kind(noun: Any) -> str | None:
    for form in (noun.lemma_.lower(), noun.lower_, noun.lower_.rstrip("s")):
        if form in _PERSON_KINDS:
            return _PERSON_KINDS[form]
    if noun.like_num or noun.lower_ in vague_quantities() or noun.lower_ in ("some", "others"):
        return "people"
    return None


def find_impacts(sent: Any) -> list[Impact]:
    """Damage, displacement, arrests and captures with counts, and service outages."""
    impacts: list[Impact] = []

    def add(impact: Impact) -> None:
        for index, known in enumerate(impacts):
            if known.span == impact.span and known.kind == impact.kind:
                if impact.effect and impact.effect not in (known.effect or ""):
                    effect = f"{known.effect} or {impact.effect}" if known.effect else impact.effect
                    impacts[index] = known.model_copy(update={"effect": effect})
                return
        impacts.append(impact)

    for token in sent:
        lemma = token.lemma_.lower()
        if lemma in _DAMAGE and token.pos_ in ("VERB", "ADJ", "AUX"):
            for noun in _arguments(token):
                kind = _THINGS.get(noun.lemma_.lower())
                if kind is not None:
                    add(_impact(noun, kind, _DAMAGE[lemma]))
        elif lemma in _PEOPLE and token.pos_ in ("VERB", "ADJ"):
            for noun in _arguments(token):
                person = _person_kind(noun)
                if person is not None:
                    add(_impact(noun, person, _PEOPLE[lemma]))
    for impact in _strained(sent):
        add(impact)
    sent_text = span_text(sent)
    if _OUT_OF_SERVICE.search(sent_text):
        for token in sent:
            kind = _THINGS.get(token.lemma_.lower())
            if kind in ("hospital", "facility", "school", "power plant", "station", "airport"):
                add(_impact(token, kind, "out of service"))
    if _OUTAGE.search(sent_text):
        for match in _SERVICES.finditer(sent_text):
            start = sent.start_char + match.start()
            end = sent.start_char + match.end()
            add(
                Impact(
                    text=match.group(0),
                    span=Span(start=start, end=end),
                    kind=match.group(0).lower(),
                    effect="out of service",
                )
            )
    return impacts


_VIOLENT = frozenset({"ASSAULT", "COERCE", "PROTEST"})


def attach_orphan_impacts(
    doc: Any, events: Sequence[Event], dictionary: ActorDictionary | None = None
) -> None:
    """Impacts stated in a sentence with no event of its own ("Power and water are knocked
    out.") belong to the violent event just before it in the same paragraph, else in the same
    section (the paragraphs since the last headline line). An impact the sentence attributes
    to someone ("hospital administrators warn ...") carries that source."""
    covered = [(e.provenance.start, e.provenance.end) for e in events]
    text = doc_text(doc)
    for sent in doc.sents:
        if any(start <= sent.start_char < end for start, end in covered):
            continue
        found = find_impacts(sent)
        if not found:
            continue
        before = [
            e
            for e in events
            if e.event_type in _VIOLENT
            and e.provenance.end <= sent.start_char
            and e.status not in ("historical", "expected", "threatened")
        ]
        same_paragraph = [
            e for e in before if "\n\n" not in text[e.provenance.end : sent.start_char]
        ]
        same_section = [
            e for e in before if not _headline_between(text, e.provenance.end, sent.start_char)
        ]
        candidates = same_paragraph or same_section
        if not candidates:
            continue
        target = max(candidates, key=lambda e: e.provenance.end)
        if dictionary is not None:
            found = [_attributed(impact, doc, dictionary) for impact in found]
        target.impacts = [*target.impacts, *found]


def _headline_between(text: str, start: int, end: int) -> bool:
    """Whether a headline (a short line of its own without closing punctuation) lies between."""
    for line in text[start:end].split("\n")[1:-1]:
        line = line.strip()
        if line and len(line) < 150 and not line.endswith((".", "”", '"', "?", "!", ":", ";")):
            return True
    return False


def _attributed(impact: Impact, doc: Any, dictionary: ActorDictionary) -> Impact:
    tokens = doc.char_span(impact.span.start, impact.span.end, alignment_mode="expand")
    if tokens is None or not len(tokens):
        return impact
    source = source_of(tokens.root, dictionary)
    if source.name == "reporter":
        return impact
    return impact.model_copy(update={"source": source})
