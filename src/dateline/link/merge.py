"""Merging mentions of one event inside a document, so no figure is counted twice.

ACLED's rule, applied within an article: the same type, the same actors, the same day and
the same place make one event. A field missing on one side does not block a merge; a field
that differs does.
"""

from __future__ import annotations

from collections.abc import Sequence

from dateline.extract.counts import merge_counts
from dateline.link.text import content_terms, term_similarity
from dateline.models import Actor, AssociatedActor, Count, Event, Location, When

_PRECISION_RANK = {"point": 0, "town": 1, "admin1": 2, "country": 3}
_INCOMPATIBLE_STATUS = frozenset({"historical", "expected", "threatened", "denied"})
# Statements (requests, refusals, threats, talks) in different sentences are usually different
# statements: they merge only when they name the same initiator, or use the same words
# ("Ceasefire Talks Stall" in the headline, "ceasefire talks ... have stalled" in the body),
# and no role names a different actor.
_PHYSICAL_TYPES = frozenset(
    {"ASSAULT", "MOBILIZE", "COERCE", "PROTEST", "SANCTION", "RETREAT", "AID"}
)


def _same_actor(a: Actor | None, b: Actor | None) -> bool:
    if a is None or b is None:
        return True
    if a.name == b.name:
        return True
    if a.kind == b.kind and (a.country is None or b.country is None):
        # "Civilians" and "Civilians (Palestine)": the vaguer name does not contradict.
        return a.name.startswith(b.name) or b.name.startswith(a.name)
    return a.country is not None and a.country == b.country and a.kind == b.kind


def _named_alike(a: Actor | None, b: Actor | None) -> bool:
    return a is None or b is None or a.name == b.name


# How alike two sentences naming the same two sides must be to state one thing: a headline
# and the body's sentence that it sums up share most content words; two demands of one side
# to another ("release the prisoners", "lift the blockade") share little beyond the names.
_SAME_CONTENT = 0.3


def _same_statement(a: Event, b: Event) -> bool:
    """Two statements are one when their roles agree and they use the same words, or name the
    same two sides in sentences about the same thing."""
    if not (_named_alike(a.actor1, b.actor1) and _named_alike(a.actor2, b.actor2)):
        return False
    words_a = {_talk_word(m.text) for m in a.provenance.mentions}
    words_b = {_talk_word(m.text) for m in b.provenance.mentions}
    if words_a & words_b:
        return True
    both_sides = all(x is not None for x in (a.actor1, a.actor2, b.actor1, b.actor2))
    similarity = term_similarity(
        content_terms(a.provenance.sentence), content_terms(b.provenance.sentence)
    )
    return both_sides and similarity >= _SAME_CONTENT


# Words that name one process of talks: a headline's "Ceasefire Talks" and the body's
# "ceasefire negotiations" are the same talks when their sides do not contradict.
_TALKS = frozenset({"talks", "talk", "negotiations", "negotiation", "dialogue"})


def _talk_word(text: str) -> str:
    words = text.lower().split()
    return "talks" if words and words[-1] in _TALKS else text.lower()


def _same_place(a: Location | None, b: Location | None) -> bool:
    if a is None or b is None or a.geonameid is None or b.geonameid is None:
        return True
    if a.geonameid == b.geonameid:
        return True
    # A town and the country or region that contains it do not contradict each other.
    coarse = {a.geo_precision, b.geo_precision} & {"country", "admin1"}
    return bool(coarse) and a.country == b.country


def _same_time(a: When, b: When) -> bool:
    if "reported" in (a.precision, b.precision):
        return True
    return a.start <= b.end and b.start <= a.end


def _same_figures(a: Count | None, b: Count | None) -> bool:
    if a is None or b is None:
        return True
    if a.cumulative or b.cumulative:
        return a.cumulative == b.cumulative and a.best == b.best
    return (a.low, a.best) == (b.low, b.best) or (a.high is not None and a.high == b.high)


def _two_sided(event: Event) -> bool:
    """A battle has two sides and no initiator: 'X fought Y' and 'Y clashed with X' are one."""
    return event.acled_event_type == "Battles"


def swapped(event: Event) -> Event:
    """The event with actor1 and actor2 (and their associated actors) exchanged."""
    flip = {"actor1": "actor2", "actor2": "actor1"}
    associated = [
        a.model_copy(update={"role": flip.get(a.role, a.role)}) for a in event.associated_actors
    ]
    return event.model_copy(
        update={
            "actor1": event.actor2,
            "actor2": event.actor1,
            "associated_actors": associated,
        }
    )


