"""The pipeline on Spark: Parquet, JSONL or WARC in; documents, events, places, checks as Parquet.

Each executor's Python worker builds one ``Pipeline`` (model and gazetteer) and keeps it for
every partition it runs (``mapInPandas``); the extraction is ``Pipeline.pipe``, the same
code the local ``dateline ingest`` runs, and the flat event rows are the export's.

    dateline spark articles.parquet --out results/ [--master local[2]]
    spark-submit --master yarn "$(python -m dateline.batch.spark --path)" IN... --out DIR
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import json
import logging
import os
import sys
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dateline.models import DocumentRecord, RawDocument, Rejected
from dateline.settings import Settings

log = logging.getLogger(__name__)

_INPUT_FIELDS = ("origin", "text", "title", "url", "source", "published", "code", "reason")
_DOCUMENT_FIELDS = (
    ("doc_id", "string"),
    ("origin", "string"),
    ("status", "string"),
    ("code", "string"),
    ("reason", "string"),
    ("title", "string"),
    ("url", "string"),
    ("reference_date", "date"),
    ("events", "long"),
    ("record", "string"),
)
_PLACE_FIELDS = (
    ("doc_id", "string"),
    ("text", "string"),
    ("span_start", "long"),
    ("span_end", "long"),
    ("name", "string"),
    ("lat", "double"),
    ("lon", "double"),
    ("country", "string"),
    ("admin1", "string"),
    ("geonameid", "long"),
    ("geo_precision", "string"),
)
_CHECK_FIELDS = (
    ("doc_id", "string"),
    ("kind", "string"),
    ("message", "string"),
    ("spans", "string"),
)


@dataclass(frozen=True)
class SparkRun:
    """What a Spark run wrote and how long the extraction took."""

    out: Path
    documents: int
    statuses: dict[str, int]
    events: int
    seconds: float


def event_fields() -> tuple[tuple[str, str], ...]:
    """Event columns (the export's flat row) with Spark types taken from the store schema."""
    from sqlalchemy import Date, Float, Integer

    from dateline.export.rows import EVENT_COLUMNS
    from dateline.store import schema

    fields: list[tuple[str, str]] = []
    for name in EVENT_COLUMNS:
        column = schema.events.columns.get(name)
        kind = "string"
        if column is not None and isinstance(column.type, Integer):
            kind = "long"
        elif column is not None and isinstance(column.type, Float):
            kind = "double"
        elif column is not None and isinstance(column.type, Date):
            kind = "date"
        fields.append((name, kind))
    return tuple(fields)


def _ddl(fields: Sequence[tuple[str, str]]) -> str:
    return ", ".join(f"`{name}` {kind}" for name, kind in fields)


def _frame(rows: list[dict[str, Any]], fields: Sequence[tuple[str, str]]) -> Any:
    """A pandas frame whose dtypes Arrow maps onto the Spark schema (nullable integers)."""
    import pandas as pd

    data: dict[str, Any] = {}
    for name, kind in fields:
        values = [row.get(name) for row in rows]
        if kind == "long":
            data[name] = pd.array([None if v is None else int(v) for v in values], dtype="Int64")
        elif kind == "double":
            data[name] = pd.array(values, dtype="Float64")
        elif kind == "date":
            data[name] = pd.Series(
                [dt.date.fromisoformat(str(v)) if v else None for v in values], dtype="object"
            )
        else:
            data[name] = pd.Series([None if v is None else str(v) for v in values], dtype="object")
    return pd.DataFrame(data)


@functools.lru_cache(maxsize=1)
def _executor_state(settings_json: str, relevance: bool) -> tuple[Any, Any]:
    """The pipeline and filter of this Python worker: built on its first partition, then reused."""
    from dateline.batch.relevance import default_filter
    from dateline.pipeline import Pipeline

    settings = Settings.model_validate_json(settings_json)
    return Pipeline(settings), default_filter(settings.spacy_model) if relevance else None


def _raw(row: dict[str, Any]) -> RawDocument:
    published = row.get("published")
    day = None
    if isinstance(published, dt.date):
        day = published
    elif isinstance(published, str) and published.strip():
        try:
            day = dt.date.fromisoformat(published.strip()[:10])
        except ValueError:
            day = None
    return RawDocument(
        text=str(row["text"]),
        origin=str(row["origin"]),
        title=row.get("title") or None,
        url=row.get("url") or None,
        source=row.get("source") or None,
        published=day,
        published_text=published if isinstance(published, str) else None,
    )


def extract_partition(
    batches: Iterator[Any], *, settings_json: str, relevance: bool
) -> Iterator[Any]:
    """``mapInPandas`` body: input rows to one document row each (record as JSON)."""
    pipeline, keep = _executor_state(settings_json, relevance)
    fields = _DOCUMENT_FIELDS
    for frame in batches:
        rows: list[dict[str, Any]] = []
        todo: list[RawDocument] = []
        for item in frame.to_dict("records"):
            item = {k: (None if _missing(v) else v) for k, v in item.items()}
            origin = str(item.get("origin"))
            if item.get("code"):
                rows.append(
                    {"origin": origin, "status": "failed", "code": item["code"], **_why(item)}
                )
            elif not isinstance(item.get("text"), str) or not item["text"].strip():
                rows.append(
                    {
                        "origin": origin,
                        "status": "failed",
                        "code": "E101",
                        "reason": "document is empty or only whitespace",
                    }
                )
            elif keep is not None and not keep(item["text"]):
                rows.append({"origin": origin, "status": "irrelevant"})
            else:
                todo.append(_raw(item))
        for result in pipeline.pipe(todo):
            rows.append(_document_row(result))
        yield _frame(rows, fields)


def _missing(value: Any) -> bool:
    try:
        return bool(value != value)  # NaN from pandas for a missing value
    except (TypeError, ValueError):
        return False


def _why(item: dict[str, Any]) -> dict[str, Any]:
    return {"reason": item.get("reason") or ""}


def _document_row(result: DocumentRecord | Rejected) -> dict[str, Any]:
    if isinstance(result, Rejected):
        return {
            "origin": result.origin,
            "status": "failed",
            "code": result.code,
            "reason": result.reason,
        }
    document = result.document
    return {
        "doc_id": document.id,
        "origin": document.origin,
        "status": "stored",
        "title": document.title,
        "url": document.url,
        "reference_date": document.reference_date.isoformat(),
        "events": len(result.events),
        "record": result.model_dump_json(),
    }


def flatten_partition(batches: Iterator[Any], *, table: str) -> Iterator[Any]:
    """``mapInPandas`` body: document rows to event, place or check rows."""
    from dateline.export.rows import event_row

    fields = {"events": event_fields(), "places": _PLACE_FIELDS, "checks": _CHECK_FIELDS}[table]
    for frame in batches:
        rows: list[dict[str, Any]] = []
        for text in frame["record"]:
            if not isinstance(text, str):
                continue
            record = DocumentRecord.model_validate_json(text)
            doc_id = record.document.id
            if table == "events":
                for event in record.events:
                    row = event_row(event, record.document)
                    rows.append({k: int(v) if isinstance(v, bool) else v for k, v in row.items()})
            elif table == "places":
                for place in record.places:
                    rows.append(
                        {
                            **place.model_dump(mode="json", exclude={"span"}),
                            "doc_id": doc_id,
                            "span_start": place.span.start,
                            "span_end": place.span.end,
                        }
                    )
            else:
                for check in record.checks:
                    rows.append(
                        {
                            "doc_id": doc_id,
                            "kind": check.kind,
                            "message": check.message,
                            "spans": json.dumps([s.model_dump(mode="json") for s in check.spans]),
                        }
                    )
        yield _frame(rows, fields)


def _warc_rows(path: str, settings_json: str) -> Iterator[tuple[Any, ...]]:
    """Rows from one WARC file, read on the executor."""
    from dateline.ingest.warc import read_warc

    settings = Settings.model_validate_json(settings_json)
    for item in read_warc(Path(path), settings):
        if isinstance(item, Rejected):
            yield (item.origin, None, None, None, None, None, item.code, item.reason)
        else:
            published = item.published.isoformat() if item.published else item.published_text
            yield (item.origin, item.text, item.title, item.url, item.source, published, None, None)


def _files(inputs: Sequence[str], suffixes: tuple[str, ...]) -> list[str]:
    found: list[str] = []
    for name in inputs:
        path = Path(name)
        candidates = sorted(path.rglob("*")) if path.is_dir() else [path]
        found.extend(str(p) for p in candidates if p.name.lower().endswith(suffixes))
    return found


def read_inputs(spark: Any, inputs: Sequence[str], settings: Settings) -> Any:
    """One DataFrame of (origin, text, title, url, source, published, code, reason)."""
    from pyspark.sql import functions as F

    frames = []
    parquet = _files(inputs, (".parquet",))
    jsonl = _files(inputs, (".jsonl", ".jsonl.gz", ".ndjson", ".ndjson.gz", ".json"))
    warc = _files(inputs, (".warc", ".warc.gz"))
    for paths, reader in ((parquet, spark.read.parquet), (jsonl, spark.read.json)):
        if not paths:
            continue
        frame = reader(*paths)
        columns = set(frame.columns)
        origin = (
            F.col("id").cast("string")
            if "id" in columns
            else F.concat_ws(":", F.input_file_name(), F.monotonically_increasing_id())
        )
        frames.append(
            frame.select(
                origin.alias("origin"),
                *(
                    (F.col(c).cast("string") if c in columns else F.lit(None).cast("string")).alias(
                        c
                    )
                    for c in ("text", "title", "url", "source", "published")
                ),
                F.lit(None).cast("string").alias("code"),
                F.lit(None).cast("string").alias("reason"),
            )
        )
    if warc:
        settings_json = settings.model_dump_json()
        rdd = spark.sparkContext.parallelize(warc, len(warc)).flatMap(
            lambda path: _warc_rows(path, settings_json)
        )
        frames.append(spark.createDataFrame(rdd, _ddl([(f, "string") for f in _INPUT_FIELDS])))
    if not frames:
        raise FileNotFoundError(f"no .parquet, .jsonl(.gz) or .warc(.gz) input in {list(inputs)}")
    result = frames[0]
    for frame in frames[1:]:
        result = result.unionByName(frame)
    return result


def spark_session(master: str, *, app_name: str = "dateline") -> Any:
    """A Spark session whose Python workers run this interpreter (and so this install)."""
    from pyspark.sql import SparkSession

    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    return (
        SparkSession.builder.master(master)
        .appName(app_name)
        .config("spark.sql.execution.arrow.pyspark.enabled", "true")
        .config("spark.sql.execution.arrow.maxRecordsPerBatch", "256")
        .config("spark.python.worker.reuse", "true")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "4")
        .getOrCreate()
    )


