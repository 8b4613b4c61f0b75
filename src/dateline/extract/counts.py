"""Casualty figures with qualifiers, ranges and vague quantities, coded UCDP/ACLED-style."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Literal

from dateline.extract.ontology import vague_quantities

_NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90, "a hundred": 100, "one hundred": 100, "a thousand": 1000,
    "a dozen": 12,
}  # fmt: skip
_LOWER_BOUND = ("at least", "more than", "over", "upwards of", "in excess of", "no fewer than")
_UPPER_BOUND = ("nearly", "almost", "up to", "fewer than", "less than", "as many as", "close to")
_ABOUT = ("about", "around", "approximately", "roughly", "some", "an estimated", "estimated")
_QUALIFIERS = _LOWER_BOUND + _UPPER_BOUND + _ABOUT

_DEATH = frozenset(
    {"kill", "dead", "death", "die", "fatality", "toll", "body", "massacre", "slay", "life"}
)
_INJURY = frozenset({"injure", "wound", "hurt", "injury", "wounded", "injured", "maim"})
_CUMULATIVE = re.compile(r"\b(death toll|toll|total|so far|in all|overall)\b", re.I)
_VICTIM_WORDS = {
    "civilian": "civilians", "woman": "women", "child": "children", "soldier": "soldiers",
    "militant": "militants", "fighter": "fighters", "police": "police", "policeman": "police",
    "officer": "police", "journalist": "journalists", "worker": "aid workers", "people": "people",
    "resident": "civilians", "patient": "patients", "student": "students", "refugee": "refugees",
    "man": "men", "boy": "children", "girl": "children", "hostage": "hostages", "troop": "soldiers",
    "protester": "protesters", "villager": "civilians", "doctor": "medical staff",
}  # fmt: skip

_NUM_RE = re.compile(r"^\d{1,3}(,\d{3})+$|^\d+$")


@dataclass
class CountMention:
    """A figure found in a sentence, before it is attached to an event."""

    kind: Literal["fatalities", "injuries"]
    text: str
    start: int
    end: int
    low: int | None
    best: int | None
    high: int | None
    victims: list[str] = field(default_factory=list)
    cumulative: bool = False


def parse_number(text: str) -> int | None:
    """Digits with thousands separators or a number word; None for anything else."""
    text = text.strip().lower()
    if _NUM_RE.match(text):
        return int(text.replace(",", ""))
    return _NUMBER_WORDS.get(text)


def _qualifier_before(sent_text: str, offset: int) -> str | None:
    before = sent_text[:offset].lower().rstrip()
    for qualifier in sorted(_QUALIFIERS, key=len, reverse=True):
        if before.endswith(qualifier) and (
            len(before) == len(qualifier) or not before[-len(qualifier) - 1].isalnum()
        ):
            return qualifier
    return None


def estimates(
    value: int, qualifier: str | None, *, high: int | None = None
) -> tuple[int | None, int | None, int | None]:
    """(low, best, high) for a number and its qualifier; ranges keep the low end as best."""
    if high is not None:
        return value, value, high
    if qualifier in _LOWER_BOUND:
        return value, value, None
    if qualifier in _UPPER_BOUND:
        return None, value, value
    return value, value, value if qualifier is None else None


def _quantity(token: Any) -> tuple[int, int | None, int | None, Any, Any] | None:
    """(low, best, high, first token, last token) for a number token or vague quantity."""
    doc = token.doc
    vague = vague_quantities()
    lower = token.lower_
    if lower in vague and token.pos_ in ("NOUN", "NUM", "ADJ", "PRON", "DET"):
        first = token
        if token.i > 0 and f"{doc[token.i - 1].lower_} {lower}" in vague:
            first = doc[token.i - 1]
            lower = f"{first.lower_} {token.lower_}"
        q = vague[lower]
        return q.low, q.best, q.high, first, token
    if not token.like_num:
        return None
    value = parse_number(token.text)
    if value is None:
        return None
    # "between 30 and 40", "30 to 40", "30-40"
    nxt = doc[token.i + 1 : token.i + 3]
    if len(nxt) == 2 and nxt[0].lower_ in ("to", "and", "-", "–") and nxt[1].like_num:
        upper = parse_number(nxt[1].text)
        if upper is not None and upper > value:
            return value, value, upper, token, nxt[1]
    return value, value, value, token, token


def _head_noun(first: Any, last: Any) -> Any | None:
    """The noun the number counts: its syntactic head, or the object of 'hundreds of X'."""
    nxt = last.doc[last.i + 1] if last.i + 1 < len(last.doc) else None
    if nxt is not None and nxt.lower_ == "of":
        for child in nxt.children:
            if child.dep_ == "pobj":
                return child
    current = last
    for _ in range(3):
        if (
            current.dep_ in ("nummod", "quantmod", "amod", "conj", "compound")
            and current.head is not current
        ):
            current = current.head
            if current.pos_ in ("NOUN", "PROPN"):
                return current
        else:
            break
    if last.pos_ in ("NOUN", "PRON"):
        return last
    return last


def _cue_lemmas(head: Any, last: Any) -> set[str]:
    """Lemmas around the counted noun that say whether the people were killed or hurt."""
    tokens = [head, *head.children]
    if head.dep_ in ("dobj", "nsubjpass", "nsubj", "pobj", "attr"):
        tokens.append(head.head)
    for token in (last, head):
        # "Dozens of protesters were killed": the quantity itself is the verb's subject.
        tokens.extend(list(token.ancestors)[:2])
    window = last.doc[last.i + 1 : min(len(last.doc), last.i + 4)]
    tokens.extend(window)
    return {t.lemma_.lower() for t in tokens} | {t.lower_ for t in tokens}


def _victims(head: Any) -> list[str]:
    kinds: list[str] = []
    related = [head, *head.conjuncts]
    for child in head.children:
        if child.dep_ == "prep" and child.lower_ in ("including", "among"):
            for obj in child.subtree:
                related.append(obj)
    related.extend(c for c in head.children if c.dep_ == "amod")
    for token in related:
        kind = _VICTIM_WORDS.get(token.lemma_.lower())
        if kind and kind not in kinds:
            kinds.append(kind)
    return kinds


def find_counts(sent: Any) -> list[CountMention]:
    """Fatality and injury figures in a parsed sentence, each with its exact span."""
    found: list[CountMention] = []
    used: set[int] = set()
    for token in sent:
        if token.i in used:
            continue
        quantity = _quantity(token)
        if quantity is None:
            continue
        low, best, high, first, last = quantity
        head = _head_noun(first, last)
        if head is None:
            continue
        if first.ent_type_ in ("DATE", "TIME", "MONEY", "PERCENT") and (
            head.lemma_.lower() not in _VICTIM_WORDS  # NER calls "between 30 and 40" a DATE
        ):
            continue
        cues = _cue_lemmas(head, last)
        kind: Literal["fatalities", "injuries"]
        if cues & _DEATH:
            kind = "fatalities"
        elif cues & _INJURY:
            kind = "injuries"
        else:
            continue
        qualifier = _qualifier_before(
            token.doc.text[sent.start_char : first.idx], first.idx - sent.start_char
        )
        start = first.idx
        if qualifier is not None:
            start = first.idx - len(qualifier) - 1
            start = token.doc.text.lower().rfind(qualifier, sent.start_char, first.idx)
        if high is not None and high != low:
            low_, best_, high_ = estimates(low, qualifier, high=high)
        elif (
            high is not None
            and low == high
            and last is first
            and parse_number(first.text) is not None
        ):
            low_, best_, high_ = estimates(low, qualifier)
        else:
            low_, best_, high_ = low, best, high
        end = (
            max(last.idx + len(last.text), head.idx + len(head.text))
            if head.i > last.i
            else last.idx + len(last.text)
        )
        used.update(range(first.i, last.i + 1))
        found.append(
            CountMention(
                kind=kind,
                text=token.doc.text[start:end],
                start=start,
                end=end,
                low=low_,
                best=best_,
                high=high_,
                victims=_victims(head),
                cumulative=bool(_CUMULATIVE.search(sent.text)) and kind == "fatalities",
            )
        )
    return found