def compatible(a: Event, b: Event) -> bool:
    """Whether two events in one article can be the same real-world event."""
    if a.event_type != b.event_type:
        return False
    if a.mode is not None and b.mode is not None and a.mode != b.mode:
        return False  # an air strike and a ground assault are two events, even on one day
    if (
        a.status in _INCOMPATIBLE_STATUS or b.status in _INCOMPATIBLE_STATUS
    ) and a.status != b.status:
        return False
    if a.event_type not in _PHYSICAL_TYPES and not _same_statement(a, b):
        return False
    physical = a.event_type in _PHYSICAL_TYPES
    return (
        _same_actor(a.actor1, b.actor1)
        and _same_actor(a.actor2, b.actor2)
        and (not physical or _same_place(a.location, b.location))
        and _same_time(a.date, b.date)
        and _same_figures(a.fatalities, b.fatalities)
    )


def _finer(a: Location | None, b: Location | None) -> Location | None:
    if a is None:
        return b
    if b is None:
        return a
    rank_a = _PRECISION_RANK.get(a.geo_precision or "country", 4)
    rank_b = _PRECISION_RANK.get(b.geo_precision or "country", 4)
    return b if rank_b < rank_a else a


def _better_date(a: When, b: When) -> When:
    order = ("day", "week", "month", "year", "reported")
    return b if order.index(b.precision) < order.index(a.precision) else a


def _absorb(target: Event, other: Event) -> Event:
    """Fold ``other`` into ``target``: keep the first non-missing value of each field."""
    mentions = [*target.provenance.mentions]
    mentions.extend(m for m in other.provenance.mentions if m not in mentions)
    impacts = [*target.impacts, *(i for i in other.impacts if i not in target.impacts)]
    quotes = [*target.quotes, *(q for q in other.quotes if q not in target.quotes)]
    mode = target.mode or other.mode
    acled = (target.acled_event_type, target.acled_sub_event_type)
    if target.acled_sub_event_type is None:
        acled = (other.acled_event_type, other.acled_sub_event_type)
    # The reporter's own statement outweighs an attributed one: an event the reporter states
    # once is the reporter's, even if a witness also describes it.
    source = target.source if target.source.name == "reporter" else other.source
    # A headline says "blockade"; the body says it has lasted 16 years: the event is ongoing.
    status = "ongoing" if "ongoing" in (target.status, other.status) else target.status
    return target.model_copy(
        update={
            "mode": mode,
            "acled_event_type": acled[0],
            "acled_sub_event_type": acled[1],
            "actor1": target.actor1 or other.actor1,
            "actor2": target.actor2 or other.actor2,
            "associated_actors": _associated(target, other),
            "location": _finer(target.location, other.location),
            "date": _better_date(target.date, other.date),
            "fatalities": merge_counts(target.fatalities, other.fatalities),
            "injuries": merge_counts(target.injuries, other.injuries),
            "impacts": impacts,
            "quotes": quotes,
            "source": source,
            "status": status,
            "provenance": target.provenance.model_copy(update={"mentions": mentions}),
            "confidence": round(min(1.0, max(target.confidence, other.confidence) + 0.05), 3),
        }
    )


def _associated(target: Event, other: Event) -> list[AssociatedActor]:
    """Both events' associated actors, once each; none that is already a main actor."""
    mains = (target.actor1 or other.actor1, target.actor2 or other.actor2)
    names = {a.name for a in mains if a is not None}
    found: list[AssociatedActor] = []
    for actor in (*target.associated_actors, *other.associated_actors):
        if actor.name not in names:
            names.add(actor.name)
            found.append(actor)
    return found


def merge_events(events: Sequence[Event]) -> list[Event]:
    """Merge compatible events greedily in text order; the earliest mention keeps its id.

    A battle's sides may be named in either order."""
    merged: list[Event] = []
    for event in events:
        for index, existing in enumerate(merged):
            if compatible(existing, event):
                merged[index] = _absorb(existing, event)
                break
            if _two_sided(existing) and _two_sided(event) and compatible(existing, swapped(event)):
                merged[index] = _absorb(existing, swapped(event))
                break
        else:
            merged.append(event)
    return merged
