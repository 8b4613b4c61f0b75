"""Lexical similarity and near-duplicate detection."""

from __future__ import annotations

from dateline.link.text import (
    band_keys,
    content_terms,
    estimated_containment,
    near_duplicate,
    signature,
    term_similarity,
)

from .reports import WIRE_STORY


def test_content_terms_drop_function_words_and_stem() -> None:
    terms = content_terms("The shelling of the markets killed seven, officials said on Friday.")
    assert {"shell", "market", "kill", "seven"} <= terms
    assert not {"the", "of", "said", "friday", "officials"} & terms


def test_term_similarity_is_symmetric_and_bounded() -> None:
    a = content_terms("Artillery hit the market in Kherson")
    b = content_terms("The Kherson market was hit by artillery fire")
    assert term_similarity(a, b) == term_similarity(b, a)
    assert 0.5 < term_similarity(a, b) <= 1.0
    assert term_similarity(a, frozenset()) == 0.0


def test_a_republished_story_is_a_near_duplicate() -> None:
    original = signature(WIRE_STORY)
    copy = signature("Headline of the outlet\n\n" + WIRE_STORY + "\n(Reporting by staff)")
    assert near_duplicate(original, copy)
    assert set(band_keys(original)) & set(band_keys(copy))


def test_a_copy_cut_short_is_still_contained() -> None:
    half = WIRE_STORY[: len(WIRE_STORY) // 2]
    assert estimated_containment(signature(WIRE_STORY), signature(half)) > 0.8


def test_a_different_story_on_the_same_event_is_not_a_duplicate() -> None:
    other = (
        "Seven people died in Kherson on Friday when a market was shelled. The governor said "
        "that rescue work was over by the evening and that the wounded were taken to hospital."
    )
    assert not near_duplicate(signature(WIRE_STORY), signature(other))


def test_signatures_are_deterministic_and_empty_text_has_no_bands() -> None:
    assert signature(WIRE_STORY) == signature(WIRE_STORY)
    assert band_keys(signature("")) == []
