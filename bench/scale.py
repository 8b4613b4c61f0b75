"""Scale benchmarks: end-to-end batch ingest per core, memory over a long batch, Spark local mode.

.venv/bin/python bench/scale.py [--articles 400] [--memory-docs 20000] [--spark]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.corpus import build_corpus
from dateline.batch.runner import BatchIngest, BatchOptions, Summary
from dateline.models import RawDocument
from dateline.settings import Settings

HERE = Path(__file__).resolve().parent
CHUNK = 16  # documents per worker task in the ingest runs


def articles(count: int) -> list[RawDocument]:
    """Article-sized relevant documents: bundles of six CASE 2021 news snippets each."""
    bundles = [d for d in build_corpus(100_000) if d.origin.startswith("bundle/")]
    return bundles[:count]


def _rss_mb() -> float:
    """Current resident memory of this process (Linux)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _cpu_s() -> float:
    """CPU seconds used by this process and its finished children."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _warm_up(first: list[RawDocument]) -> None:
    """What a new worker does before its steady state: load the models and store its first
    chunk (into a scratch database)."""
    from dateline.batch.runner import _Worker

    with tempfile.TemporaryDirectory() as tmp:
        worker = _Worker(Settings(db_url=f"sqlite:///{tmp}/warm.sqlite"))
        worker.run(first)
        worker.close()


def load_cpu_s(docs: list[RawDocument]) -> float:
    """CPU seconds one fresh worker process spends loading the models (imports included) and
    storing its first chunk of ``docs``: what the one-process figure leaves out by counting
    only after its first chunk, so the two figures are measured alike."""
    import multiprocessing

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    process = multiprocessing.get_context("spawn").Process(target=_warm_up, args=(docs[:CHUNK],))
    process.start()
    process.join()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime


def extract_rate(docs: list[RawDocument]) -> dict[str, Any]:
    """Extract + resolve only (``Pipeline.pipe``, no store), models loaded before the clock."""
    from dateline.models import DocumentRecord
    from dateline.pipeline import Pipeline

    pipeline = Pipeline(Settings())
    pipeline.load()
    own = resource.getrusage(resource.RUSAGE_SELF)
    before = own.ru_utime + own.ru_stime
    events = sum(len(r.events) for r in pipeline.pipe(docs) if isinstance(r, DocumentRecord))
    own = resource.getrusage(resource.RUSAGE_SELF)
    cpu = own.ru_utime + own.ru_stime - before
    return {
        "documents": len(docs),
        "events": events,
        "cpu_s": round(cpu, 1),
        "articles_per_cpu_s": round(len(docs) / cpu, 2),
    }


def ingest_rate(
    docs: list[RawDocument], workers: int, *, load_cpu: float = 0.0, link: bool = True
) -> dict[str, Any]:
    """Extract + resolve + store into a fresh SQLite file; steady rate after the first result.

    On a shared machine wall time depends on the others' load: articles per CPU-second is
    the per-core figure that does not. Both count the steady state after each worker's first
    chunk (which carries its model load): one process counts the CPU spent after it; several
    take ``load_cpu`` (a fresh process's load and first chunk) off each, and that chunk's
    articles off the count. ``link=False`` stores without cross-document clustering."""
    cpu_before = _cpu_s()
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(db_url=f"sqlite:///{tmp}/bench.sqlite", cluster=link)
        batch = BatchIngest(settings, options=BatchOptions(workers=workers, chunk_size=CHUNK))
        summary = Summary()
        started = time.perf_counter()
        first: float | None = None
        cpu_at_first = cpu_before
        for outcome in batch.run(docs):
            summary.add(outcome)
            if first is None and outcome.status == "stored":
                first = time.perf_counter()
                cpu_at_first = _cpu_s()
        wall = time.perf_counter() - started
        batch.close()
    cpu = _cpu_s() - cpu_before
    steady = wall - (first - started) if first is not None else wall
    done = summary.counts["stored"]
    # The first chunk per worker includes its model load; count only what came after it.
    after_first = max(done - CHUNK * workers, 1)
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    if workers == 1:
        after_load = after_first / max(cpu_before + cpu - cpu_at_first, 1e-9)
    else:
        after_load = after_first / max(cpu - workers * load_cpu, 1e-9)
    return {
        "processes": workers,
        "documents": len(docs),
        "stored": done,
        "events": summary.events,
        "wall_s": round(wall, 1),
        "articles_per_s": round(after_first / steady, 2),
        "articles_per_s_per_core": round(after_first / steady / workers, 2),
        "cpu_s": round(cpu, 1),
        "articles_per_cpu_s": round(done / cpu, 2),
        "load_and_first_chunk_cpu_s_per_process": round(load_cpu, 1),
        "articles_per_cpu_s_after_load": round(after_load, 2),
        "cross_document_linking": link,
        "peak_rss_mb_per_process": round((own if workers == 1 else children) / 1024, 1),
    }


def memory_over(total: int, *, every: int = 1000) -> dict[str, Any]:
    """One worker over ``total`` distinct documents; resident memory sampled as it goes."""
    base = build_corpus(2000)
    docs = (
        RawDocument(
            text=f"{base[i % len(base)].text}\n\n(copy {i})",
            origin=f"memory/{i}",
            published=base[i % len(base)].published,
        )
        for i in range(total)
    )
    samples: list[tuple[int, float]] = []
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(db_url=f"sqlite:///{tmp}/memory.sqlite")
        batch = BatchIngest(settings, options=BatchOptions(workers=1, relevance=False))
        started = time.perf_counter()
        for count, _ in enumerate(batch.run(docs), start=1):
            if count % every == 0:
                samples.append((count, round(_rss_mb(), 1)))
                print(f"memory: {count} documents, {samples[-1][1]} MB", file=sys.stderr)
        wall = time.perf_counter() - started
        batch.close()
    half = len(samples) // 2
    return {
        "documents": total,
        "wall_s": round(wall, 1),
        "rss_mb_samples": samples,
        "rss_growth_second_half_mb": round(samples[-1][1] - samples[half][1], 1) if samples else 0,
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


def spark_rate(docs: list[RawDocument], *, master: str = "local[2]") -> dict[str, Any]:
    """The same articles through ``dateline spark`` in local mode, session start excluded."""
    from dateline.batch.spark import run_spark, spark_session

    with tempfile.TemporaryDirectory() as tmp:
        feed = Path(tmp) / "articles.jsonl"
        feed.write_text(
            "\n".join(
                json.dumps({"id": d.origin, "text": d.text, "published": str(d.published)})
                for d in docs
            )
            + "\n",
            encoding="utf-8",
        )
        started = time.perf_counter()
        spark = spark_session(master, app_name="dateline-bench")
        session = time.perf_counter() - started
        try:
            run = run_spark(spark, [str(feed)], Path(tmp) / "out", Settings(), partitions=2)
        finally:
            spark.stop()
    return {
        "master": master,
        "documents": run.documents,
        "statuses": run.statuses,
        "events": run.events,
        "session_start_s": round(session, 1),
        "job_s": run.seconds,
        "articles_per_s": round(run.documents / run.seconds, 2),
        "note": "job time includes one model load per executor worker",
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--articles", type=int, default=400)
    parser.add_argument("--memory-docs", type=int, default=0)
    parser.add_argument("--spark", action="store_true")
    parser.add_argument("--out", type=Path, default=HERE / "scale-results.json")
    args = parser.parse_args()
    docs = articles(args.articles)
    results: dict[str, Any] = {
        "date": time.strftime("%Y-%m-%d %H:%M"),
        "cpus": os.cpu_count(),
        "load_average_at_start": os.getloadavg(),
        "articles": len(docs),
        "words_per_article": round(sum(len(d.text.split()) for d in docs) / max(len(docs), 1)),
    }
    load = load_cpu_s(docs) if docs else 0.0
    for workers in (1, 2) if docs else ():
        results[f"ingest_{workers}_process"] = ingest_rate(docs, workers, load_cpu=load)
        print(json.dumps(results[f"ingest_{workers}_process"]), flush=True)
    if docs:
        results["ingest_1_process_no_linking"] = ingest_rate(docs, 1, load_cpu=load, link=False)
        results["extract_resolve_only"] = extract_rate(docs)
        for key in ("ingest_1_process_no_linking", "extract_resolve_only"):
            print(json.dumps(results[key]), flush=True)
    if args.spark and docs:
        results["spark_local"] = spark_rate(docs)
        print(json.dumps(results["spark_local"]), flush=True)
    if args.memory_docs:
        results["memory"] = memory_over(args.memory_docs)
        print(json.dumps(results["memory"]), flush=True)
    results["load_average_at_end"] = os.getloadavg()
    args.out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"written to {args.out}")


if __name__ == "__main__":
    main()
