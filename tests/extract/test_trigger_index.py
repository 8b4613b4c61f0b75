"""The indexed trigger matching finds what spaCy's Matcher finds with the same rows."""

from __future__ import annotations

from typing import Any

from dateline.extract.events import TriggerMatcher, _forms

TEXTS = [
    "Orc raiders shelled the town of Bree on Monday, killing 4 civilians and wounding 9.",
    "Gondor and Arnor agreed on Tuesday to hold talks in Minas Tirith after the clashes.",
    "A suicide bombing in Osgiliath killed 12 soldiers; the Orc Legion threatened more attacks.",
    "Protesters Marched On The Capital As Police Fired Tear Gas",  # a title-case headline
    "The ceasefire collapsed; troops took control of the bridge and opened fire on the crowd.",
    "The bakery in Bree won a prize for its bread.",
    "",
]


def _reference(nlp: Any, matcher: TriggerMatcher) -> Any:
    """The same rows as spaCy Matcher patterns: all words by lemma, or all by form."""
    from spacy.matcher import Matcher

    reference = Matcher(nlp.vocab)
    for rule in matcher.rules.values():
        words = rule.lemma.split()
        reference.add(
            rule.key,
            [[{"LEMMA": w} for w in words], [{"LOWER": {"IN": _forms(w)}} for w in words]],
        )
    return reference


def test_same_rows_at_the_same_places_in_the_same_order(nlp: Any) -> None:
    matcher = TriggerMatcher()
    reference = _reference(nlp, matcher)
    multiword = 0
    for doc in nlp.pipe(TEXTS):
        expected: dict[tuple[int, int], list[Any]] = {}
        for match_id, start, end in reference(doc):
            rows = expected.setdefault((start, end), [])
            rule = matcher.rules[doc.vocab.strings[match_id]]
            if rule not in rows:  # by lemma and by form: one row, found twice
                rows.append(rule)
        assert matcher._row_matches(doc) == dict(sorted(expected.items()))
        multiword += sum(end - start > 1 for start, end in expected)
    assert multiword  # rows of several words ("open fire", "take control") were compared


def test_a_row_matches_by_lemma_or_by_form_not_a_mix(nlp: Any) -> None:
    matcher = TriggerMatcher()
    doc = nlp("Soldiers opened fire. Soldiers Opened Fire.")
    spans = {doc[s:e].text for s, e in matcher._row_matches(doc)}
    assert {"opened fire", "Opened Fire"} <= spans
