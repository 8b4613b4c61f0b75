"""The event ontology and actor dictionary, read from the CSV tables in ``dateline/data``.

Analysts extend dateline by editing those tables, not code: a new trigger word, actor or
demonym is one more row.
"""

from __future__ import annotations

import csv
import functools
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import resources

import pycountry


def _rows(name: str) -> Iterator[dict[str, str]]:
    """Rows of a packaged CSV table, skipping ``#`` comment lines."""
    text = resources.files("dateline.data").joinpath(name).read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if line.strip() and not line.startswith("#")]
    yield from csv.DictReader(lines)


@functools.cache
def word_list(name: str) -> frozenset[str]:
    """The words of a packaged one-per-line list, skipping ``#`` comment lines."""
    text = resources.files("dateline.data").joinpath(name).read_text(encoding="utf-8")
    return frozenset(
        line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")
    )


def hazard_nouns() -> frozenset[str]:
    """Natural hazards, which are never the actor of an event (``hazards.txt``)."""
    return word_list("hazards.txt")


@dataclass(frozen=True)
class TriggerRule:
    """A word or phrase that signals an event of a PLOVER type (and ACLED type)."""

    lemma: str
    pos: str
    event_type: str
    mode: str | None
    acled_event_type: str | None
    acled_sub_event_type: str | None
    strength: float
    requires: str | None = None
    objects: frozenset[str] = frozenset()

    @property
    def key(self) -> str:
        """A stable id for the rule, used as the spaCy Matcher label."""
        return f"{self.lemma}|{self.pos}|{self.event_type}"


@functools.cache
def trigger_rules() -> tuple[TriggerRule, ...]:
    """All trigger rules, in table order."""
    return tuple(
        TriggerRule(
            lemma=row["lemma"].strip().lower(),
            pos=row["pos"].strip().upper(),
            event_type=row["event_type"].strip(),
            mode=row["mode"].strip() or None,
            acled_event_type=row["acled_event_type"].strip() or None,
            acled_sub_event_type=row["acled_sub_event_type"].strip() or None,
            strength=float(row["strength"]),
            requires=(row.get("requires") or "").strip().lower() or None,
            objects=frozenset(
                word.strip().lower()
                for word in (row.get("object") or "").split("|")
                if word.strip()
            ),
        )
        for row in _rows("triggers.csv")
    )


@functools.cache
def negated_types() -> dict[str, str]:
    """PLOVER type -> the type its negation is coded as ("will not accept" -> REJECT)."""
    return {
        row["event_type"]: row["when_negated"].strip()
        for row in _rows("event_types.csv")
        if (row.get("when_negated") or "").strip()
    }


@functools.cache
def event_type_definitions() -> dict[str, str]:
    """PLOVER root type -> one-line definition."""
    return {row["event_type"]: row["definition"] for row in _rows("event_types.csv")}


@functools.cache
def announced_types() -> dict[str, str]:
    """PLOVER type -> the type an actor's announcement of its own future act is coded as."""
    return {
        row["event_type"]: row["when_announced"].strip()
        for row in _rows("event_types.csv")
        if (row.get("when_announced") or "").strip()
    }


@functools.cache
def acled_cues() -> dict[str, frozenset[str]]:
    """Named word sets that refine ACLED sub-event types from the sentence around a trigger."""
    return {
        row["cue"].strip(): frozenset(w.strip() for w in row["lemmas"].split("|") if w.strip())
        for row in _rows("acled_cues.csv")
    }


@dataclass(frozen=True)
class ActorEntry:
    """A normalised actor: name, ISO-3 country (when it has one) and kind."""

    name: str
    country: str | None
    kind: str


@dataclass(frozen=True)
class RoleNoun:
    """A generic noun naming a kind of actor ("forces", "civilians", "minister")."""

    kind: str
    label: str


@dataclass(frozen=True)
class ActorDictionary:
    """Named actors, country names and demonyms, and generic role nouns."""

    named: dict[str, ActorEntry]
    countries: dict[str, str]  # lowercase country name or demonym -> ISO-3
    country_names: dict[str, str]  # ISO-3 -> short English name
    roles: dict[str, RoleNoun]  # lemma -> role
    demonyms: frozenset[str]  # the keys of ``countries`` that are adjectives, not names

    def organisation_surface_names(self) -> list[str]:
        """Named actors as written in text ("Hamas", "Islamic Jihad", "UN", "IDF")."""
        names = {entry.name for entry in self.named.values()}
        for surface in self.named:
            names.add(surface.upper() if len(surface) <= 5 else surface.title())
        return sorted(names)

    def country_surface_names(self) -> list[str]:
        """Country names as written in text ("Israel", "Turkey"), for the entity ruler."""
        names = {self.country_names[iso3] for iso3 in self.country_names}
        names |= {k.title() for k in self.countries if k not in self.demonyms and "." not in k}
        return sorted(names)

    def country_of(self, word: str) -> str | None:
        """ISO-3 for a country name or demonym (``Israeli``, ``Jordan's``), else None."""
        key = word.lower().removesuffix("'s").removesuffix("’s").strip()
        return self.countries.get(key)


