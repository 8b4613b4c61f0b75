"""The ``dateline`` command: a thin layer over the library (extract, ingest, export, show)."""

from __future__ import annotations

import datetime as dt
import enum
import logging
import sys
from collections.abc import Iterator
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)

from dateline.ingest import iter_inputs
from dateline.models import DocumentRecord, RawDocument, Rejected
from dateline.settings import Settings

if TYPE_CHECKING:
    from sqlalchemy import Connection

    from dateline.batch.runner import Summary
    from dateline.store.clusters import RebuildStats

app = typer.Typer(
    name="dateline",
    help="Turn conflict and crisis reporting into geocoded, dated, sourced event records.",
    no_args_is_help=True,
    add_completion=False,
)
err = Console(stderr=True)


class ExtractFormat(enum.StrEnum):
    json = "json"
    jsonl = "jsonl"
    csv = "csv"
    geojson = "geojson"


class ExportFormat(enum.StrEnum):
    csv = "csv"
    jsonl = "jsonl"
    geojson = "geojson"
    acled_csv = "acled-csv"
    json = "json"


PathsArg = Annotated[
    list[str],
    typer.Argument(
        help="Files (.txt, .html, .jsonl), directories (read recursively) or '-' for stdin.",
        show_default=False,
    ),
]
DbOpt = Annotated[
    str | None,
    typer.Option(
        "--db",
        help="SQLAlchemy URL: a SQLite file (default sqlite:///dateline.sqlite) or postgresql://...",
        envvar="DATELINE_DB_URL",
    ),
]
DateOpt = Annotated[
    str | None,
    typer.Option(
        "--date",
        help="Reference date YYYY-MM-DD for relative dates ('Tuesday', 'last week'); "
        "overrides the dates found in the document.",
    ),
]


def _counted_progress(*, show: bool) -> Progress:
    """A progress bar with "done/total" and elapsed time on stderr; silent when not shown."""
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        disable=not show,
    )


def _settings(
    *, db: str | None = None, date: str | None = None, cluster: bool | None = None
) -> Settings:
    overrides: dict[str, object] = {}
    if db:
        overrides["db_url"] = db
    if cluster is not None:
        overrides["cluster"] = cluster
    if date:
        try:
            overrides["reference_date"] = dt.date.fromisoformat(date)
        except ValueError:
            raise typer.BadParameter(
                f"{date!r} is not a date in YYYY-MM-DD form", param_hint="--date"
            ) from None
    return Settings(**overrides)  # type: ignore[arg-type]


def _report(rejected: Rejected) -> None:
    err.print(
        f"[red]failed[/red] {rejected.origin}: {rejected.reason} [{rejected.code}]",
        markup=True,
        highlight=False,
    )


def _records(
    paths: list[str], settings: Settings, *, progress: bool
) -> Iterator[DocumentRecord | Rejected]:
    """Read the inputs and run the pipeline, with a progress bar on a terminal."""
    from dateline.pipeline import Pipeline

    pipeline = Pipeline(settings)
    inputs = list(iter_inputs(paths, settings))
    raws: list[RawDocument] = [i for i in inputs if isinstance(i, RawDocument)]
    yield from (i for i in inputs if isinstance(i, Rejected))
    if not raws:
        return
    show = progress and err.is_terminal and len(raws) > 1
    with _counted_progress(show=show) as bar:
        task = bar.add_task("extracting", total=len(raws))
        for result in pipeline.pipe(raws):
            bar.advance(task)
            yield result


