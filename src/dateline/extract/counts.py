"""Casualty figures with qualifiers, ranges and vague quantities, coded UCDP/ACLED-style.

A figure is a quantity (digits, number words, a vague phrase from ``vague_quantities.csv``,
"a soldier", "no one") whose people were killed or hurt: the word right after it ("14 dead"),
the verb it is an argument of ("killed 14", "14 were wounded"), "among the dead", or a death
toll it is the value of (then it is ``cumulative``: a running total, not new deaths).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from dateline.extract.doccache import doc_lower, doc_text
from dateline.extract.ontology import VagueQuantity, vague_quantities, victim_kinds
from dateline.models import Count

Kind = Literal["fatalities", "injuries"]

_NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90, "a hundred": 100, "one hundred": 100, "a thousand": 1000,
    "a dozen": 12,
}  # fmt: skip
_MULTIPLIERS = {"dozen": 12, "hundred": 100, "thousand": 1000, "million": 1_000_000}
_LOWER_BOUND = (
    "at least", "more than", "over", "upwards of", "in excess of", "no fewer than",
    "no less than", "a minimum of", "just over", "well over",
)  # fmt: skip
_UPPER_BOUND = (
    "nearly", "almost", "up to", "fewer than", "less than", "as many as", "close to",
    "just under", "under", "a maximum of",
)  # fmt: skip
_ABOUT = ("about", "around", "approximately", "roughly", "some", "an estimated", "estimated")
_QUALIFIERS = _LOWER_BOUND + _UPPER_BOUND + _ABOUT

_DEATH = frozenset(
    {"kill", "killed", "dead", "death", "die", "died", "fatality", "fatalities", "toll", "body",
     "bodies", "massacre", "slay", "slain", "life", "lives", "execute", "executed", "behead",
     "murder", "murdered", "perish", "assassinate"}
)  # fmt: skip
_INJURY = frozenset(
    {
        "injure",
        "injured",
        "wound",
        "wounded",
        "hurt",
        "injury",
        "injuries",
        "maim",
        "maimed",
        "hospitalize",
        "hospitalise",
        "hospitalized",
        "hospitalised",
    }
)
# Words right after a figure that say what happened to those people ("14 dead, 23 hurt").
_AFTER_DEATH = frozenset({"dead", "killed", "died", "die", "slain", "fatalities", "deaths"})
_AFTER_INJURY = frozenset(
    {"wounded", "injured", "hurt", "injuries", "maimed", "hospitalized", "hospitalised"}
)
_TOTAL = re.compile(
    r"\b(so far|to date|in total|in all|overall|altogether|a total of|cumulative|since the"
    r" (?:start|beginning|outbreak)|since the (?:war|conflict|fighting|offensive|invasion) began"
    r"|since (?:the (?:war|conflict|invasion|uprising)\b|(?:19|20)\d\d\b))",
    re.I,
)
_VICTIM_WORDS = victim_kinds()
_PERSON_NOUNS = frozenset(_VICTIM_WORDS) | {
    "other", "others", "one", "body", "life", "victim", "death", "fatality",
}  # fmt: skip
_NUM_RE = re.compile(r"^\d{1,3}(,\d{3})+$|^\d+$")
_DECIMAL_RE = re.compile(r"^\d+(\.\d+)?$")


@dataclass
class CountMention:
    """A figure found in a sentence, before it is attached to an event."""

    kind: Kind
    text: str
    start: int
    end: int
    low: int | None
    best: int | None
    high: int | None
    victims: list[str] = field(default_factory=list)
    cumulative: bool = False


@dataclass(frozen=True)
class _Quantity:
    """A quantity's estimates and the tokens it covers."""

    low: int | None
    best: int | None
    high: int | None
    first: int
    last: int
    exact: bool  # a plain number, which qualifiers such as "at least" turn into bounds


def parse_number(text: str) -> int | None:
    """Digits with thousands separators or a number word; None for anything else."""
    text = text.strip().lower()
    if _NUM_RE.match(text):
        return int(text.replace(",", ""))
    if "-" in text:
        parts = text.split("-")
        if len(parts) == 2 and parts[0] in _NUMBER_WORDS and parts[1] in _NUMBER_WORDS:
            tens, units = _NUMBER_WORDS[parts[0]], _NUMBER_WORDS[parts[1]]
            if tens >= 20 and tens % 10 == 0 and units < 10:
                return tens + units
    return _NUMBER_WORDS.get(text)


