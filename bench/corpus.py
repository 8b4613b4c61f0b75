"""A benchmark corpus built from the evaluation texts: every item, plus article-sized joins."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from dateline.models import RawDocument

SHARED = Path(__file__).resolve().parents[2] / "shared"
PLACEHOLDER = dt.date(2000, 1, 1)


def _items(path: Path) -> list[dict[str, object]]:
    lines = path.read_text(encoding="utf-8").split("\n")
    return [json.loads(line) for line in lines if line.strip()]


def build_corpus(size: int = 2000) -> list[RawDocument]:
    """At least ``size`` documents (fewer only if asked): eval items, then joined snippets."""
    docs: list[RawDocument] = []
    seed = SHARED / "corpus" / "seed" / "khan-younis-2024-01-24.txt"
    docs.append(RawDocument(text=seed.read_text(encoding="utf-8"), origin=str(seed)))
    snippets: list[str] = []
    for name in ("case2021-task2", "lgl", "plover-gsr", "petrarch-unit"):
        for item in _items(SHARED / "eval" / name / "items.jsonl"):
            published = item.get("published")
            day = dt.date.fromisoformat(str(published)[:10]) if published else PLACEHOLDER
            text = str(item["text"])
            docs.append(RawDocument(text=text, origin=f"{name}/{item['id']}", published=day))
            if name == "case2021-task2":
                snippets.append(text)
    group = 0
    while len(docs) < size and snippets:
        chunk = snippets[group * 6 : group * 6 + 6] or snippets[:6]
        docs.append(
            RawDocument(
                text="\n\n".join(chunk) + f"\n\n(bundle {group})",
                origin=f"bundle/{group}",
                published=PLACEHOLDER,
            )
        )
        group += 1
    return docs[:size]
