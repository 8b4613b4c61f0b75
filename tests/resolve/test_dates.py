"""Date expressions and their resolution against a reference date (Wednesday 2024-01-24)."""

from __future__ import annotations

import datetime as dt

import pytest

from dateline.resolve.dates import find_date_expressions, resolve_date

REF = dt.date(2024, 1, 24)  # a Wednesday


def _interval(text: str, **kw: str) -> tuple[str, str, str] | None:
    resolved = resolve_date(text, REF, **kw)  # type: ignore[arg-type]
    if resolved is None:
        return None
    return resolved.start.isoformat(), resolved.end.isoformat(), resolved.precision


@pytest.mark.parametrize(
    ("text", "start", "end", "precision"),
    [
        # weekdays: the most recent one for an event that happened
        ("early Tuesday morning", "2024-01-23", "2024-01-23", "day"),
        ("on Monday", "2024-01-22", "2024-01-22", "day"),
        ("Wednesday", "2024-01-24", "2024-01-24", "day"),
        ("last Wednesday", "2024-01-17", "2024-01-17", "day"),
        ("Earlier Sunday", "2024-01-21", "2024-01-21", "day"),
        ("Friday's", "2024-01-19", "2024-01-19", "day"),
        # relative days, weeks, months, years
        ("yesterday", "2024-01-23", "2024-01-23", "day"),
        ("late yesterday", "2024-01-23", "2024-01-23", "day"),
        ("last week", "2024-01-15", "2024-01-21", "week"),
        ("this week", "2024-01-22", "2024-01-24", "week"),
        ("earlier this week", "2024-01-22", "2024-01-24", "week"),
        ("earlier this month", "2024-01-01", "2024-01-24", "month"),
        ("last month", "2023-12-01", "2023-12-31", "month"),
        ("last year", "2023-01-01", "2023-12-31", "year"),
        ("two days ago", "2024-01-22", "2024-01-22", "day"),
        ("three weeks ago", "2024-01-01", "2024-01-07", "week"),
        ("almost four years ago", "2020-01-01", "2020-12-31", "year"),
        ("a year earlier", "2023-01-01", "2023-12-31", "year"),
        ("overnight", "2024-01-23", "2024-01-24", "day"),
        ("over the weekend", "2024-01-20", "2024-01-21", "week"),
        ("the previous day", "2024-01-23", "2024-01-23", "day"),
        # month names
        ("in March", "2023-03-01", "2023-03-31", "month"),
        ("mid-November", "2023-11-01", "2023-11-30", "month"),
        ("March 2023", "2023-03-01", "2023-03-31", "month"),
        ("June last year", "2023-06-01", "2023-06-30", "month"),
        # explicit dates and ranges
        ("Jan. 3", "2024-01-03", "2024-01-03", "day"),
        ("12 February", "2023-02-12", "2023-02-12", "day"),
        ("Feb. 4.", "2023-02-04", "2023-02-04", "day"),
        ("May 3, 2022", "2022-05-03", "2022-05-03", "day"),
        ("between 3 and 5 May", "2023-05-03", "2023-05-05", "day"),
        ("from 10 to 12 January", "2024-01-10", "2024-01-12", "day"),
        ("January 10-12", "2024-01-10", "2024-01-12", "day"),
        ("the week of January 10", "2024-01-08", "2024-01-14", "week"),
        # years
        ("2021", "2021-01-01", "2021-12-31", "year"),
        ("the end of 2022", "2022-01-01", "2022-12-31", "year"),
        ("early 2019", "2019-01-01", "2019-12-31", "year"),
        ("fiscal 2022", "2022-01-01", "2022-12-31", "year"),
        ("nineteen ninety-six", "1996-01-01", "1996-12-31", "year"),
    ],
)
def test_past_events(text: str, start: str, end: str, precision: str) -> None:
    assert _interval(text, prefer="past") == (start, end, precision)