def _qualifier_before(before: str) -> str | None:
    """The qualifier ("at least", "nearly", ...) the text before a figure ends with."""
    before = before.lower().rstrip()
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


def number_at(doc: Any, i: int) -> tuple[int, int] | None:
    """(value, index of the last token) for a number starting at token ``i``:
    "1,200", "twenty-five", "twenty five", "two hundred", "1.5 million"."""
    token = doc[i]
    text = token.lower_
    value = parse_number(text)
    last = i
    if value is None and _DECIMAL_RE.match(text) and i + 1 < len(doc):
        if doc[i + 1].lower_ in _MULTIPLIERS:
            return round(float(text) * _MULTIPLIERS[doc[i + 1].lower_]), i + 1
        return None
    if value is None:
        return None
    if (
        i + 2 < len(doc)
        and doc[i + 1].text in ("-", "–")
        and 20 <= value <= 90
        and doc[i + 2].lower_ in _NUMBER_WORDS
        and _NUMBER_WORDS[doc[i + 2].lower_] < 10
    ):
        value, last = value + _NUMBER_WORDS[doc[i + 2].lower_], i + 2
    elif (
        i + 1 < len(doc)
        and 20 <= value <= 90
        and value % 10 == 0
        and doc[i + 1].lower_ in _NUMBER_WORDS
        and _NUMBER_WORDS[doc[i + 1].lower_] < 10
    ):
        value, last = value + _NUMBER_WORDS[doc[i + 1].lower_], i + 1
    if last + 1 < len(doc) and doc[last + 1].lower_ in _MULTIPLIERS:
        value, last = value * _MULTIPLIERS[doc[last + 1].lower_], last + 1
    return value, last


# The first words of a vague-quantity table's phrases, per table: most tokens start none.
_FIRST_WORDS: dict[int, tuple[dict[str, VagueQuantity], frozenset[str]]] = {}


def _first_words(table: dict[str, VagueQuantity]) -> frozenset[str]:
    entry = _FIRST_WORDS.get(id(table))
    if entry is None or entry[0] is not table:
        entry = (table, frozenset(phrase.split(" ", 1)[0] for phrase in table))
        _FIRST_WORDS[id(table)] = entry
    return entry[1]


def vague_at(doc: Any, i: int, table: dict[str, VagueQuantity]) -> tuple[VagueQuantity, int] | None:
    """The longest phrase of the vague-quantity table starting at token ``i``."""
    if 0 <= i < len(doc) and doc[i].lower_ not in _first_words(table):
        return None
    for length in (4, 3, 2, 1):
        if i + length > len(doc):
            continue
        phrase = " ".join(t.lower_ for t in doc[i : i + length])
        if phrase in table:
            # "a number of people": the counted noun is the object of "of", found later.
            last = i + length - 1 - (length > 1 and doc[i + length - 1].lower_ == "of")
            return table[phrase], last
    return None


def _quantity(doc: Any, i: int, table: dict[str, VagueQuantity]) -> _Quantity | None:
    """The quantity starting at token ``i``, if one does."""
    token = doc[i]
    nxt = doc[i + 1] if i + 1 < len(doc) else None
    if token.lower_ in ("no", "none") and nxt is not None and nxt.lower_ == "one":
        return _Quantity(0, 0, 0, i, i + 1, exact=True)
    if token.lower_ == "nobody":
        return _Quantity(0, 0, 0, i, i, exact=True)
    vague = vague_at(doc, i, table)
    if vague is not None:
        q, last = vague
        after = doc[last + 1] if last + 1 < len(doc) else None
        # "some 30", "many more": a qualifier of another figure, or no figure at all.
        if after is not None and (after.like_num or after.lower_ in ("more", "other")):
            return None
        if i > 0 and doc[i - 1].lower_ in ("as", "so", "too", "how"):
            return None  # "as many as 555": the figure follows
        if token.pos_ in ("NOUN", "NUM", "ADJ", "PRON", "DET", "PROPN"):
            return _Quantity(q.low, q.best, q.high, i, last, exact=False)
        return None
    if not token.like_num:
        if token.lower_ in ("a", "an") and nxt is not None and _is_single_victim(nxt):
            return _Quantity(1, 1, 1, i, i, exact=True)
        return None
    number = number_at(doc, i)
    if number is None:
        return None
    value, last = number
    # "between 30 and 40", "30 to 40", "30-40"
    if last + 2 < len(doc) and doc[last + 1].lower_ in ("to", "and", "-", "–", "or"):
        upper = number_at(doc, last + 2)
        if upper is not None and upper[0] > value and doc[last + 2].like_num:
            return _Quantity(value, value, upper[0], i, upper[1], exact=False)
    return _Quantity(value, value, value, i, last, exact=True)


