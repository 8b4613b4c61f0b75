"""Document dates: date lines, wire datelines, metadata, the reference date and mismatches."""

from __future__ import annotations

import datetime as dt

import pytest

from dateline.document import (
    build_document,
    choose_reference_date,
    content_hash,
    find_document_dates,
)
from dateline.errors import DateError
from dateline.models import RawDocument


def _raw(text: str, **kw: object) -> RawDocument:
    return RawDocument(text=text, origin="test", **kw)  # type: ignore[arg-type]


def test_first_line_and_dateline_with_exact_spans() -> None:
    text = "March 9, 2023\n\nRiots Spread in Bree\n\n8 March 2023\n\nCrowds burned cars on Tuesday."
    dates = find_document_dates(_raw(text))
    assert [(d.role, d.value) for d in dates] == [
        ("first_line", dt.date(2023, 3, 9)),
        ("dateline", dt.date(2023, 3, 8)),
    ]
    for found in dates:
        assert text[found.span.start : found.span.end] == found.text


def test_wire_dateline_takes_the_year_from_metadata() -> None:
    raw = _raw("BREE, Gondor, Oct. 2 (Reuters) - Clashes erupted.", published=dt.date(2023, 10, 3))
    dates = find_document_dates(raw)
    assert ("dateline", dt.date(2023, 10, 2)) in [(d.role, d.value) for d in dates]
    assert ("metadata", dt.date(2023, 10, 3)) in [(d.role, d.value) for d in dates]


def test_updated_line_is_recognised() -> None:
    dates = find_document_dates(_raw("Updated: 4 May 2022\n\nTroops withdrew from the town."))
    assert [(d.role, d.value) for d in dates] == [("updated", dt.date(2022, 5, 4))]


def test_dateline_wins_and_the_reason_says_so() -> None:
    dates = find_document_dates(_raw("July 25, 2024\n\nHeadline\n\nJan 24, 2024\n\nBody."))
    value, reason = choose_reference_date(dates, override=None)
    assert value == dt.date(2024, 1, 24)
    assert "dateline" in reason and "2024-07-25" in reason


def test_override_beats_everything() -> None:
    dates = find_document_dates(_raw("Jan 24, 2024\n\nBody."))
    assert choose_reference_date(dates, override=dt.date(2020, 1, 1))[0] == dt.date(2020, 1, 1)


def test_undated_document_raises_a_helpful_error() -> None:
    with pytest.raises(DateError, match="--date"):
        build_document(_raw("Fighting continued in the hills."))


def test_mismatch_check_and_title() -> None:
    document, checks = build_document(
        _raw("July 25, 2024\n\nClashes in Bree\n\nJan 24, 2024\n\nBody text.")
    )
    assert document.title == "Clashes in Bree"
    assert [c.kind for c in checks] == ["date_mismatch"]
    assert len(checks[0].spans) == 2


def test_dates_inside_sentences_are_not_document_dates() -> None:
    text = (
        "Fighting broke out on March 9, 2023 in the capital and lasted for weeks, officials said."
    )
    assert find_document_dates(_raw(text)) == []


def test_content_hash_ignores_trailing_spaces_only() -> None:
    assert content_hash("a  \nb\n") == content_hash("a\nb")
    assert content_hash("a b") != content_hash("a  b")


@pytest.mark.parametrize(
    ("line", "value"),
    [
        ("Published: 4 May 2022 10:32 GMT", dt.date(2022, 5, 4)),
        ("May 4, 2022 at 3:45 p.m. EST", dt.date(2022, 5, 4)),
        ("Wed 4 May 2022 10.32 BST", dt.date(2022, 5, 4)),
        ("2022-05-04T10:32:00Z", dt.date(2022, 5, 4)),
        ("2022/05/04", dt.date(2022, 5, 4)),
        ("24/05/2022", dt.date(2022, 5, 24)),
        ("05/24/2022", dt.date(2022, 5, 24)),
        ("Posted on May 4, 2022 by Staff", dt.date(2022, 5, 4)),
        ("04-May-2022 10:32", dt.date(2022, 5, 4)),
    ],
)
def test_date_lines_with_times_and_numeric_forms(line: str, value: dt.date) -> None:
    text = f"{line}\n\nRiots Spread in Bree\n\nCrowds burned cars on Tuesday."
    (found,) = find_document_dates(_raw(text))
    assert (found.role, found.value) == ("first_line", value)
    assert text[found.span.start : found.span.end] == found.text


def test_ambiguous_numeric_date_is_not_guessed() -> None:
    assert find_document_dates(_raw("03/04/2022\n\nCrowds burned cars.")) == []
    assert find_document_dates(_raw("Elections in 2022\n\nCrowds burned cars.")) == []


def test_wire_dateline_without_year_takes_it_from_another_date() -> None:
    text = "December 30, 2023\n\nBREE, Gondor, Jan 2 (Reuters) - Clashes erupted."
    dates = find_document_dates(_raw(text))
    assert ("dateline", dt.date(2024, 1, 2)) in [(d.role, d.value) for d in dates]


def test_an_update_after_publication_is_not_a_mismatch() -> None:
    text = "Clashes in Bree\nMay 4, 2022\nUpdated May 9, 2022\n\nBody text."
    document, checks = build_document(_raw(text))
    assert document.reference_date == dt.date(2022, 5, 4) and checks == []
    earlier = "Clashes in Bree\nMay 4, 2022\nUpdated April 9, 2022\n\nBody text."
    assert [c.kind for c in build_document(_raw(earlier))[1]] == ["date_mismatch"]