@pytest.mark.parametrize(
    ("text", "start", "end", "precision"),
    [
        ("tomorrow", "2024-01-25", "2024-01-25", "day"),
        ("next week", "2024-01-29", "2024-02-04", "week"),
        ("next month", "2024-02-01", "2024-02-29", "month"),
        ("early next year", "2025-01-01", "2025-12-31", "year"),
        ("on Friday", "2024-01-26", "2024-01-26", "day"),
        ("next Wednesday", "2024-01-31", "2024-01-31", "day"),
        ("in March", "2024-03-01", "2024-03-31", "month"),
        ("Jan. 3", "2025-01-03", "2025-01-03", "day"),
    ],
)
def test_expected_events_look_forward(text: str, start: str, end: str, precision: str) -> None:
    assert _interval(text, prefer="future") == (start, end, precision)


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        # a calendar unit is whole when no tense is known
        ("this week", "2024-01-22", "2024-01-28"),
        ("this year", "2024-01-01", "2024-12-31"),
        # a month a few months ahead is the coming one, further ahead the past one
        ("March 12", "2024-03-12", "2024-03-12"),
        ("April", "2024-04-01", "2024-04-30"),
        ("August", "2023-08-01", "2023-08-31"),
        ("Dec. 15", "2023-12-15", "2023-12-15"),
        # a weekday is still the most recent one
        ("Tuesday", "2024-01-23", "2024-01-23"),
    ],
)
def test_without_tense_the_nearest_occurrence(text: str, start: str, end: str) -> None:
    resolved = _interval(text)
    assert resolved is not None and resolved[:2] == (start, end)


def test_weekday_with_date_picks_the_year_that_fits() -> None:
    # 26 October 2023 was a Thursday and 26 October 2022 a Wednesday.
    assert _interval("Thursday, October 26") == ("2023-10-26", "2023-10-26", "day")
    assert _interval("Wednesday, Oct. 26") == ("2022-10-26", "2022-10-26", "day")


def test_past_years_are_historical_and_recent_days_are_not() -> None:
    assert resolve_date("2021’s", REF) is not None and resolve_date("2021’s", REF).historical  # type: ignore[union-attr]
    assert not resolve_date("last week", REF).historical  # type: ignore[union-attr]


def test_duration_gives_its_start_year() -> None:
    resolved = resolve_date("16-year", REF)
    assert resolved is not None and resolved.start.year == 2008 and resolved.duration_years == 16
    assert resolved.precision == "year" and resolved.end == REF and not resolved.historical


def test_expressions_in_a_sentence_with_spans() -> None:
    text = "Troops shelled the town last week and again on Monday, after a 16-year siege."
    found = find_date_expressions(text)
    assert [e.text for e in found] == ["last week", "on Monday", "16-year"]
    assert all(text[e.start : e.end] == e.text for e in found)


def test_the_longest_expression_wins_where_they_overlap() -> None:
    text = "Talks resume on Thursday, October 26 and end early next year, the envoy said."
    assert [e.text for e in find_date_expressions(text)] == [
        "Thursday, October 26",
        "early next year",
    ]


@pytest.mark.parametrize(
    "text",
    [
        "They may attack the base.",
        "the march on the capital",
        "Rebels killed 2021 people.",
        "A 2000 km border.",
        "Militants may strike again, officials warned.",
    ],
)
def test_words_and_numbers_that_are_not_dates(text: str) -> None:
    assert find_date_expressions(text) == []


def test_unresolvable_gives_none() -> None:
    assert resolve_date("31 February 2023", REF) is None
    assert resolve_date("the other day", REF) is None


def test_a_date_without_a_year_is_never_history() -> None:
    assert not resolve_date("December 9", REF, prefer="past").historical  # type: ignore[union-attr]
    assert not resolve_date("in March", REF, prefer="past").historical  # type: ignore[union-attr]
    assert resolve_date("March 2022", REF, prefer="past").historical  # type: ignore[union-attr]
