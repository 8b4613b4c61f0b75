"""Faster equivalents of two spaCy model components whose cost is Python, not the network.

In ``en_core_web_sm`` the attribute ruler (tag -> part of speech, 180 token patterns run
through the general ``Matcher``) and the rule lemmatizer (a Python call per token) take
about a fifth of the pipeline's time. Both give the same output as spaCy's components:
the ruler's matches come from per-token lookups instead of the matcher, and lemmas from a
table keyed like spaCy's own cache, written back to the ``Doc`` in one array operation.
``tests/test_spacy_speed.py`` compares them with the originals.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

_TokenKey = tuple[str, str, str, bool]  # (TAG, LOWER, DEP, IS_SPACE)
_Predicate = Callable[[_TokenKey], bool]
_FIELDS = {"TAG": 0, "LOWER": 1, "DEP": 2, "IS_SPACE": 3}
_CACHE_LIMIT = 50_000  # entries per table (~300 bytes each); cleared when full


def _value_test(spec: Any) -> Callable[[Any], bool] | None:
    """A test for one attribute's value in a token pattern, or None if it is not a simple one."""
    if isinstance(spec, (str, bool)):
        return lambda value: value == spec
    if isinstance(spec, dict) and len(spec) == 1:
        ((op, arg),) = spec.items()
        if op == "IN":
            members = frozenset(arg)
            return lambda value: value in members
        if op == "NOT_IN":
            excluded = frozenset(arg)
            return lambda value: value not in excluded
        if op == "REGEX":
            pattern = re.compile(arg)
            return lambda value: value is not None and pattern.search(value) is not None
    return None


def _token_predicate(pattern: dict[str, Any]) -> _Predicate | None:
    """A predicate over a token's key for a one-token pattern, or None if it needs the matcher."""
    tests: list[tuple[int, Callable[[Any], bool]]] = []
    for attr, spec in pattern.items():
        field = _FIELDS.get(attr)
        test = _value_test(spec)
        if field is None or test is None:
            return None
        tests.append((field, test))
    return lambda key: all(test(key[field]) for field, test in tests)


def _tags_of(pattern: dict[str, Any]) -> frozenset[str] | None:
    """The tags a one-token pattern can match, or None when it does not restrict them."""
    spec = pattern.get("TAG")
    if isinstance(spec, str):
        return frozenset({spec})
    if isinstance(spec, dict) and set(spec) == {"IN"}:
        return frozenset(spec["IN"])
    return None


class IndexedRulerMatch:
    """``AttributeRuler.match`` with the same output, from per-token lookups.

    One-token patterns over TAG, LOWER, DEP and IS_SPACE are tested once per distinct
    (tag, lower, dep, is_space) and the answer kept; the few longer patterns still go
    through a ``Matcher``. Matches keep the ruler's order (by rule), so the attributes set
    are exactly the ruler's."""

    def __init__(self, ruler: Any) -> None:
        from spacy.matcher import Matcher

        self.ruler = ruler
        self.vocab = ruler.vocab
        self._single: list[tuple[int, int, _Predicate]] = []  # (rule, match key, predicate)
        self._by_tag: dict[str, list[tuple[int, int, _Predicate]]] = {}  # "" = any tag
        self.matcher = Matcher(ruler.vocab, validate=False)
        for rule, _attrs in enumerate(ruler.attrs):
            key = str(rule)
            patterns = ruler.matcher.get(key)[1]
            for pattern in patterns:
                predicate = _token_predicate(pattern[0]) if len(pattern) == 1 else None
                if predicate is None:
                    self.matcher.add(key, [pattern])
                else:
                    self._single.append((rule, self.vocab.strings[key], predicate))
                    tags = _tags_of(pattern[0])
                    for tag in tags if tags is not None else ("",):
                        self._by_tag.setdefault(tag, []).append(self._single[-1])
        self._cache: dict[_TokenKey, tuple[tuple[int, int], ...]] = {}

    def _rules_for(self, key: _TokenKey) -> tuple[tuple[int, int], ...]:
        found = self._cache.get(key)
        if found is None:
            # Only the rules that name this tag, or name none, can match (in rule order).
            tried = sorted({*self._by_tag.get(key[0], ()), *self._by_tag.get("", ())})
            found = tuple((rule, match) for rule, match, test in tried if test(key))
            if len(self._cache) >= _CACHE_LIMIT:
                self._cache.clear()
            self._cache[key] = found
        return found

    def __call__(self, doc: Any) -> list[tuple[int, int, int, int]]:
        """(rule, match key, start, end) for every match, sorted as the ruler sorts them."""
        matches = [
            (rule, match, token.i, token.i + 1)
            for token in doc
            for rule, match in self._rules_for(
                (token.tag_, token.lower_, token.dep_, token.is_space)
            )
        ]
        if len(self.matcher):
            matches.extend(
                (int(self.vocab.strings[match]), match, start, end)
                for match, start, end in self.matcher(doc, allow_missing=True, as_spans=False)
            )
        matches.sort()
        return matches


class TableLemmatizer:
    """A rule lemmatizer's output for a whole ``Doc`` at once.

    spaCy's lemmatizer calls Python once per token, and its answer depends only on the
    token's (ORTH, POS, MORPH), the key of its own cache; this keeps lemma hashes under the
    same key and writes them back with ``Doc.from_array``."""

    def __init__(self, base: Any) -> None:
        self.base = base
        self._lemmas: dict[tuple[int, int, int], int] = {}

    def __call__(self, doc: Any) -> Any:
        from spacy.attrs import LEMMA, MORPH, ORTH, POS

        if not len(doc):
            return doc
        overwrite = bool(getattr(self.base, "overwrite", False))  # as spaCy's lemmatizer
        rows = doc.to_array([ORTH, POS, MORPH, LEMMA])
        lemmas = rows[:, 3].copy()
        strings = doc.vocab.strings
        table = self._lemmas
        for i, (orth, pos, morph, lemma) in enumerate(rows.tolist()):
            if lemma and not overwrite:
                continue
            key = (orth, pos, morph)
            found = table.get(key)
            if found is None:
                found = strings.add(self.base.lemmatize(doc[i])[0])
                if len(table) >= _CACHE_LIMIT:
                    table.clear()
                table[key] = found
            lemmas[i] = found
        doc.from_array([LEMMA], lemmas)
        return doc


def speed_up(nlp: Any) -> Any:
    """Swap in the faster attribute ruler matching and lemmatizer where the model has them."""
    names: Sequence[str] = nlp.pipe_names
    if "attribute_ruler" in names:
        ruler = nlp.get_pipe("attribute_ruler")
        ruler.match = IndexedRulerMatch(ruler)
    if "lemmatizer" in names:
        base = nlp.get_pipe("lemmatizer")
        if getattr(base, "mode", None) == "rule":
            from spacy.language import Language

            if not Language.has_factory("dateline_table_lemmatizer"):
                Language.factory("dateline_table_lemmatizer")(
                    lambda nlp, name: TableLemmatizer(None)
                )
            table: Any = nlp.replace_pipe("lemmatizer", "dateline_table_lemmatizer")
            table.base = base
    return nlp
