"""Small multi-article corpora written for the cluster tests: records built by hand, no NLP.

Each report is a short article with one event whose fields point (by span) into its text.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
from dataclasses import dataclass

from dateline.models import (
    Actor,
    Count,
    Document,
    DocumentRecord,
    Event,
    Location,
    Provenance,
    Span,
    Spanned,
    When,
)


@dataclass(frozen=True)
class Town:
    name: str
    lat: float
    lon: float
    country: str
    admin1: str
    geonameid: int


KHERSON = Town("Kherson", 46.6354, 32.6169, "UKR", "08", 706448)
BILOZERKA = Town("Bilozerka", 46.6339, 32.3833, "UKR", "08", 711390)  # ~18 km west
ODESA = Town("Odesa", 46.4775, 30.7326, "UKR", "17", 698740)


def _span(text: str, needle: str) -> Span:
    start = text.index(needle)
    return Span(start=start, end=start + len(needle))


def report(
    text: str,
    *,
    outlet: str,
    trigger: str,
    day: dt.date,
    date_text: str,
    event_type: str = "ASSAULT",
    mode: str | None = "shelling",
    town: Town | None = KHERSON,
    place_text: str | None = None,
    actor1: tuple[str, str, str | None] | None = None,
    actor2: tuple[str, str, str | None] | None = None,
    deaths: tuple[str, int | None, int | None, int | None] | None = None,
    precision: str = "day",
    published: dt.date | None = None,
) -> DocumentRecord:
    """A one-event record; actors are (text, name, country), deaths (text, low, best, high)."""
    digest = hashlib.sha256(text.encode()).hexdigest()
    doc_id = digest[:16]
    location = None
    if town is not None:
        surface = place_text or town.name
        location = Location(
            text=surface,
            span=_span(text, surface),
            name=town.name,
            lat=town.lat,
            lon=town.lon,
            country=town.country,
            admin1=town.admin1,
            geonameid=town.geonameid,
            geo_precision="town",
        )

    def actor(spec: tuple[str, str, str | None] | None) -> Actor | None:
        if spec is None:
            return None
        return Actor(
            text=spec[0], span=_span(text, spec[0]), name=spec[1], country=spec[2], kind="military"
        )

    fatalities = None
    if deaths is not None:
        fatalities = Count(
            text=deaths[0],
            span=_span(text, deaths[0]),
            low=deaths[1],
            best=deaths[2],
            high=deaths[3],
            victims=["civilians"],
        )
    trigger_value = Spanned(text=trigger, span=_span(text, trigger))
    event = Event(
        id=hashlib.sha256(f"{doc_id}:{trigger}".encode()).hexdigest()[:16],
        doc_id=doc_id,
        event_type=event_type,  # type: ignore[arg-type]
        mode=mode,
        acled_event_type="Explosions/Remote violence" if event_type == "ASSAULT" else None,
        acled_sub_event_type="Shelling/artillery/missile attack" if mode == "shelling" else None,
        actor1=actor(actor1),
        actor2=actor(actor2),
        location=location,
        date=When(
            text=date_text,
            span=_span(text, date_text),
            start=day,
            end=day,
            precision=precision,  # type: ignore[arg-type]
        ),
        fatalities=fatalities,
        provenance=Provenance(
            sentence=text, start=0, end=len(text), trigger=trigger_value, mentions=[trigger_value]
        ),
        confidence=0.8,
    )
    document = Document(
        id=doc_id,
        content_hash=digest,
        title=text.split(".")[0][:60],
        text=text,
        source=outlet,
        origin=f"test:{outlet}",
        published=published or day + dt.timedelta(days=1),
        reference_date=published or day + dt.timedelta(days=1),
        reference_date_reason="test",
    )
    return DocumentRecord(document=document, events=[event])


MAY3 = dt.date(2024, 5, 3)
MAY4 = dt.date(2024, 5, 4)
RUSSIAN = ("Russian forces", "Russian Armed Forces", "RUS")


def market_shelling_reports() -> list[DocumentRecord]:
    """One happening (the Kherson market shelling of 3 May) told by three outlets in their words."""
    return [
        report(
            "Russian forces shelled the central market in Kherson on 3 May, killing 7 civilians "
            "and wounding 19, the regional governor said.",
            outlet="Harbour Times",
            trigger="shelled",
            day=MAY3,
            date_text="on 3 May",
            actor1=RUSSIAN,
            deaths=("7 civilians", 7, 7, 7),
        ),
        report(
            "Seven shoppers died when artillery fire from the Russian army hit a crowded market "
            "in the city of Kherson on Friday morning, emergency services reported.",
            outlet="Steppe Wire",
            trigger="artillery fire",
            day=MAY3,
            date_text="on Friday morning",
            actor1=("the Russian army", "Russian Army", "RUS"),
            deaths=("Seven shoppers", 7, 7, 7),
        ),
        report(
            "At least 12 people were killed in the shelling of Kherson's main market on Friday, "
            "a hospital official told reporters, giving a higher toll than the governor.",
            outlet="Delta Daily",
            trigger="shelling",
            day=MAY3,
            date_text="on Friday",
            place_text="Kherson",
            deaths=("At least 12 people", 12, 12, None),
        ),
    ]


def next_day_shelling() -> DocumentRecord:
    """A different happening: shelling of a residential block in Kherson the next day."""
    return report(
        "Russian forces shelled a residential block in Kherson on Saturday, killing two "
        "pensioners, the city administration said.",
        outlet="Harbour Times",
        trigger="shelled",
        day=MAY4,
        date_text="on Saturday",
        actor1=RUSSIAN,
        deaths=("two pensioners", 2, 2, 2),
    )


WIRE_STORY = (
    "KHERSON (Steppe Wire) - Seven shoppers died when artillery fire from the Russian army hit a "
    "crowded market in the city of Kherson on Friday morning, emergency services reported. "
    "Rescue teams searched the ruins of the covered hall until nightfall, and the regional "
    "administration declared two days of mourning. Windows were blown out in apartment "
    "buildings around the square, and the trolleybus line that runs past the market was cut. "
    "Residents said the strikes came without warning in the busiest hour of the morning."
)


def wire_copies() -> list[DocumentRecord]:
    """The same wire story as published by the agency and republished by two other outlets."""
    variants = [
        ("Steppe Wire", WIRE_STORY),
        ("Coastal Herald", "Market hit in Kherson\n\n" + WIRE_STORY + "\n\n(Reporting by staff)"),
        ("River Post", WIRE_STORY.replace("KHERSON (Steppe Wire) - ", "")),
    ]
    return [
        report(
            text,
            outlet=outlet,
            trigger="artillery fire",
            day=MAY3,
            date_text="on Friday morning",
            actor1=("the Russian army", "Russian Army", "RUS"),
            deaths=("Seven shoppers", 7, 7, 7),
            published=MAY3 + dt.timedelta(days=index),
        )
        for index, (outlet, text) in enumerate(variants)
    ]


_TOWNS = [KHERSON, BILOZERKA, ODESA]
_VERBS = ["shelled", "bombarded", "struck", "hit"]
_TARGETS = ["the market", "a school", "the rail depot", "a grain silo", "the port", "a clinic"]
_SAYERS = ["the governor said", "officials reported", "police told reporters", "a medic said"]


def _happening_text(
    rng: random.Random, verb: str, target: str, town: Town, deaths: int, serial: int
) -> str:
    sayer = rng.choice(_SAYERS)
    return (
        f"Report {serial}: Russian forces {verb} {target} in {town.name} on Tuesday, "
        f"killing {deaths} people, {sayer}."
    )


def many_reports(count: int = 60, seed: int = 5) -> list[DocumentRecord]:
    """A larger corpus: ``count`` articles about a dozen happenings (same towns, close days,
    different targets and tolls), some with two events and some dated only by the article."""
    rng = random.Random(seed)
    happenings = [
        (
            rng.choice(_TOWNS),
            MAY3 + dt.timedelta(days=rng.randrange(3)),
            rng.choice(_TARGETS),
            rng.randrange(1, 9),
        )
        for _ in range(12)
    ]
    records: list[DocumentRecord] = []
    for serial in range(count):
        chosen = rng.sample(happenings, 2 if rng.random() < 0.3 else 1)
        verbs = rng.sample(_VERBS, len(chosen))
        sentences = [
            _happening_text(rng, verb, target, town, deaths, serial)
            for verb, (town, _, target, deaths) in zip(verbs, chosen, strict=True)
        ]
        text = " ".join(sentences)
        events = []
        for verb, sentence, (town, day, _, deaths) in zip(verbs, sentences, chosen, strict=True):
            reported = rng.random() < 0.2
            part = report(
                text,
                outlet=f"Outlet {serial % 7}",
                trigger=verb,
                day=day,
                date_text="on Tuesday",
                town=town,
                actor1=RUSSIAN,
                deaths=(f"killing {deaths} people", deaths, deaths, deaths),
                precision="reported" if reported else "day",
                published=MAY3 + dt.timedelta(days=3),
            )
            event = part.events[0]
            start = text.index(sentence)
            provenance = event.provenance.model_copy(
                update={"sentence": sentence, "start": start, "end": start + len(sentence)}
            )
            events.append(event.model_copy(update={"provenance": provenance}))
            document = part.document
        records.append(DocumentRecord(document=document, events=events))
    return records