@app.command()
def extract(
    paths: PathsArg,
    format: Annotated[
        ExtractFormat, typer.Option("--format", "-f", help="Output format on stdout.")
    ] = ExtractFormat.json,
    date: DateOpt = None,
) -> None:
    """Extract event records and print them; nothing is stored.

    json prints one object per document ({document, events, places, checks}) or a list when
    there are several; jsonl prints one document record per line; csv and geojson print one
    row or feature per event. Exits 1 if any input failed (the others are still printed).
    """
    from dateline.export import writers

    settings = _settings(date=date)
    records: list[DocumentRecord] = []
    failed = 0
    for result in _records(paths, settings, progress=True):
        if isinstance(result, Rejected):
            _report(result)
            failed += 1
        else:
            records.append(result)
    out = sys.stdout
    if format is ExtractFormat.json:
        writers.write_json(records, out)
    elif format is ExtractFormat.jsonl:
        writers.write_jsonl_records(records, out)
    else:
        pairs = [(event, record.document) for record in records for event in record.events]
        (writers.write_csv if format is ExtractFormat.csv else writers.write_geojson)(pairs, out)
    if failed:
        raise typer.Exit(code=1)


@app.command()
def ingest(
    paths: PathsArg,
    db: DbOpt = None,
    date: DateOpt = None,
    workers: Annotated[
        int, typer.Option("--workers", "-w", min=1, help="Worker processes (one model each).")
    ] = 1,
    relevance: Annotated[
        bool,
        typer.Option(
            "--filter/--no-filter",
            help="Skip, before parsing, documents holding no trigger word of the ontology.",
        ),
    ] = True,
    cluster: Annotated[
        bool | None,
        typer.Option(
            "--cluster/--no-cluster",
            help="Link events across documents as they are stored (default), or leave it to "
            "`dateline clusters --rebuild` after the batch (faster on large batches).",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Extract and store records; rerun the same command to resume after a crash or Ctrl-C.

    Inputs may be .txt/.html files, directories, .jsonl(.gz) and .warc(.gz) files. Each
    document is stored in its own transaction and identified by its content hash, so a rerun
    skips what is stored and stores the rest exactly once. Failures are stored with their
    reason and summarised at the end; the exit code is 1 when any failed.
    """
    from dateline.batch.runner import BatchIngest, BatchOptions
    from dateline.batch.runner import Summary as BatchSummary

    settings = _settings(db=db, date=date, cluster=cluster)
    summary = BatchSummary()
    batch = BatchIngest(settings, options=BatchOptions(workers=workers, relevance=relevance))
    interrupted = False
    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.completed} documents"),
        TextColumn("{task.fields[counts]}"),
        TimeElapsedColumn(),
        console=err,
        disable=not err.is_terminal,
    ) as bar:
        task = bar.add_task("ingesting", total=None, counts="")
        try:
            for outcome in batch.run(iter_inputs(paths, settings)):
                summary.add(outcome)
                if outcome.status == "failed":
                    _report(
                        Rejected(
                            origin=outcome.origin,
                            stage="",
                            code=outcome.code or "?",
                            reason=outcome.reason or "",
                        )
                    )
                bar.update(task, advance=1, counts=_counts(summary))
        except KeyboardInterrupt:
            interrupted = True
        finally:
            batch.close()
    counts = summary.counts
    err.print(
        f"stored {counts['stored']}, already present {counts['present']}, "
        f"not relevant {counts['irrelevant']}, failed {counts['failed']} "
        f"({summary.events} events) -> {settings.db_url}",
        highlight=False,
    )
    for code, count, reason in summary.failures_by_code():
        err.print(f"  {count} x {code}: {reason}", highlight=False, markup=False)
    if interrupted:
        err.print("interrupted: run the same command again to resume; stored documents are kept")
        raise typer.Exit(code=130)
    if counts["failed"]:
        raise typer.Exit(code=1)


def _counts(summary: Summary) -> str:
    c = summary.counts
    return (
        f"stored {c['stored']} · present {c['present']} · not relevant {c['irrelevant']}"
        f" · failed {c['failed']}"
    )


@app.command()
def spark(
    paths: Annotated[
        list[str],
        typer.Argument(
            help="Parquet, .jsonl(.gz) or .warc(.gz) files or directories (Parquet/JSONL need "
            "a 'text' column; 'id', 'title', 'url', 'source', 'published' are used when present).",
            show_default=False,
        ),
    ],
    out: Annotated[
        str, typer.Option("--out", "-o", help="Directory for documents/events/places/checks.")
    ],
    master: Annotated[
        str, typer.Option(help="Spark master URL: local[N] or a cluster.", envvar="SPARK_MASTER")
    ] = "local[*]",
    relevance: Annotated[
        bool, typer.Option("--filter/--no-filter", help="Skip documents with no trigger word.")
    ] = True,
    partitions: Annotated[
        int | None, typer.Option(help="Repartition the input into this many tasks.")
    ] = None,
    date: DateOpt = None,
) -> None:
    """Run the same pipeline on Spark (PySpark; needs Java 17) and write Parquet tables.

    Models are loaded once per executor worker. Output: OUT/documents (status per input:
    stored, irrelevant, failed), OUT/events (the export's flat event rows), OUT/places,
    OUT/checks. For spark-submit, see `python -m dateline.batch.spark --help`.
    """
    from pathlib import Path

    try:
        from dateline.batch.spark import run_spark, spark_session
    except ImportError as exc:  # pragma: no cover - depends on the install
        err.print(f"PySpark is not installed ({exc}); pip install 'dateline[spark]'")
        raise typer.Exit(code=2) from None
    settings = _settings(date=date)
    session = spark_session(master)
    try:
        run = run_spark(
            session, paths, Path(out), settings, relevance=relevance, partitions=partitions
        )
    finally:
        session.stop()
    rate = run.documents / run.seconds if run.seconds else 0.0
    statuses = ", ".join(f"{k} {v}" for k, v in sorted(run.statuses.items()))
    err.print(
        f"{run.documents} documents ({statuses}), "
        f"{run.events} events in {run.seconds:.1f} s ({rate:.1f} documents/s) -> {run.out}",
        highlight=False,
    )


@app.command()
def export(
    db: DbOpt = None,
    format: Annotated[
        ExportFormat, typer.Option("--format", "-f", help="Output format on stdout.")
    ] = ExportFormat.csv,
    since: Annotated[
        str | None,
        typer.Option(help="Only events whose dates reach this day (YYYY-MM-DD) or later."),
    ] = None,
    until: Annotated[
        str | None, typer.Option(help="Only events whose dates start on or before this day.")
    ] = None,
    country: Annotated[
        str | None, typer.Option(help="Only events located in this ISO-3 country (e.g. PSE).")
    ] = None,
    type: Annotated[
        str | None, typer.Option("--type", help="Only this PLOVER event type (e.g. ASSAULT).")
    ] = None,
) -> None:
    """Write stored events to stdout, filtered by date, country and type."""
    from dateline.export import writers
    from dateline.store import Store

    settings = _settings(db=db)
    filters = {
        "since": _date_option(since, "--since"),
        "until": _date_option(until, "--until"),
        "country": country.upper() if country else None,
        "event_type": type.upper() if type else None,
    }
    with Store(settings.db_url) as store:
        if format is ExportFormat.json:
            writers.write_json(list(store.records(**filters)), sys.stdout)  # type: ignore[arg-type]
            return
        pairs = list(store.events(**filters))  # type: ignore[arg-type]
    writer = {
        ExportFormat.csv: writers.write_csv,
        ExportFormat.jsonl: writers.write_jsonl_events,
        ExportFormat.geojson: writers.write_geojson,
        ExportFormat.acled_csv: writers.write_acled_csv,
    }[format]
    writer(pairs, sys.stdout)


class ClusterFormat(enum.StrEnum):
    csv = "csv"
    jsonl = "jsonl"
    json = "json"
    geojson = "geojson"


@app.command()
def clusters(
    db: DbOpt = None,
    format: Annotated[
        ClusterFormat, typer.Option("--format", "-f", help="Output format on stdout.")
    ] = ClusterFormat.csv,
    since: Annotated[
        str | None,
        typer.Option(help="Only clusters whose dates reach this day (YYYY-MM-DD) or later."),
    ] = None,
    until: Annotated[
        str | None, typer.Option(help="Only clusters whose dates start on or before this day.")
    ] = None,
    country: Annotated[
        str | None, typer.Option(help="Only clusters located in this ISO-3 country (e.g. PSE).")
    ] = None,
    type: Annotated[
        str | None, typer.Option("--type", help="Only this PLOVER event type (e.g. ASSAULT).")
    ] = None,
    min_sources: Annotated[
        int, typer.Option(help="Only clusters with at least this many independent sources.")
    ] = 1,
    rebuild: Annotated[
        bool,
        typer.Option(
            help="Recluster every stored event first, in the order they were stored (after "
            "`ingest --no-cluster`, or for databases from before clustering)."
        ),
    ] = False,
) -> None:
    """Write event clusters (one real-world event, all its reports) to stdout.

    One row per cluster: the consensus type, place, date and fatalities (low-high and a best
    estimate), the number of independent sources (wire copies count once), the ids of its
    events and the kinds of contradiction found. json/jsonl give the full cluster records.
    """
    from dateline.export import clusters as cluster_writers
    from dateline.store import Store
    from dateline.store.clusters import ClusterFilters, read_clusters, unclustered

    settings = _settings(db=db)
    filters = ClusterFilters(
        since=_date_option(since, "--since"),
        until=_date_option(until, "--until"),
        country=country.upper() if country else None,
        event_type=type.upper() if type else None,
        min_sources=min_sources,
    )
    with Store(settings.db_url) as store, store.engine.begin() as connection:
        if rebuild:
            stats = _rebuild(connection)
            err.print(
                f"clustered {stats.events} events into {stats.clusters} clusters "
                f"({stats.compared} pairs compared)"
            )
        elif missing := unclustered(connection):
            err.print(f"{missing} stored events are not clustered yet: run with --rebuild")
        found = read_clusters(connection, filters)
    writer = {
        ClusterFormat.csv: cluster_writers.write_clusters_csv,
        ClusterFormat.jsonl: cluster_writers.write_clusters_jsonl,
        ClusterFormat.json: cluster_writers.write_clusters_json,
        ClusterFormat.geojson: cluster_writers.write_clusters_geojson,
    }[format]
    writer(found, sys.stdout)


def _rebuild(connection: Connection) -> RebuildStats:
    """Recluster the store with a progress bar per stage (linking, consensus) on a terminal."""
    from dateline.store.clusters import rebuild_clusters

    with _counted_progress(show=err.is_terminal) as bar:
        tasks: dict[str, TaskID] = {}

        def show(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = bar.add_task(stage, total=total)
            bar.update(tasks[stage], completed=done, total=total)

        return rebuild_clusters(connection, progress=show)


def _date_option(value: str | None, name: str) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(
            f"{value!r} is not a date in YYYY-MM-DD form", param_hint=name
        ) from None


@app.command()
def show(
    doc_id: Annotated[
        str | None,
        typer.Argument(
            help="Document id (or a unique prefix of 6+ characters).", show_default=False
        ),
    ] = None,
    db: DbOpt = None,
    failures: Annotated[
        bool, typer.Option("--failures", help="List failed documents with their reasons instead.")
    ] = False,
) -> None:
    """Print a stored article with its events (every field's source span marked), or failures."""
    from dateline.show import render_failures, render_record
    from dateline.store import Store

    settings = _settings(db=db)
    if failures or doc_id is None:
        with Store(settings.db_url) as store:
            render_failures(store.failures(), Console())
        return
    with Store(settings.db_url) as store:
        record = store.get(doc_id)
    if record is None:
        err.print(f"no document {doc_id!r} in {settings.db_url}")
        raise typer.Exit(code=2)
    render_record(record, Console())


@app.command()
def retry(
    ids: Annotated[
        list[int] | None,
        typer.Argument(help="Failure ids (see `dateline show --failures`); all open ones if none."),
    ] = None,
    db: DbOpt = None,
    date: DateOpt = None,
    time_limit: Annotated[
        float | None,
        typer.Option("--time-limit", help="Seconds per document for this retry (0: no limit)."),
    ] = None,
) -> None:
    """Retry stored failures: read each input again, extract it, store what now works.

    Exits 1 while any retried document still fails (its record counts one more attempt)."""
    from dateline.pipeline import Pipeline
    from dateline.retry import retry_failures
    from dateline.store import Store

    settings = _settings(db=db, date=date)
    if time_limit is not None:
        settings = settings.model_copy(update={"time_limit": time_limit})
    with Store(settings.db_url) as store:
        report = retry_failures(store, Pipeline(settings), ids=ids or None)
    for rejected in report.still_failing:
        _report(rejected)
    err.print(
        f"retried {report.tried}: resolved {len(report.resolved)}, "
        f"still failing {len(report.still_failing)}"
    )
    if report.still_failing:
        raise typer.Exit(code=1)


@app.command()
def schema() -> None:
    """Print the JSON Schema of one document record (the file schema/record.schema.json)."""
    from dateline.models import record_json_schema

    sys.stdout.write(record_json_schema())


@app.command()
def prepare() -> None:
    """Build the local gazetteer store and check that the language model loads (run once)."""
    import time

    from dateline.pipeline import Pipeline

    started = time.perf_counter()
    pipeline = Pipeline(Settings())
    pipeline.gazetteer.lookup("London")
    pipeline.nlp("Check.")
    err.print(
        f"ready: gazetteer {pipeline.settings.gazetteer_file()}, model "
        f"{pipeline.settings.spacy_model} ({time.perf_counter() - started:.1f} s)"
    )


@app.command()
def serve(
    db: DbOpt = None,
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.", min=1, max=65535)] = 8000,
    token: Annotated[
        str | None,
        typer.Option(
            help="Token POST /documents requires; a random one is made when neither this "
            "nor DATELINE_API_TOKEN is set.",
            envvar="DATELINE_API_TOKEN",
        ),
    ] = None,
    allow_remote: Annotated[
        bool,
        typer.Option(help="Answer clients other than this machine (the default is loopback only)."),
    ] = False,
    allowed_host: Annotated[
        list[str] | None,
        typer.Option(help="Extra Host header name to accept (repeatable)."),
    ] = None,
    tiles_url: Annotated[
        str | None,
        typer.Option(help="Online map tiles URL template; offline country outlines otherwise."),
    ] = None,
) -> None:
    """Start the web app: the JSON API (/docs) and the page with map, timeline and articles."""
    import secrets

    import uvicorn

    from dateline.serve import ServeSettings, create_app
    from dateline.serve.app import vendor_missing

    overrides: dict[str, object] = {"api_token": token or secrets.token_urlsafe(24)}
    if db:
        overrides["db_url"] = db
    if allow_remote:
        overrides["allow_remote"] = True
    if allowed_host:
        overrides["allowed_hosts"] = allowed_host
    if tiles_url:
        overrides["tiles_url"] = tiles_url
    settings = ServeSettings(**overrides)  # type: ignore[arg-type]
    missing = vendor_missing()
    if missing:
        err.print(f"[yellow]page assets missing ({', '.join(missing)}): run make web[/yellow]")
    if host not in ("127.0.0.1", "localhost", "::1") and not allow_remote:
        err.print(f"listening on {host}, but only this machine is answered: add --allow-remote")
    web_app = create_app(settings)
    shown = f"[{host}]" if ":" in host else host
    secret = settings.api_token.get_secret_value() if settings.api_token else ""
    err.print(f"dateline on http://{shown}:{port}/ · API docs /docs · db {settings.db_url}")
    err.print(f"page with the write token: http://{shown}:{port}/#token={secret}", highlight=False)
    uvicorn.run(web_app, host=host, port=port, log_level="warning")


def _register_eval() -> None:
    from dateline.evaluate.command import eval_command

    app.command(name="eval")(eval_command)


_register_eval()


def main() -> None:
    """Entry point with logging set up for the terminal."""
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    app()
