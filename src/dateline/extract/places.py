"""Place names in a sentence: NER places, cue-word places ("X town") and sub-places.

Names that stand for an actor ("Jordan's King", "Turkey's President") are left out: the
country acts there, nothing happens at it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from dateline.extract.doccache import doc_text, span_ents, span_text
from dateline.models import Span

_PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
_PLACE_CUE = re.compile(
    r"\b(?:(?:town|village|city|camp|district|province|region) of ((?:[A-Z][\w'’`-]*\s?){1,3}))"
    r"|((?:[A-Z][\w'’`-]*\s){1,3})(?=(?:town|village|city)\b)"
)
# Street names and the like: a place the gazetteer must not resolve to the namesake town.
_STREET_WORDS = frozenset({
    "st", "st.", "street", "rd", "rd.", "road", "ave", "ave.", "avenue", "blvd", "blvd.",
    "boulevard", "lane", "ln", "drive", "dr", "dr.", "highway", "hwy", "way", "court", "ct",
    "parkway", "pkwy", "circle",
})  # fmt: skip
# "Alexandria, La.", "Charleston, W.Va.": a state abbreviation right after a place name.
_QUALIFIER = re.compile(r",\s(?P<abbr>[A-Z]\.\s?[A-Z][a-z]?\.|[A-Z][a-z]{1,4}\.)")
# A news dateline in capitals: "CHARLESTON, W.Va. --", "GAZA CITY, Jan 24 (Reuters) -".
_DATELINE = re.compile(r"(?<![\w.])(?P<name>[A-Z][A-Z'’-]{2,}(?: [A-Z][A-Z'’-]+){0,2}),\s")
# A name the model took for a person or body, after a preposition of place: "in Whitestown".
# ("to Obama", "of Henry" name people: only prepositions of location count.)
_PLACE_PREPOSITIONS = frozenset({"in", "near", "outside", "across", "around"})


# A named sub-place after its host's name: "Jenin refugee camp", "Erez border crossing".
_SUBPLACE_SUFFIX = re.compile(
    r"\s(?:refugee camp|camp|airport|air base|border crossing|crossing|port)\b", re.I
)
# A facility and where it is: "... Hospital in central Khan Younis", "... base near Erbil".
_FACILITY_NOUNS = frozenset({
    "hospital", "complex", "camp", "school", "university", "mosque", "church", "market",
    "airport", "base", "prison", "port", "station", "crossing", "square", "compound",
    "center", "centre", "clinic", "bridge", "refinery", "plant", "factory", "stadium",
})  # fmt: skip
_HOST_AFTER = re.compile(
    r"\s(?:in|near|outside|at)\s(?:the\s)?"
    r"(?:(?:central|northern|southern|eastern|western|downtown|north|south|east|west)\s)?"
)
# Where a place name sits in its clause: "in Khan Younis" is where something happens,
# "mediated by Egypt" and "Israel claims" name actors.
Relation = Literal["locative", "object", "subject", "agent", "other"]
_LOCATIVE = frozenset(
    {"in", "at", "near", "on", "into", "outside", "around", "across", "over", "inside", "along"}
)


@dataclass(frozen=True)
class PlaceCandidate:
    """A place name in a sentence that may be where the event happened."""

    text: str
    start: int
    end: int
    label: str
    relation: Relation = "other"
    # A sub-place ("Nasser Medical Complex in central Khan Younis") names its host's span.
    host_start: int | None = None
    host_end: int | None = None


def relation_of(span: Any) -> Relation:
    """The clause role of a place name, read from the dependency parse."""
    root = span.root
    token = root
    # "the Khan Younis operation", "Khan Younis residents": the role of the noun it modifies.
    while token.dep_ == "compound" and token.head is not token:
        token = token.head
    if token.dep_ == "pobj":
        head = token.head.lower_
        if head == "by" or token.head.dep_ == "agent":
            return "agent"
        return "locative" if head in _LOCATIVE else "other"
    if token.dep_ in ("nsubj", "nsubjpass") and token is root:
        return "subject"
    if token.dep_ in ("dobj", "attr", "appos"):
        return "object"
    return "other"


def _is_street(ent: Any) -> bool:
    doc = ent.doc
    last = ent[-1].lower_
    following = doc[ent.end].lower_ if ent.end < len(doc) else ""
    return last in _STREET_WORDS or following in _STREET_WORDS


def place_candidates(sent: Any, actor_spans: Sequence[Span]) -> list[PlaceCandidate]:
    """Place names in a sentence, except those standing for an actor ("Jordan's King")."""
    doc = sent.doc
    found: dict[tuple[int, int], PlaceCandidate] = {}
    sent_text = span_text(sent)
    for ent in span_ents(sent):
        candidate = _entity_candidate(ent, actor_spans)
        if candidate is not None:
            found[(candidate.start, candidate.end)] = candidate
    for match in _DATELINE.finditer(sent_text):
        start = sent.start_char + match.start("name")
        end = sent.start_char + match.end("name")
        if not any(c.start < end and start < c.end for c in found.values()):
            found[(start, end)] = PlaceCandidate(match.group("name"), start, end, "dateline")
    for match in _PLACE_CUE.finditer(sent_text):
        group = 1 if match.group(1) else 2
        name = match.group(group).strip()
        start = sent.start_char + match.start(group)
        if name and not any(c.start <= start < c.end for c in found.values()):
            found[(start, start + len(name))] = PlaceCandidate(
                name, start, start + len(name), "cue"
            )
    for candidate in list(found.values()):
        qualifier = _QUALIFIER.match(doc_text(doc), candidate.end)
        if qualifier is not None and qualifier.end() <= sent.end_char + 1:
            start, end = qualifier.span("abbr")
            found.setdefault(
                (start, end), PlaceCandidate(qualifier["abbr"], start, end, "qualifier")
            )
    for sub in _subplaces(sent, found):
        if sub.start == sub.host_start:  # "Jenin refugee camp" stands for "Jenin" too
            found = {k: c for k, c in found.items() if k[0] != sub.start}
        found[(sub.start, sub.end)] = sub
    return sorted(found.values(), key=lambda c: c.start)


def _entity_candidate(ent: Any, actor_spans: Sequence[Span]) -> PlaceCandidate | None:
    doc = ent.doc
    if _is_street(ent):
        return None
    if ent.label_ not in _PLACE_LABELS:
        if ent.label_ in ("PERSON", "ORG") and _after_place_preposition(ent):
            return PlaceCandidate(ent.text, ent.start_char, ent.end_char, "prep", "locative")
        return None
    following = doc[ent.end] if ent.end < len(doc) else None
    if following is not None and following.tag_ == "POS" and _possessor_is_actor(following):
        return None  # possessive: "Jordan's King", "Israel's strategy"
    if (
        following is not None
        and following.ent_iob_ == "B"
        and following.ent_type_ in _PLACE_LABELS
        and len(ent) == 1
        and ent[0].whitespace_ == " "
    ):
        return None  # "Main Khan Younis Hospital": a word glued to the next place name
    if any(s.start <= ent.start_char and ent.end_char <= s.end for s in actor_spans) and (
        ent.root.dep_ in ("nsubj", "nsubjpass", "poss", "compound", "amod")
    ):
        return None
    return PlaceCandidate(ent.text, ent.start_char, ent.end_char, ent.label_, relation_of(ent))


def _subplaces(sent: Any, found: dict[tuple[int, int], PlaceCandidate]) -> list[PlaceCandidate]:
    """Named sub-places with their host: "Jenin refugee camp", "X Hospital in central Gaza"."""
    subs: list[PlaceCandidate] = []
    base = sent.start_char
    text = span_text(sent)
    for host in list(found.values()):
        if host.label in ("qualifier", "subplace"):
            continue
        suffix = _SUBPLACE_SUFFIX.match(text, host.end - base)
        if suffix is not None:
            end = base + suffix.end()
            subs.append(
                PlaceCandidate(
                    text[host.start - base : suffix.end()],
                    host.start,
                    end,
                    "subplace",
                    host.relation,
                    host.start,
                    host.end,
                )
            )
    for ent in span_ents(sent):
        if ent.label_ not in ("FAC", "ORG") or ent[-1].lemma_.lower() not in _FACILITY_NOUNS:
            continue
        after = _HOST_AFTER.match(text, ent.end_char - base)
        if after is None:
            continue
        host_start = base + after.end()
        where = next((c for c in found.values() if c.start == host_start), None)
        if where is not None:
            subs.append(
                PlaceCandidate(
                    ent.text,
                    ent.start_char,
                    ent.end_char,
                    "subplace",
                    relation_of(ent),
                    where.start,
                    where.end,
                )
            )
    return subs


def _after_place_preposition(ent: Any) -> bool:
    root = ent.root
    return bool(
        root.dep_ == "pobj" and root.head.lower_ in _PLACE_PREPOSITIONS and ent.text[:1].isupper()
    )


# Nouns after a possessive place that make the place an actor ("Jordan's King") rather than
# a location ("Iraq's north", "the city's hospital" stay places).
_ACTOR_NOUNS = frozenset({
    "king", "queen", "president", "prime", "minister", "ministry", "government", "leader",
    "leaders", "army", "military", "forces", "troops", "navy", "police", "foreign", "defense",
    "defence", "strategy", "officials", "official", "spokesman", "spokeswoman", "ambassador",
    "embassy", "parliament", "regime", "authorities", "people", "team", "governor", "mayor",
    "senator", "delegation", "allies", "ally", "policy",
})  # fmt: skip


def _possessor_is_actor(pos_token: Any) -> bool:
    """True when the noun after "X's" is a person, body or stance of X."""
    doc = pos_token.doc
    for token in doc[pos_token.i + 1 : min(pos_token.i + 5, len(doc))]:
        if token.pos_ in ("NOUN", "PROPN"):
            return token.lower_ in _ACTOR_NOUNS or token.ent_type_ == "PERSON"
        if token.pos_ not in ("ADJ", "NUM", "PUNCT"):
            break
    return True
