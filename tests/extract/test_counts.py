"""Casualty figures: digits and words, qualifiers, ranges, vague quantities, victims, totals.

``tests/fixtures/fatalities.jsonl`` holds sentences written for these tests, each labelled
with every fatality and injury figure it states (none for the sentences with other numbers).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from dateline.extract.counts import estimates, find_counts, parse_number
from dateline.extract.ontology import vague_quantities

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "fatalities.jsonl"
LABELLED = [json.loads(line) for line in FIXTURE.read_text(encoding="utf-8").splitlines()]


def _counts(nlp: Any, text: str) -> list[Any]:
    doc = nlp(text)
    return [c for sent in doc.sents for c in find_counts(sent)]


def test_parse_number_digits_words_and_separators() -> None:
    assert parse_number("1,250") == 1250
    assert parse_number("twelve") == 12
    assert parse_number("twenty-five") == 25
    assert parse_number("12a") is None


@pytest.mark.parametrize(
    ("qualifier", "expected"),
    [
        ("at least", (30, 30, None)),
        ("over", (30, 30, None)),
        ("nearly", (None, 30, 30)),
        ("up to", (None, 30, 30)),
        ("some", (30, 30, None)),
        (None, (30, 30, 30)),
    ],
)
def test_qualifiers_set_bounds(qualifier: str | None, expected: tuple[Any, ...]) -> None:
    assert estimates(30, qualifier) == expected


def test_vague_table_follows_acled() -> None:
    table = vague_quantities()
    assert (table["dozens"].low, table["hundreds"].low, table["tens"].low) == (12, 100, 10)
    assert table["an unspecified number of"].low == 3


@pytest.mark.parametrize("item", LABELLED, ids=[item["text"][:40] for item in LABELLED])
def test_labelled_sentences(nlp: Any, item: dict[str, Any]) -> None:
    found = [
        {
            "kind": c.kind,
            "low": c.low,
            "best": c.best,
            "high": c.high,
            "cumulative": c.cumulative,
            "victims": [
                v for v in c.victims if v in {v for e in item["counts"] for v in e["victims"]}
            ],
        }
        for c in _counts(nlp, item["text"])
    ]
    expected = [
        {k: e[k] for k in ("kind", "low", "best", "high", "cumulative", "victims")}
        for e in item["counts"]
    ]
    assert found == expected


def test_span_covers_qualifier_and_counted_noun(nlp: Any) -> None:
    text = "Shelling killed at least 14 villagers in Bree."
    (count,) = _counts(nlp, text)
    assert count.text == "at least 14 villagers" == text[count.start : count.end]


def test_range_span_starts_at_between(nlp: Any) -> None:
    text = "Between 30 and 40 fighters were killed in the battle."
    (count,) = _counts(nlp, text)
    assert text[count.start : count.end] == "Between 30 and 40 fighters"


def test_victim_kinds_in_a_title_case_headline(nlp: Any) -> None:
    (count,) = _counts(nlp, "Over 100 Civilians Killed as Jets Bomb Bree")
    assert (count.low, count.high) == (100, None) and count.victims == ["civilians"]