def _is_single_victim(token: Any) -> bool:
    """'a soldier', 'a police officer': one person (singular victim noun)."""
    noun = token
    if token.dep_ in ("compound", "amod") and token.head.i > token.i:
        noun = token.head
    return noun.tag_ in ("NN", "NNP") and noun.lower_ in _VICTIM_WORDS


def _head_noun(doc: Any, first: int, last: int) -> Any:
    """The noun the figure counts: its syntactic head, or the object of 'hundreds of X'."""
    tail = doc[last]
    nxt = doc[last + 1] if last + 1 < len(doc) else None
    if nxt is not None and nxt.lower_ == "of":
        for child in nxt.children:
            if child.dep_ == "pobj":
                return child
    for current in (tail, doc[first]):  # "30 and 40 fighters": 40 hangs on 30
        for _ in range(3):
            if current.dep_ in ("nummod", "quantmod", "amod", "compound", "det", "nmod") and (
                current.head is not current and current.head.i > current.i
            ):
                current = current.head
                if current.pos_ in ("NOUN", "PROPN"):
                    return current
            else:
                break
    return tail


def _kind_of(lemmas: set[str]) -> Kind | None:
    if lemmas & _DEATH:
        return "fatalities"
    if lemmas & _INJURY:
        return "injuries"
    return None


def _forms(token: Any) -> set[str]:
    return {token.lemma_.lower(), token.lower_}


def _governor(head: Any) -> Any:
    """The verb (or noun) the counted people are an argument of, through coordination."""
    current = head
    while current.dep_ in ("conj", "pobj") and current.head is not current:
        if current.dep_ == "pobj":
            if current.head.lower_ != "of" or current.head.head is current.head:
                break
            current = current.head.head  # "dozens of people were killed": the quantity's verb
        else:
            current = current.head
    if current.dep_ == "pobj" and current.head.dep_ == "agent":
        return current.head.head
    if current.dep_ == "pobj" and current.head.lower_ == "among":
        return current.head
    return current.head


def _classify(doc: Any, quantity: _Quantity, head: Any) -> tuple[Kind | None, bool]:
    """(kind, cumulative): the nearest cue decides, from the next word out to the clause."""
    governor = _governor(head)
    # "the death toll rose to 25,000", "bringing the toll to 30": the value of a toll.
    toll_verb = next(
        (
            v
            for v in [governor, *governor.ancestors][:3]
            if any(c.lemma_.lower() in ("toll", "tally") for c in v.children)
            or v.lemma_.lower() in ("toll", "tally")
        ),
        None,
    )
    if toll_verb is not None and head.lemma_.lower() not in _VICTIM_WORDS:
        toll = next(
            (c for c in [toll_verb, *toll_verb.children] if c.lemma_.lower() in ("toll", "tally")),
            toll_verb,
        )
        injured = any(c.lemma_.lower() in _INJURY for c in toll.children)
        return ("injuries" if injured else "fatalities"), True
    end = max(quantity.last, head.i)
    for token in doc[end + 1 : end + 3]:
        if token.lower_ in _AFTER_DEATH:
            return "fatalities", False
        if token.lower_ in _AFTER_INJURY:
            return "injuries", False
        if not (token.is_punct or token.lower_ in ("people", "more", "others", "persons")):
            break
    words = _forms(governor) | {
        w
        for c in governor.children
        if c.dep_ in ("acomp", "oprd", "prt", "advmod", "xcomp")
        for w in _forms(c)
    }
    for prep in governor.children:  # "three children were among the dead"
        if prep.dep_ == "prep" and prep.lower_ == "among":
            words |= {w for c in prep.subtree for w in _forms(c)}
    if governor.lower_ == "among" or head.dep_ == "attr":
        words |= {w for c in governor.subtree for w in _forms(c)}
    kind = _kind_of(words)
    if kind is not None:
        return kind, False
    # Broader: the noun's own words, then its ancestors up to the first verb, nearest first.
    wider = [head, *head.children]
    for ancestor in doc[quantity.last].ancestors:
        wider.append(ancestor)
        if ancestor.pos_ in ("VERB", "AUX") and ancestor.dep_ != "amod":
            break
    for token in wider:
        kind = _kind_of(_forms(token))
        if kind is not None:
            return kind, False
    return None, False


