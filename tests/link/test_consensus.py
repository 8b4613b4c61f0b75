"""Consensus records: best-supported fields, fatality ranges, independent sources, checks."""

from __future__ import annotations

from dateline.link.consensus import EventCluster, SourceInfo, build_cluster
from dateline.models import DocumentRecord

from .reports import MAY3, market_shelling_reports, report, wire_copies


def _cluster(records: list[DocumentRecord], groups: dict[str, str] | None = None) -> EventCluster:
    groups = groups or {}
    members = [
        (
            r.events[0],
            SourceInfo(
                doc_id=r.document.id,
                wire_group=groups.get(r.document.id, r.document.id),
                source=r.document.source,
                published=r.document.published,
                reference_date=r.document.reference_date,
            ),
        )
        for r in records
    ]
    return build_cluster("c1", members)


def test_consensus_takes_the_range_and_the_median_of_independent_sources() -> None:
    cluster = _cluster(market_shelling_reports())
    assert (cluster.fatalities_low, cluster.fatalities_best, cluster.fatalities_high) == (7, 7, 12)
    assert cluster.fatalities_rule and "median" in cluster.fatalities_rule
    assert cluster.source_count == 3 and cluster.event_count == 3
    assert cluster.location is not None and cluster.location.name == "Kherson"
    assert cluster.date_start == MAY3 and cluster.date_precision == "day"
    assert cluster.actor1 in ("Russian Armed Forces", "Russian Army")


def test_tolls_beyond_their_qualifiers_are_a_contradiction() -> None:
    cluster = _cluster(market_shelling_reports())
    kinds = [c.kind for c in cluster.checks]
    assert kinds.count("fatalities_disagree") == 2  # 7 and 7 against "at least 12"
    check = next(c for c in cluster.checks if c.kind == "fatalities_disagree")
    assert {e.text for e in check.evidence} <= {
        "7 civilians",
        "Seven shoppers",
        "At least 12 people",
    }
    assert "at least 12" in check.message.lower()


def test_qualified_tolls_that_overlap_are_not_a_contradiction() -> None:
    first, _, third = market_shelling_reports()
    over = report(
        "More than 10 people died in the shelling of the Kherson market on 3 May.",
        outlet="Ledger", trigger="shelling", day=MAY3, date_text="on 3 May",
        deaths=("More than 10 people", 10, 10, None),
    )  # fmt: skip
    cluster = _cluster([third, over])
    assert not [c for c in cluster.checks if c.kind == "fatalities_disagree"]
    assert [c.kind for c in _cluster([first, over]).checks].count("fatalities_disagree") == 1


def test_an_actor_named_differently_is_shown() -> None:
    first, second, _ = market_shelling_reports()
    cluster = _cluster([first, second])
    check = next(c for c in cluster.checks if c.kind == "actor_named_differently")
    assert "Russian forces" in check.message and "the Russian army" in check.message
    assert {e.doc_id for e in check.evidence} == {first.document.id, second.document.id}


def test_different_days_are_shown() -> None:
    first, second, _ = market_shelling_reports()
    later = report(
        second.document.text.replace("on Friday morning", "on Saturday morning"),
        outlet="Steppe Wire", trigger="artillery fire", day=MAY3.replace(day=4),
        date_text="on Saturday morning",
    )  # fmt: skip
    kinds = [c.kind for c in _cluster([first, later]).checks]
    assert "date_disagree" in kinds


def test_republished_wire_copies_count_once() -> None:
    copies = wire_copies()
    root = copies[0].document.id
    cluster = _cluster(copies, {r.document.id: root for r in copies})
    assert cluster.event_count == 3 and cluster.document_count == 3
    assert cluster.source_count == 1
    assert cluster.checks == []
    independent = _cluster(
        [*copies, market_shelling_reports()[0]], {r.document.id: root for r in copies}
    )
    assert independent.source_count == 2


def test_best_supported_type_wins() -> None:
    reports = market_shelling_reports()
    odd = report(
        "Protesters gathered at the Kherson market on 3 May.", outlet="x", trigger="gathered",
        day=MAY3, date_text="on 3 May", event_type="PROTEST", mode=None,
    )  # fmt: skip
    assert _cluster([*reports, odd]).event_type == "ASSAULT"