def run_spark(
    spark: Any,
    inputs: Sequence[str],
    out: Path,
    settings: Settings,
    *,
    relevance: bool = True,
    partitions: int | None = None,
) -> SparkRun:
    """Extract every input document on the cluster and write the four Parquet tables."""
    from pyspark import StorageLevel

    frame = read_inputs(spark, inputs, settings)
    if partitions:
        frame = frame.repartition(partitions)
    settings_json = settings.model_dump_json()
    started = time.perf_counter()
    documents = frame.mapInPandas(
        functools.partial(extract_partition, settings_json=settings_json, relevance=relevance),
        schema=_ddl(_DOCUMENT_FIELDS),
    ).persist(StorageLevel.MEMORY_AND_DISK)
    documents.drop("record").write.mode("overwrite").parquet(str(out / "documents"))
    extracted = documents.where("record IS NOT NULL").select("record")
    for table, fields in (
        ("events", event_fields()),
        ("places", _PLACE_FIELDS),
        ("checks", _CHECK_FIELDS),
    ):
        extracted.mapInPandas(
            functools.partial(flatten_partition, table=table), schema=_ddl(fields)
        ).write.mode("overwrite").parquet(str(out / table))
    statuses = {r["status"]: int(r["count"]) for r in documents.groupBy("status").count().collect()}
    events = documents.agg({"events": "sum"}).collect()[0][0] or 0
    seconds = time.perf_counter() - started
    documents.unpersist()
    return SparkRun(
        out=out,
        documents=sum(statuses.values()),
        statuses=statuses,
        events=int(events),
        seconds=round(seconds, 2),
    )


def main(argv: Sequence[str] | None = None) -> None:
    """The ``spark-submit`` entry point: ``spark-submit path/to/spark.py IN... --out DIR``."""
    parser = argparse.ArgumentParser(description="Run the dateline pipeline on Spark.")
    if argv is None and sys.argv[1:] == ["--path"]:
        print(__file__)  # for spark-submit, which takes a script path
        return
    parser.add_argument("inputs", nargs="+")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--master", default=os.environ.get("SPARK_MASTER", "local[*]"))
    parser.add_argument("--no-filter", action="store_true")
    parser.add_argument("--partitions", type=int, default=None)
    args = parser.parse_args(argv)
    spark = spark_session(args.master)
    try:
        run = run_spark(
            spark,
            args.inputs,
            args.out,
            Settings(),
            relevance=not args.no_filter,
            partitions=args.partitions,
        )
    finally:
        spark.stop()
    print(json.dumps({**run.__dict__, "out": str(run.out)}))


if __name__ == "__main__":
    main()