# Common names that pycountry spells differently; the names analysts and reporters use.
_COUNTRY_ALIASES = {
    "palestine": "PSE",
    "gaza": "PSE",
    "gaza strip": "PSE",
    "west bank": "PSE",
    "syria": "SYR",
    "iran": "IRN",
    "russia": "RUS",
    "turkey": "TUR",
    "türkiye": "TUR",
    "south korea": "KOR",
    "north korea": "PRK",
    "congo": "COD",
    "drc": "COD",
    "democratic republic of the congo": "COD",
    "ivory coast": "CIV",
    "bolivia": "BOL",
    "venezuela": "VEN",
    "tanzania": "TZA",
    "vietnam": "VNM",
    "laos": "LAO",
    "moldova": "MDA",
    "britain": "GBR",
    "great britain": "GBR",
    "uk": "GBR",
    "u.k.": "GBR",
    "us": "USA",
    "u.s.": "USA",
    "usa": "USA",
    "america": "USA",
    "united states": "USA",
    "kosovo": "XKX",
    "burma": "MMR",
}

_SHORT_NAMES = {
    "PSE": "Palestine",
    "SYR": "Syria",
    "IRN": "Iran",
    "RUS": "Russia",
    "TUR": "Turkey",
    "KOR": "South Korea",
    "PRK": "North Korea",
    "COD": "DR Congo",
    "GBR": "United Kingdom",
    "USA": "United States",
    "XKX": "Kosovo",
    "BOL": "Bolivia",
    "VEN": "Venezuela",
    "TZA": "Tanzania",
    "VNM": "Vietnam",
    "LAO": "Laos",
    "MDA": "Moldova",
}


@functools.cache
def actor_dictionary() -> ActorDictionary:
    """Load the actor tables once per process."""
    named = {
        row["surface"].strip().lower(): ActorEntry(
            name=row["name"].strip(), country=row["country"].strip() or None, kind=row["kind"]
        )
        for row in _rows("actors.csv")
    }
    countries: dict[str, str] = {}
    country_names: dict[str, str] = {}
    for country in pycountry.countries:
        iso3 = country.alpha_3
        name = getattr(country, "common_name", None) or country.name
        country_names[iso3] = _SHORT_NAMES.get(iso3, name)
        for form in {country.name, name, getattr(country, "official_name", country.name)}:
            countries[form.lower()] = iso3
    country_names["XKX"] = "Kosovo"
    countries.update(_COUNTRY_ALIASES)
    demonyms = set()
    for row in _rows("demonyms.csv"):
        if row["country"].strip():
            countries[row["demonym"].strip().lower()] = row["country"].strip()
            demonyms.add(row["demonym"].strip().lower())
    roles = {
        row["lemma"].strip().lower(): RoleNoun(kind=row["kind"], label=row["label"])
        for row in _rows("actor_roles.csv")
    }
    return ActorDictionary(
        named=named,
        countries=countries,
        country_names=country_names,
        roles=roles,
        demonyms=frozenset(demonyms),
    )


@dataclass(frozen=True)
class VagueQuantity:
    """How a vague quantity ("dozens") is coded: low, best and (optional) high."""

    low: int
    best: int
    high: int | None


@functools.cache
def vague_quantities() -> dict[str, VagueQuantity]:
    """The documented table of vague quantities (ACLED conventions)."""
    return {
        row["word"].strip().lower(): VagueQuantity(
            low=int(row["low"]),
            best=int(row["best"]),
            high=int(row["high"]) if row["high"].strip() else None,
        )
        for row in _rows("vague_quantities.csv")
    }


@functools.cache
def victim_kinds() -> dict[str, str]:
    """Person noun -> the victim kind a figure about them is coded as (``victims.csv``)."""
    return {row["word"].strip().lower(): row["kind"].strip() for row in _rows("victims.csv")}
