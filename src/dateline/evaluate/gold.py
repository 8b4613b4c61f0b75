"""Loading gold sets: event/toponym items (``items.jsonl``) and time expressions (TempEval)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

# Items without a publication date are resolved against this placeholder; their sets
# carry no gold dates (the plover-gsr README says its dates are placeholders).
PLACEHOLDER_DATE = dt.date(2000, 1, 1)
# CASE 2021 labels that are not ACLED event types: no conflict event of an ACLED type.
NON_ACLED_LABELS = frozenset(
    {"DIPLO", "ATTRIB", "ORG_CRIME", "MAN_MADE_DISASTER", "NATURAL_DISASTER"}
)


@dataclass(frozen=True)
class GoldItem:
    """One scored text with the gold fields it has (absent fields are not scored)."""

    id: str
    text: str
    published: dt.date | None
    events: list[dict[str, Any]] = field(default_factory=list)
    no_event: bool = False
    places: list[dict[str, Any]] = field(default_factory=list)


@dataclass(frozen=True)
class Timex:
    """A TempEval time expression with its document creation date and normalised value."""

    id: str
    text: str
    dct: dt.date
    type: str
    value: str
    context: str


@dataclass(frozen=True)
class GoldSet:
    """A named set of items of one kind."""

    name: str
    kind: Literal["items", "timex"]
    items: list[GoldItem] = field(default_factory=list)
    timexes: list[Timex] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.items) if self.kind == "items" else len(self.timexes)


def _date(value: object) -> dt.date | None:
    if isinstance(value, str) and value:
        try:
            return dt.date.fromisoformat(value[:10])
        except ValueError:
            return None
    return None


def _item(data: dict[str, Any]) -> GoldItem:
    gold = data.get("gold") or {}
    events = [e for e in gold.get("events") or [] if isinstance(e, dict)]
    labels = {e.get("case_label") for e in events}
    no_event = bool(gold.get("no_event")) or (bool(labels) and labels <= NON_ACLED_LABELS)
    if no_event:
        events = [e for e in events if e.get("event_type") or e.get("acled_event_type")]
    return GoldItem(
        id=str(data["id"]),
        text=str(data["text"]),
        published=_date(data.get("published")),
        events=events,
        no_event=no_event,
        places=[p for p in gold.get("places") or [] if isinstance(p, dict)],
    )


def load_set(path: Path) -> GoldSet:
    """A set folder (with items.jsonl or timexes.jsonl) or a .jsonl file."""
    if path.is_dir():
        for name in ("items.jsonl", "timexes.jsonl"):
            if (path / name).exists():
                return _load_file(path / name, path.name)
        raise FileNotFoundError(f"{path} has neither items.jsonl nor timexes.jsonl")
    return _load_file(path, path.stem)


def _load_file(path: Path, name: str) -> GoldSet:
    # Split on newlines only: texts may hold U+2028, which splitlines() would break on.
    lines = path.read_text(encoding="utf-8").split("\n")
    rows = [json.loads(line) for line in lines if line.strip()]
    if path.name == "timexes.jsonl" or (rows and "dct" in rows[0]):
        timexes = [
            Timex(
                id=f"{r['doc']}:{r.get('tid', i)}",
                text=r["text"],
                dct=dt.date.fromisoformat(r["dct"][:10]),
                type=r["type"],
                value=str(r["value"]),
                context=r.get("context", ""),
            )
            for i, r in enumerate(rows)
        ]
        return GoldSet(name=name, kind="timex", timexes=timexes)
    return GoldSet(name=name, kind="items", items=[_item(r) for r in rows])


def stable_order(key: str) -> str:
    """A deterministic pseudo-random order for sampling (no RNG state involved)."""
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def sample(gold: GoldSet, size: int | None) -> GoldSet:
    """The same ``size`` items every run, spread over the set by a hash of their ids."""
    if size is None or size >= len(gold):
        return gold
    if gold.kind == "items":
        items = sorted(gold.items, key=lambda i: stable_order(i.id))[:size]
        return GoldSet(name=gold.name, kind="items", items=sorted(items, key=lambda i: i.id))
    timexes = sorted(gold.timexes, key=lambda t: stable_order(t.id))[:size]
    return GoldSet(name=gold.name, kind="timex", timexes=sorted(timexes, key=lambda t: t.id))
