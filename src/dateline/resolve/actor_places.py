"""Actors named through a place: a town's residents, a town standing for its people.

Runs once the document's places are resolved: "Khan Younis residents" and "residents of
Bree" are civilians of the country the place lies in, and a town that is the target of a
warning or a demand stands for the people living there (a capital for its government).
A town never becomes an actor of kind country.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from dateline.extract.ontology import ActorDictionary
from dateline.models import Actor, AssociatedActor, Location, Place, Span

# Whether a resolved place is a national capital (it then stands for the government).
IsCapital = Callable[[Place], bool]

# How many characters before an actor a bare "residents" looks back for the place meant.
_LOOK_BACK_CHARS = 600


def place_actor(
    actor: Actor | None,
    places: Sequence[Place],
    dictionary: ActorDictionary,
    *,
    is_capital: IsCapital,
    location: Location | None = None,
) -> Actor | None:
    """The actor with the country of the place it is named through, if it has none.

    ``places`` are the document's resolved places in text order; ``location`` the event's,
    used by a bare civilians noun ("residents") with no place of its own."""
    if actor is None or actor.country is not None:
        return actor
    inside = [p for p in places if _within(p.span, actor.span) and p.country]
    own = [p for p in inside if p.geo_precision != "country"]
    if own:
        place = own[-1]
        assert place.country is not None
        country = dictionary.country_names.get(place.country, place.country)
        if _is_just(actor, place):
            if is_capital(place):
                return _recast(actor, f"Government of {country}", place.country, "government")
            return _recast(actor, f"Civilians ({country})", place.country, "civilians")
        name = _with_country(actor, dictionary, country, place)
        return _recast(actor, name, place.country)
    states = [p for p in inside if p.geo_precision == "country" and _is_just(actor, p)]
    if states and states[0].country is not None:
        # A state the actor dictionary lacks, known to the gazetteer: its government.
        iso3 = states[0].country
        country = dictionary.country_names.get(iso3, iso3)
        return _recast(actor, f"Government of {country}", iso3, "government")
    if actor.kind == "civilians" and _is_bare_label(actor, dictionary):
        near = _nearby_place(actor, places, location)
        if near is not None and near.country is not None:
            country = dictionary.country_names.get(near.country, near.country)
            return _recast(actor, f"{actor.name} ({country})", near.country)
    return actor


def place_associated(
    actors: Sequence[AssociatedActor],
    places: Sequence[Place],
    dictionary: ActorDictionary,
    *,
    is_capital: IsCapital,
) -> list[AssociatedActor]:
    """``place_actor`` over associated actors, keeping their roles."""
    found: list[AssociatedActor] = []
    for actor in actors:
        placed = place_actor(actor, places, dictionary, is_capital=is_capital)
        if placed is not None and placed is not actor:
            actor = AssociatedActor(**placed.model_dump(exclude={"role"}), role=actor.role)
        found.append(actor)
    return found


def _within(inner: Span, outer: Span) -> bool:
    return outer.start <= inner.start and inner.end <= outer.end


def _is_just(actor: Actor, place: Place) -> bool:
    """The actor's phrase is the place's name (perhaps after 'the')."""
    text = actor.text.removeprefix("the ").removeprefix("The ")
    return text == place.text and actor.kind in ("country", "other", "government", "person")


def _is_bare_label(actor: Actor, dictionary: ActorDictionary) -> bool:
    return actor.person is None and actor.name.lower() in {
        role.label for role in dictionary.roles.values()
    }


def _with_country(actor: Actor, dictionary: ActorDictionary, country: str, place: Place) -> str:
    """'Residents' of a place in Palestine, 'Bree residents': 'Residents (Palestine)'; a named
    actor keeps its name; a bare 'forces' or 'officials' becomes the country's."""
    label = _bare_label(actor, dictionary, place)
    if label is None:
        return actor.name
    if actor.kind == "military":
        return f"Military Forces of {country}"
    if actor.kind == "government":
        return f"Government of {country}"
    return f"{label.capitalize()} ({country})"


def _bare_label(actor: Actor, dictionary: ActorDictionary, place: Place) -> str | None:
    """The role label of an actor phrase that is only a role noun and the place."""
    if actor.person is not None:
        return None
    rest = actor.text.replace(place.text, " ").lower().split()
    rest = [w for w in rest if w not in ("the", "of", "in", "from")]
    labels = {role.label for role in dictionary.roles.values()}
    if len(rest) == 1 and rest[0] in labels:
        return rest[0]
    if actor.name.lower() in labels and len(rest) <= 1:
        return actor.name.lower()
    return None


def _nearby_place(
    actor: Actor, places: Sequence[Place], location: Location | None
) -> Location | None:
    """The event's own place, else the latest town named shortly before the actor."""
    if location is not None and location.geo_precision != "country":
        return location
    before = [
        p
        for p in places
        if p.geo_precision != "country"
        and p.span.end <= actor.span.start
        and actor.span.start - p.span.end <= _LOOK_BACK_CHARS
    ]
    return before[-1] if before else None


def _recast(actor: Actor, name: str, country: str, kind: str | None = None) -> Actor:
    update: dict[str, object] = {"name": name, "country": country}
    if kind is not None:
        update["kind"] = kind
    return actor.model_copy(update=update)


def resolved_in_order(places: Mapping[tuple[int, int], Place]) -> list[Place]:
    """The resolved places of a document in text order."""
    return sorted(places.values(), key=lambda p: (p.span.start, p.span.end))


def home_of(actor: Actor | None, places: Sequence[Place]) -> Place | None:
    """The town a civilians actor is named through ("Bree residents", a warned town): where
    an event with no place of its own happened."""
    if actor is None or actor.kind != "civilians":
        return None
    inside = [p for p in places if _within(p.span, actor.span) and p.geo_precision != "country"]
    return inside[-1] if inside else None
