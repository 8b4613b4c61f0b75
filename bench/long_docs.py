"""Benchmark: extraction time of one long document (2, 20, 100 KB) built from varied sentences.

    .venv/bin/python bench/long_docs.py [--sizes 2,20,100] [--seed PATH]

Time should grow about linearly with length; a quadratic step shows up at 100 KB first.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from dateline.models import RawDocument
from dateline.pipeline import Pipeline
from dateline.settings import Settings

_SENTENCES = [
    "An Israeli air strike on a house in Khan Younis killed 12 people, including five children, "
    "the Gaza health ministry said on Tuesday.",
    "Russian forces shelled the city of Kharkiv overnight, wounding at least 7 civilians, "
    "regional governor Oleh Synehubov said.",
    "Al-Shabaab militants attacked a military base near Mogadishu, killing three soldiers.",
    "Protesters clashed with police in Khartoum on Sunday; two demonstrators were shot dead.",
    '"We will not stop until they leave," Hamas spokesman Abu Obaida said in a statement.',
    "Houthi rebels fired a drone at a ship in the Red Sea, the US Central Command said.",
    "The United Nations said 25,000 people had been displaced by fighting in North Kivu.",
    "Gunmen abducted 40 students from a school in Kaduna state, police spokesman Mohammed "
    "Jalige said.",
    "Ukrainian troops recaptured the village of Robotyne after weeks of fighting.",
    "A car bomb exploded at a checkpoint in Kabul, killing four and injuring 11.",
]


def build_text(size_kb: int) -> str:
    """Paragraphs of varied conflict sentences until the text reaches ``size_kb`` kilobytes."""
    parts: list[str] = []
    total, i = 0, 0
    while total < size_kb * 1000:
        paragraph = " ".join(_SENTENCES[(i + k) % len(_SENTENCES)] for k in range(3))
        parts.append(paragraph)
        total += len(paragraph) + 2
        i += 1
    return "\n\n".join(parts)


def _time(pipeline: Pipeline, text: str, origin: str) -> tuple[float, int]:
    raw = RawDocument(text=text, origin=origin, published=dt.date(2024, 1, 24))
    start = time.perf_counter()
    record = pipeline.process(raw)
    return time.perf_counter() - start, len(record.events)


def main() -> None:
    """Print seconds per document size (and for the seed article if given)."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="2,20,100")
    parser.add_argument("--seed", type=Path, default=None)
    args = parser.parse_args()
    pipeline = Pipeline(Settings(time_limit=600))
    _time(pipeline, _SENTENCES[0], "warmup")
    if args.seed is not None:
        seconds, events = _time(pipeline, args.seed.read_text(encoding="utf-8"), str(args.seed))
        print(f"{args.seed.name}: {seconds:.2f} s, {events} events")
    for size in (int(s) for s in args.sizes.split(",")):
        text = build_text(size)
        seconds, events = _time(pipeline, text, f"synthetic-{size}kb")
        print(f"{size} KB ({len(text)} chars): {seconds:.2f} s, {events} events")


if __name__ == "__main__":
    main()
