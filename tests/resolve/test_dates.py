"""Date expressions and their resolution against a reference date (Wednesday 2024-01-24)."""

from __future__ import annotations

import datetime as dt

import pytest

from dateline.resolve.dates import find_date_expressions, resolve_date

REF = dt.date(2024, 1, 24)  # a Wednesday


@pytest.mark.parametrize(
    ("text", "start", "end", "precision"),
    [
        ("early Tuesday morning", "2024-01-23", "2024-01-23", "day"),
        ("on Monday", "2024-01-22", "2024-01-22", "day"),
        ("Wednesday", "2024-01-24", "2024-01-24", "day"),
        ("last Wednesday", "2024-01-17", "2024-01-17", "day"),
        ("yesterday", "2024-01-23", "2024-01-23", "day"),
        ("last week", "2024-01-15", "2024-01-21", "week"),
        ("this week", "2024-01-22", "2024-01-24", "week"),
        ("earlier this month", "2024-01-01", "2024-01-24", "month"),
        ("last month", "2023-12-01", "2023-12-31", "month"),
        ("in March", "2023-03-01", "2023-03-31", "month"),
        ("March 2023", "2023-03-01", "2023-03-31", "month"),
        ("Jan. 3", "2024-01-03", "2024-01-03", "day"),
        ("12 February", "2023-02-12", "2023-02-12", "day"),
        ("between 3 and 5 May", "2023-05-03", "2023-05-05", "day"),
        ("May 3, 2022", "2022-05-03", "2022-05-03", "day"),
        ("2021", "2021-01-01", "2021-12-31", "year"),
        ("two days ago", "2024-01-22", "2024-01-22", "day"),
    ],
)
def test_resolution(text: str, start: str, end: str, precision: str) -> None:
    resolved = resolve_date(text, REF)
    assert resolved is not None, text
    assert (resolved.start.isoformat(), resolved.end.isoformat(), resolved.precision) == (
        start,
        end,
        precision,
    )


def test_past_years_are_historical_and_recent_days_are_not() -> None:
    assert resolve_date("2021’s", REF) is not None and resolve_date("2021’s", REF).historical  # type: ignore[union-attr]
    assert not resolve_date("last week", REF).historical  # type: ignore[union-attr]


def test_duration_gives_its_start_year() -> None:
    resolved = resolve_date("16-year", REF)
    assert resolved is not None and resolved.start.year == 2008 and resolved.duration_years == 16


def test_expressions_in_a_sentence_with_spans() -> None:
    text = "Troops shelled the town last week and again on Monday, after a 16-year siege."
    found = find_date_expressions(text)
    assert [e.text for e in found] == ["last week", "on Monday", "16-year"]
    assert all(text[e.start : e.end] == e.text for e in found)


@pytest.mark.parametrize(
    "text",
    [
        "They may attack the base.",
        "the march on the capital",
        "Rebels killed 2021 people.",
        "A 2000 km border.",
    ],
)
def test_words_and_numbers_that_are_not_dates(text: str) -> None:
    assert find_date_expressions(text) == []


def test_unresolvable_gives_none() -> None:
    assert resolve_date("31 February 2023", REF) is None
    assert resolve_date("the other day", REF) is None