def _victims(head: Any) -> list[str]:
    kinds: list[str] = []
    related = [head, *head.conjuncts]
    for child in head.children:
        if child.dep_ == "prep" and child.lower_ in ("including", "among"):
            related.extend(child.subtree)
    related.extend(c for c in head.children if c.dep_ in ("amod", "compound"))
    for token in related:
        for form in (token.lemma_.lower(), token.lower_, token.lower_.rstrip("s")):
            kind = _VICTIM_WORDS.get(form)
            if kind is not None:
                if kind not in kinds:
                    kinds.append(kind)
                break
    return kinds


def find_counts(sent: Any) -> list[CountMention]:
    """Fatality and injury figures in a parsed sentence, each with its exact span."""
    doc = sent.doc
    table = vague_quantities()
    found: list[tuple[CountMention, Any]] = []
    i = sent.start
    while i < sent.end:
        quantity = _quantity(doc, i, table)
        if quantity is None:
            i += 1
            continue
        i = quantity.last + 1
        first = doc[quantity.first]
        head = _head_noun(doc, quantity.first, quantity.last)
        if first.ent_type_ in ("DATE", "TIME", "MONEY", "PERCENT", "QUANTITY", "ORDINAL") and (
            head.lemma_.lower() not in _VICTIM_WORDS  # NER calls "between 30 and 40" a DATE
        ):
            continue
        if (
            head.i != quantity.last
            and head.pos_ == "NOUN"
            and head.lower_ not in _PERSON_NOUNS
            and head.lemma_.lower() not in _VICTIM_WORDS
            and not head.lower_.endswith("men")
        ):
            continue  # "300 tanks", "three buildings": not people
        kind, toll = _classify(doc, quantity, head)
        if kind is None:
            continue
        found.append((_mention(sent, quantity, head, kind, toll), head))
    heads = {head.i for _, head in found}
    for token in sent:
        if token.i not in heads:
            unnumbered = _unnumbered(token, table)
            if unnumbered is not None:
                found.append((unnumbered, token))
    found.sort(key=lambda pair: pair[0].start)
    return _sum_conjuncts(found)


_KILL_VERBS = frozenset({"kill", "slay", "massacre", "execute", "murder", "behead", "assassinate"})
_WOUND_VERBS = frozenset({"injure", "wound", "hurt", "maim"})


def _unnumbered(token: Any, table: dict[str, VagueQuantity]) -> CountMention | None:
    """'an air strike killed civilians': victims without a number, coded as ACLED codes an
    unspecified number (the table's 'an unspecified number of')."""
    verb = token.head
    if (
        token.tag_ not in ("NNS", "NNPS")
        or token.dep_ not in ("dobj", "nsubjpass")
        or verb.tag_ not in ("VBD", "VBN", "VBG")
        or _victim_kind(token) is None
        or any(c.dep_ in ("det", "nummod", "poss", "quantmod") for c in token.children)
    ):
        return None
    lemma = verb.lemma_.lower()
    kind: Kind
    if lemma in _KILL_VERBS:
        kind = "fatalities"
    elif lemma in _WOUND_VERBS:
        kind = "injuries"
    else:
        return None
    unspecified = table.get("an unspecified number of")
    if unspecified is None:
        return None
    lefts = [t for c in token.lefts if c.dep_ in ("amod", "compound") for t in c.subtree]
    start = min([token.idx, *(t.idx for t in lefts)])
    end = token.idx + len(token.text)
    return CountMention(
        kind=kind,
        text=doc_text(token.doc)[start:end],
        start=start,
        end=end,
        low=unspecified.low,
        best=unspecified.best,
        high=unspecified.high,
        victims=_victims(token),
    )


