"""Casualty figures: digits and words, qualifiers, ranges, vague quantities, victims."""

from __future__ import annotations

from typing import Any

import pytest

from dateline.extract.counts import estimates, find_counts, parse_number


def _counts(nlp: Any, text: str) -> list[Any]:
    doc = nlp(text)
    return [c for sent in doc.sents for c in find_counts(sent)]


def test_parse_number_digits_words_and_separators() -> None:
    assert parse_number("1,250") == 1250
    assert parse_number("twelve") == 12
    assert parse_number("12a") is None


@pytest.mark.parametrize(
    ("qualifier", "expected"),
    [("at least", (30, 30, None)), ("nearly", (None, 30, 30)), (None, (30, 30, 30))],
)
def test_qualifiers_set_bounds(qualifier: str | None, expected: tuple[Any, ...]) -> None:
    assert estimates(30, qualifier) == expected


def test_lower_bound_with_victim_kinds(nlp: Any) -> None:
    (count,) = _counts(
        nlp, "Shelling killed at least 14 villagers, including two children, in Bree."
    )
    assert count.kind == "fatalities"
    assert (count.low, count.best, count.high) == (14, 14, None)
    assert count.text.startswith("at least 14")
    assert "children" in count.victims


def test_number_word_and_passive(nlp: Any) -> None:
    (count,) = _counts(nlp, "Seven soldiers were killed when their convoy was ambushed.")
    assert (count.low, count.best, count.high) == (7, 7, 7)
    assert count.victims == ["soldiers"]


def test_injuries_are_not_fatalities(nlp: Any) -> None:
    counts = _counts(nlp, "The blast wounded 23 people at the market.")
    assert [c.kind for c in counts] == ["injuries"]
    assert counts[0].best == 23


def test_vague_quantity_uses_the_table(nlp: Any) -> None:
    (count,) = _counts(nlp, "Dozens of protesters were killed by police in the capital.")
    assert (count.low, count.best) == (12, 12)


def test_range_keeps_both_ends(nlp: Any) -> None:
    (count,) = _counts(nlp, "Between 30 and 40 fighters were killed in the battle.")
    assert (count.low, count.high) == (30, 40)


def test_cumulative_toll_is_marked(nlp: Any) -> None:
    (count,) = _counts(nlp, "The death toll rose to 2,400 dead after weeks of fighting.")
    assert count.cumulative and count.best == 2400


def test_numbers_that_are_not_casualties_are_ignored(nlp: Any) -> None:
    assert _counts(nlp, "The army deployed 300 tanks and 40 trucks near the border.") == []
