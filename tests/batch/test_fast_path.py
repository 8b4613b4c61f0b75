"""The pipeline's fast path (a matcher per document over the rules its words allow, sentences
found once) gives the same records as the full trigger matcher."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from dateline.models import RawDocument
from dateline.pipeline import Pipeline
from dateline.settings import Settings

pytestmark = pytest.mark.slow

TEXTS = [
    "Bree, 5 March 2024\n\nOrc raiders shelled the town of Bree on Monday, killing 4 civilians. "
    "Rangers fought back and captured two raiders, the council said.",
    "Gondor and Arnor agreed on Tuesday to hold talks in Minas Tirith after the clashes.",
    "A suicide bombing in Osgiliath killed 12 soldiers; the Orc Legion threatened more attacks.",
    "The bakery in Bree won a prize for its bread.",
]


def test_fast_path_finds_what_the_full_matcher_finds(nlp: Any) -> None:
    settings = Settings(reference_date=dt.date(2024, 3, 5))
    fast = Pipeline(settings, nlp=nlp)
    full = Pipeline(settings, nlp=nlp, gazetteer=fast.gazetteer)
    full._matcher_for = lambda doc: full.matcher  # type: ignore[method-assign]
    raws = [RawDocument(text=t, origin=str(i)) for i, t in enumerate(TEXTS)]
    got = [r.model_dump_json() for r in fast.pipe(raws)]
    expected = [r.model_dump_json() for r in full.pipe(raws)]
    assert got == expected
    assert '"event_type":"ASSAULT"' in got[0]