def _victim_kind(token: Any) -> str | None:
    for form in (token.lemma_.lower(), token.lower_, token.lower_.rstrip("s")):
        if form in _VICTIM_WORDS:
            return _VICTIM_WORDS[form]
    if token.ent_type_ == "NORP":  # "Palestinians", "Afghans"
        return "people"
    return None


def _mention(sent: Any, quantity: _Quantity, head: Any, kind: Kind, toll: bool) -> CountMention:
    doc = sent.doc
    doc_str = doc_text(doc)
    first = doc[quantity.first]
    single = first.lower_ in ("a", "an")  # "mourn over a family member": no qualifier
    qualifier = None if single else _qualifier_before(doc_str[sent.start_char : first.idx])
    start = first.idx
    if qualifier is not None:
        start = doc_lower(doc).rfind(qualifier, sent.start_char, first.idx)
    elif quantity.high not in (None, quantity.low) and first.i > sent.start:
        before = doc[first.i - 1]
        start = before.idx if before.lower_ in ("between", "from") else start
    low, best, high = quantity.low, quantity.best, quantity.high
    if quantity.exact and low is not None:
        low, best, high = estimates(low, qualifier)
    elif qualifier in _LOWER_BOUND and not quantity.exact:
        high = None  # "more than dozens": no upper bound
    last = doc[max(quantity.last, head.i) if head.i - quantity.last <= 8 else quantity.last]
    end = last.idx + len(last.text)
    clause = _clause_text(head)
    return CountMention(
        kind=kind,
        text=doc_str[start:end],
        start=start,
        end=end,
        low=low,
        best=best,
        high=high,
        victims=_victims(head),
        cumulative=toll
        or bool(_TOTAL.search(clause) or _TOTAL.search(doc_str[sent.start_char : start])),
    )


def _clause_text(head: Any) -> str:
    """The text of the clause the counted people belong to (their governing verb's subtree)."""
    verb = head
    for ancestor in head.ancestors:
        if ancestor.pos_ in ("VERB", "AUX"):
            verb = ancestor
            break
    tokens = list(verb.subtree)
    return " ".join(t.text for t in tokens)


def _sum_conjuncts(found: Sequence[tuple[CountMention, Any]]) -> list[CountMention]:
    """'three children and two women were among the dead': one figure of five."""
    out: list[CountMention] = []
    heads: list[Any] = []
    for mention, head in found:
        if out and head in heads[-1].conjuncts and out[-1].kind == mention.kind:
            prev = out[-1]
            out[-1] = CountMention(
                kind=prev.kind,
                text=doc_text(head.doc)[prev.start : mention.end],
                start=prev.start,
                end=mention.end,
                low=_add(prev.low, mention.low),
                best=_add(prev.best, mention.best),
                high=_add(prev.high, mention.high),
                victims=[*prev.victims, *(v for v in mention.victims if v not in prev.victims)],
                cumulative=prev.cumulative or mention.cumulative,
            )
            continue
        out.append(mention)
        heads.append(head)
    return out


def _add(a: int | None, b: int | None) -> int | None:
    return None if a is None or b is None else a + b


def merge_counts(first: Count | None, second: Count | None) -> Count | None:
    """One figure from two mentions of the same event (headline, lead, body): counted once.

    The first mention's figure and span stay; the victims either mention names are pooled,
    and a bound or total the first lacks is taken from the second when the figures agree."""
    if first is None or second is None:
        return first or second
    if first.cumulative != second.cumulative:
        return second if first.cumulative else first  # new deaths over a running total
    victims = [*first.victims, *(v for v in second.victims if v not in first.victims)]
    if (first.low, first.best) != (second.low, second.best):
        return first.model_copy(update={"victims": victims})
    high = first.high if first.high is not None else second.high
    return first.model_copy(update={"victims": victims, "high": high})
