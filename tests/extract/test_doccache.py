"""The per-document lookups answer exactly as spaCy's own Doc.text, Span.text and Span.ents."""

from __future__ import annotations

import spacy
from spacy.tokens import Doc, Span

from dateline.extract.doccache import doc_lower, doc_text, entity_at, span_ents, span_text


def _doc() -> Doc:
    words = ["Rebels", "of", "the", "North", "Front", "shelled", "Port", "Vale", ".", "\n\n"]
    words += ["Mayor", "Ana", "Lind", "said", "İzmir", "aid", "stopped", "."]
    spaces = [True] * len(words)
    spaces[7] = spaces[8] = spaces[9] = spaces[-2] = spaces[-1] = False
    doc = Doc(spacy.blank("en").vocab, words=words, spaces=spaces)
    doc.ents = [
        Span(doc, 3, 5, label="ORG"),
        Span(doc, 6, 8, label="GPE"),
        Span(doc, 11, 13, label="PERSON"),
        Span(doc, 14, 15, label="GPE"),
    ]
    for token in doc:
        token.is_sent_start = token.i in (0, 10)
    return doc


def test_text_matches_spacy() -> None:
    doc = _doc()
    assert doc_text(doc) == doc.text
    assert doc_lower(doc) == doc.text.lower()
    for sent in doc.sents:
        assert span_text(sent) == sent.text
    assert span_text(doc[2:7]) == doc[2:7].text


def test_entities_match_spacy_for_every_span_and_token() -> None:
    doc = _doc()
    for token in doc:
        covering = [e for e in doc.ents if e.start <= token.i < e.end]
        assert entity_at(token) == (covering[0] if covering else None)
    for start in range(len(doc) + 1):
        for end in range(start, len(doc) + 1):
            span = doc[start:end]
            assert span_ents(span) == list(span.ents), (start, end)
            assert span_ents(span) == list(span.ents)  # cached answer
