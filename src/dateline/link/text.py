"""Lexical text similarity for cross-document linking: content terms and MinHash signatures.

Two measures, both deterministic and independent of the rest of the corpus (so adding a
document never changes an earlier score): the Ochiai coefficient over the content-word stems
of two event sentences, and MinHash over word 5-shingles of two document texts to find
republished (wire) copies.
"""

from __future__ import annotations

import functools
import hashlib
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from dateline.extract.ontology import word_list

_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
_SUFFIXES = ("ings", "ing", "ies", "ied", "ed", "es", "s")
SHINGLE_WORDS = 5
PERMUTATIONS = 64
BANDS = 16  # 16 bands of 4 rows: pairs above ~0.5 Jaccard share a band with high probability
_PRIME = np.uint64(4294967291)  # largest prime below 2**32
_MAX_HASH = 4294967295


@functools.cache
def stop_words() -> frozenset[str]:
    """Words that carry no evidence of which event a sentence is about (data/link_stopwords.txt)."""
    return word_list("link_stopwords.txt")


def _stem(word: str) -> str:
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


def content_terms(text: str) -> frozenset[str]:
    """Lower-cased stems of the content words of a text (stop words and reporting verbs out)."""
    stop = stop_words()
    words = (w.replace("'s", "") for w in _WORD.findall(text.lower()))
    return frozenset(_stem(w) for w in words if w not in stop and len(w) > 1)


def term_similarity(a: frozenset[str], b: frozenset[str]) -> float:
    """Ochiai (cosine of binary vectors) over two term sets; 0 when either is empty."""
    if not a or not b:
        return 0.0
    return len(a & b) / math.sqrt(len(a) * len(b))


def _hash32(value: str) -> int:
    return int.from_bytes(hashlib.blake2b(value.encode(), digest_size=4).digest(), "little")


def _coefficients() -> tuple[np.ndarray, np.ndarray]:
    # Fixed, reproducible permutation coefficients (a, b) derived from their index.
    pairs = [
        (_hash32(f"minhash-a-{i}") % (2**31 - 1) + 1, _hash32(f"minhash-b-{i}") % (2**31 - 1))
        for i in range(PERMUTATIONS)
    ]
    return (
        np.array([p[0] for p in pairs], dtype=np.uint64),
        np.array([p[1] for p in pairs], dtype=np.uint64),
    )


_A, _B = _coefficients()


@dataclass(frozen=True, slots=True)
class TextSignature:
    """A document's MinHash signature and the number of distinct shingles it was built from."""

    values: tuple[int, ...]
    shingles: int


def shingles(text: str) -> set[str]:
    """Word 5-shingles of a text, lower-cased, punctuation dropped."""
    words = _WORD.findall(text.lower())
    if len(words) < SHINGLE_WORDS:
        return {" ".join(words)} if words else set()
    return {" ".join(words[i : i + SHINGLE_WORDS]) for i in range(len(words) - SHINGLE_WORDS + 1)}


def signature(text: str) -> TextSignature:
    """MinHash signature of a text's word shingles (64 permutations, deterministic)."""
    found = shingles(text)
    if not found:
        return TextSignature(values=(_MAX_HASH,) * PERMUTATIONS, shingles=0)
    hashes = np.array(sorted(_hash32(s) for s in found), dtype=np.uint64)
    table = (_A[:, None] * hashes[None, :] + _B[:, None]) % _PRIME
    return TextSignature(values=tuple(int(v) for v in table.min(axis=1)), shingles=len(found))


def band_keys(sig: TextSignature) -> list[str]:
    """Locality-sensitive hashing keys: texts sharing a key are near-duplicate candidates."""
    if sig.shingles == 0:
        return []
    rows = PERMUTATIONS // BANDS
    keys: list[str] = []
    for band in range(BANDS):
        chunk = ",".join(str(v) for v in sig.values[band * rows : (band + 1) * rows])
        keys.append(f"{band}:{hashlib.blake2b(chunk.encode(), digest_size=8).hexdigest()}")
    return keys


def estimated_jaccard(a: TextSignature, b: TextSignature) -> float:
    """Share of equal MinHash values: an unbiased estimate of the shingle sets' Jaccard index."""
    if a.shingles == 0 or b.shingles == 0:
        return 0.0
    same = sum(1 for x, y in zip(a.values, b.values, strict=True) if x == y)
    return same / PERMUTATIONS


def estimated_containment(a: TextSignature, b: TextSignature) -> float:
    """Share of the shorter text's shingles found in the other (a copy cut short still counts)."""
    jaccard = estimated_jaccard(a, b)
    if jaccard == 0.0:
        return 0.0
    shared = jaccard * (a.shingles + b.shingles) / (1.0 + jaccard)
    return min(1.0, shared / min(a.shingles, b.shingles))


def near_duplicate(a: TextSignature, b: TextSignature, *, threshold: float = 0.8) -> bool:
    """Whether two texts are the same story republished (most of one is inside the other)."""
    return estimated_containment(a, b) >= threshold


def best_match(sig: TextSignature, others: Sequence[tuple[str, TextSignature]]) -> str | None:
    """The id of the first near-duplicate among ``others`` in the order given, or None."""
    for other_id, other in others:
        if near_duplicate(sig, other):
            return other_id
    return None
