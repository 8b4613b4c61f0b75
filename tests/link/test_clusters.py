"""Linking across documents: same happening linked, different happenings kept apart, blocking."""

from __future__ import annotations

import dataclasses
import datetime as dt

from dateline.link.clusters import (
    BlockIndex,
    Clusterer,
    LinkEvent,
    figures_agree,
    link_events,
    link_score,
)

from .reports import (
    BILOZERKA,
    MAY3,
    ODESA,
    market_shelling_reports,
    next_day_shelling,
    report,
)


def _linked(record_index: int = 0) -> list[LinkEvent]:
    return [LinkEvent.from_event(r.events[0]) for r in market_shelling_reports()]


def test_same_event_worded_differently_links() -> None:
    a, b, c = _linked()
    for x, y in ((a, b), (a, c), (b, c)):
        score = link_score(x, y)
        assert score is not None and score >= 0.5, (x.id, y.id, score)


def test_same_place_a_day_apart_does_not_link() -> None:
    a = _linked()[0]
    other = LinkEvent.from_event(next_day_shelling().events[0])
    assert link_score(a, other) is None


def test_events_of_one_document_never_link() -> None:
    a = _linked()[0]
    assert link_score(a, dataclasses.replace(a, id="other")) is None


def test_different_type_or_a_threat_does_not_link() -> None:
    a = _linked()[0]
    assert link_score(a, dataclasses.replace(a, doc_id="x", event_type="PROTEST")) is None
    assert link_score(a, dataclasses.replace(a, doc_id="x", status="threatened")) is None


def test_perpetrators_from_different_countries_do_not_link() -> None:
    a = _linked()[0]
    b = dataclasses.replace(a, doc_id="x", actor1="Ukrainian Armed Forces", actor1_country="UKR")
    assert link_score(a, b) is None


def test_nearby_town_links_but_a_far_city_does_not() -> None:
    a = _linked()[0]
    near = dataclasses.replace(
        a, doc_id="x", lat=BILOZERKA.lat, lon=BILOZERKA.lon, geonameid=BILOZERKA.geonameid
    )
    far = dataclasses.replace(
        a, doc_id="x", lat=ODESA.lat, lon=ODESA.lon, geonameid=ODESA.geonameid
    )
    near_score, same_score = link_score(a, near), link_score(a, dataclasses.replace(a, doc_id="x"))
    assert near_score is not None and same_score is not None and near_score < same_score
    assert link_score(a, far) is None


def test_a_coarse_place_links_with_a_town_in_it_but_not_across_borders() -> None:
    a = _linked()[0]
    country_only = dataclasses.replace(
        a, doc_id="x", lat=None, lon=None, geonameid=None, admin1=None, geo_precision="country"
    )
    assert link_score(a, country_only) is not None
    abroad = dataclasses.replace(country_only, country="MDA")
    assert link_score(a, abroad) is None


def test_reported_date_reaches_back_two_days() -> None:
    a = _linked()[0]
    reported = dataclasses.replace(
        a, doc_id="x", start=MAY3 + dt.timedelta(days=2), end=MAY3 + dt.timedelta(days=2),
        precision="reported",
    )  # fmt: skip
    assert link_score(a, reported) is not None
    late = dataclasses.replace(
        reported, start=MAY3 + dt.timedelta(days=3), end=MAY3 + dt.timedelta(days=3)
    )
    assert link_score(a, late) is None


def test_a_year_long_date_never_links() -> None:
    a = _linked()[0]
    vague = dataclasses.replace(
        a, doc_id="x", start=dt.date(2024, 1, 1), end=dt.date(2024, 12, 31), precision="year"
    )
    assert link_score(a, vague) is None


def test_qualified_figures_agree_and_different_exact_ones_do_not() -> None:
    assert figures_agree((100, 100, 100), (100, 100, None))  # "100" and "over 100"
    assert figures_agree((None, 50, 50), (48, 48, 48))  # "nearly 50" and "48"
    assert not figures_agree((7, 7, 7), (12, 12, None))  # "7" and "at least 12"
    assert not figures_agree((7, 7, 7), (9, 9, 9))


def test_clusterer_groups_the_corpus() -> None:
    records = [*market_shelling_reports(), next_day_shelling()]
    clusters = link_events([(r.events[0], r.document) for r in records])
    groups = sorted(sorted(ids) for ids in clusters.values())
    market = sorted(r.events[0].id for r in records[:3])
    assert groups == sorted([market, [records[3].events[0].id]])


def test_clusters_do_not_depend_on_input_order() -> None:
    records = [*market_shelling_reports(), next_day_shelling()]
    pairs = [(r.events[0], r.document) for r in records]
    assert link_events(pairs) == link_events(list(reversed(pairs)))


def test_blocking_finds_neighbours_only() -> None:
    a, b, _ = _linked()
    index = BlockIndex()
    index.add(b)
    far = LinkEvent.from_event(
        report(
            "Shelling hit Odesa on 3 May.", outlet="x", trigger="Shelling", day=MAY3,
            date_text="on 3 May", town=ODESA,
        ).events[0]
    )  # fmt: skip
    index.add(far)
    next_month = dataclasses.replace(
        b,
        id="later",
        doc_id="later",
        start=MAY3 + dt.timedelta(days=30),
        end=MAY3 + dt.timedelta(days=30),
    )
    index.add(next_month)
    assert [c.id for c in index.candidates(a)] == [b.id]


def test_clusterer_counts_pairs_compared() -> None:
    clusterer = Clusterer()
    assignments = [clusterer.add(e) for e in _linked()]
    assert [a.compared for a in assignments] == [0, 1, 2]
    assert assignments[0].founded and not assignments[1].founded
    assert len({a.cluster_id for a in assignments}) == 1


def test_an_army_and_a_militia_of_one_country_do_not_link() -> None:
    a = dataclasses.replace(
        _linked()[0], actor1="Rapid Support Forces", actor1_country="SDN", actor1_kind="armed_group"
    )
    army = dataclasses.replace(
        a, doc_id="x", actor1="Military Forces of Sudan", actor1_kind="military"
    )
    government = dataclasses.replace(
        a, doc_id="x", actor1="RSF leadership", actor1_kind="armed_group"
    )
    assert link_score(a, army) is None
    assert link_score(a, government) is not None


def test_an_unlocated_report_is_found_through_its_actors_country() -> None:
    a = dataclasses.replace(_linked()[0], actor2="Civilians", actor2_country="UKR")
    unlocated = dataclasses.replace(
        a, id="u", doc_id="u", lat=None, lon=None, country=None, admin1=None, geonameid=None,
        geo_precision=None,
    )  # fmt: skip
    index = BlockIndex()
    index.add(a)
    assert [c.id for c in index.candidates(unlocated)] == [a.id]
    index.add(unlocated)
    assert [c.id for c in index.candidates(dataclasses.replace(a, id="b", doc_id="b"))] == [
        a.id,
        "u",
    ]
    assert link_score(a, unlocated) is not None
