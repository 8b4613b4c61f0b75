"""Per-document lookups built once per spaCy Doc: its text, entities by token, per sentence.

spaCy rebuilds ``Doc.text`` from tokens and walks every entity in ``Span.ents`` on each call;
extraction asks per actor, figure and sentence, which made long documents quadratic.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass, field
from typing import Any

_KEY = "dateline.doccache"


@dataclass
class _Cache:
    text: str
    lower: str
    ents: list[Any]
    starts: list[int]
    covering: dict[int, Any]
    sentences: dict[tuple[int, int], list[Any]] = field(default_factory=dict)


def _cache(doc: Any) -> _Cache:
    cache: _Cache | None = doc.user_data.get(_KEY)
    if cache is None:
        ents = list(doc.ents)
        covering = {i: ent for ent in ents for i in range(ent.start, ent.end)}
        text = doc.text
        cache = _Cache(text, text.lower(), ents, [e.start for e in ents], covering)
        doc.user_data[_KEY] = cache
    return cache


def doc_text(doc: Any) -> str:
    """``doc.text``, built once per document."""
    return _cache(doc).text


def doc_lower(doc: Any) -> str:
    """``doc.text.lower()``, built once per document."""
    return _cache(doc).lower


def span_text(span: Any) -> str:
    """``span.text`` (a sentence, a phrase) as a slice of the cached document text."""
    return _cache(span.doc).text[span.start_char : span.end_char]


def entity_at(token: Any) -> Any:
    """The entity covering ``token`` (as ``token.doc.ents`` has it), or None."""
    return _cache(token.doc).covering.get(token.i)


def span_ents(span: Any) -> list[Any]:
    """``span.ents``: the entities lying wholly inside ``span``, in order, computed once."""
    cache = _cache(span.doc)
    key = (span.start, span.end)
    found = cache.sentences.get(key)
    if found is None:
        found = []
        for ent in cache.ents[bisect_left(cache.starts, span.start) :]:
            if ent.start >= span.end:
                break
            if ent.end <= span.end:
                found.append(ent)
        cache.sentences[key] = found
    return list(found)
