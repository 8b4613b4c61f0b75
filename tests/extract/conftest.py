"""Extraction fixtures: trigger mentions of a sentence through the session's pipeline."""

from __future__ import annotations

from typing import Any

import pytest

from dateline.extract.events import EventMention, TriggerMatcher, extract_mentions
from dateline.extract.ontology import actor_dictionary


@pytest.fixture(scope="module")
def mentions_of(nlp: Any) -> Any:
    """text -> the event mentions the extractor finds in it."""
    matcher = TriggerMatcher()

    def run(text: str) -> list[EventMention]:
        return extract_mentions(nlp(text), matcher, actor_dictionary())

    return run
