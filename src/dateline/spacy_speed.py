"""Faster equivalents of spaCy model components whose cost is overhead, not the network.

In ``en_core_web_sm`` the attribute ruler (tag -> part of speech, 180 token patterns run
through the general ``Matcher``) and the rule lemmatizer (a Python call per token) took
about a fifth of the pipeline's time, and the parser's and NER's greedy loops spent most of
theirs taking and releasing the GIL. Each replacement gives the same output as spaCy's
component: the ruler's matches come from per-token lookups instead of the matcher, lemmas
from a table keyed like spaCy's own cache, and parses from the same steps run with the GIL
held. ``tests/test_spacy_speed.py`` compares them with the originals.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
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


class HeldGilParser:
    """A greedy transition-based component (``parser``, ``ner``) whose loop keeps the GIL.

    spaCy's compiled loop releases the GIL for a whole parse, but the wheels' compiled state
    and transition helpers take it back for every hidden unit and validity test: the NER
    spent two thirds of its time acquiring and releasing it. This runs the same steps from
    Python, a batch of states at a time: the same feature sums (spaCy's
    ``precompute_hiddens``), the same BLIS product for the scores, the same transition code.
    The parses are identical; everything but ``predict`` and ``pipe`` is the wrapped
    component's."""

    def __init__(self, base: Any) -> None:
        self.base = base
        self.error_handler: Callable[..., Any] | None = None  # None: the component's own

    def __getattr__(self, name: str) -> Any:
        if name == "base":  # not yet set (copying, unpickling): no recursion
            raise AttributeError(name)
        return getattr(self.base, name)

    def __call__(self, doc: Any) -> Any:
        """Parse one ``Doc`` in place, as spaCy's ``TrainablePipe.__call__`` does."""
        try:
            self.base.set_annotations([doc], self.predict([doc]))
        except Exception as exc:
            self.get_error_handler()(self.base.name, self, [doc], exc)
        return doc

    def set_error_handler(self, error_handler: Callable[..., Any]) -> None:
        """Set the function that deals with a failing batch (spaCy's ``Pipe`` interface)."""
        self.error_handler = error_handler

    def get_error_handler(self) -> Callable[..., Any]:
        """The function that deals with a failing batch: spaCy's default re-raises."""
        return self.error_handler or self.base.get_error_handler()

    def pipe(self, docs: Iterable[Any], *, batch_size: int = 256) -> Iterator[Any]:
        """Parse a stream in batches, sub-batched by length exactly as spaCy's ``Parser.pipe``."""
        for in_order in _batches(docs, batch_size):
            try:
                by_length = sorted(in_order, key=len)
                for sub in _batches(by_length, max(batch_size // 4, 2)):
                    self.base.set_annotations(sub, self.predict(sub))
                yield from in_order
            except Exception as exc:
                self.get_error_handler()(self.base.name, self, in_order, exc)

    def predict(self, docs: Sequence[Any]) -> Any:
        """The final parse states of the docs (``Parser.greedy_parse`` with the GIL held)."""
        import blis.py
        import numpy

        base = self.base
        if not any(len(doc) for doc in docs) or base.cfg["beam_width"] != 1:
            return base.predict(docs)
        base._ensure_labels_are_added(docs)
        batch = base.moves.init_batch(docs)
        model = base.model.predict(docs)
        weights = model.vec2scores.get_param("W")
        bias = model.vec2scores.get_param("b")
        unseen = numpy.flatnonzero(model._class_mask == 0)
        states = [state for state in batch if not state.is_final()]
        while states:
            hiddens = model.state2vec.predict(model.get_token_ids(states))
            scores = blis.py.gemm(hiddens, weights, trans2=True, beta=0.0)
            scores += bias
            if unseen.size:
                scores[:, unseen] = scores.min()
            states = base.transition_states(states, scores)
        model.clear_memory()
        return batch


def _batches(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    """Consecutive lists of ``size`` items (the last may be shorter), as spaCy's ``minibatch``."""
    stream = iter(items)
    while batch := list(itertools.islice(stream, size)):
        yield batch


def _wrap(nlp: Any, name: str, wrapper: type[HeldGilParser] | type[TableLemmatizer]) -> None:
    """Replace the pipeline's component ``name`` by ``wrapper`` around it, under its name."""
    from spacy.language import Language

    base = nlp.get_pipe(name)
    factory = f"dateline_{wrapper.__name__}"
    if not Language.has_factory(factory):
        Language.factory(factory)(lambda nlp, name: wrapper(None))
    replaced: Any = nlp.replace_pipe(name, factory)
    replaced.base = base


def speed_up(nlp: Any) -> Any:
    """Swap in the faster attribute ruler matching, lemmatizer, parser and NER loops where
    the model has them."""
    names: Sequence[str] = nlp.pipe_names
    for name in ("parser", "ner"):
        model = getattr(nlp.get_pipe(name), "model", None) if name in names else None
        if model is not None and model.attrs.get("has_upper"):  # else spaCy's own loop
            _wrap(nlp, name, HeldGilParser)
    if "attribute_ruler" in names:
        ruler = nlp.get_pipe("attribute_ruler")
        ruler.match = IndexedRulerMatch(ruler)
    if "lemmatizer" in names and getattr(nlp.get_pipe("lemmatizer"), "mode", None) == "rule":
        _wrap(nlp, "lemmatizer", TableLemmatizer)
    return nlp
