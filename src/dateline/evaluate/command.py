"""The ``dateline eval`` command: run, print per-set tables, write the report, gate on floors."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from dateline.evaluate.gold import load_set, sample
from dateline.evaluate.score import SetReport, score_items, score_timexes

# Metrics where lower is better; every other metric is a share where higher is better.
LOWER_IS_BETTER = frozenset({"errors", "geo_median_km", "event_geo_median_km"})


def run_eval(paths: list[Path], *, sample_size: int | None, console: Console) -> list[SetReport]:
    """Score each gold set; one pipeline (model load) for all of them."""
    from dateline.pipeline import Pipeline

    pipeline = Pipeline()
    reports: list[SetReport] = []
    with Progress(
        TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
        console=console, disable=not console.is_terminal,
    ) as progress:  # fmt: skip
        for path in paths:
            gold = sample(load_set(path), sample_size)
            task = progress.add_task(gold.name, total=len(gold))

            def tick(task_id: Any = task) -> None:
                progress.advance(task_id)

            if gold.kind == "timex":
                reports.append(score_timexes(gold, on_item=tick))
            else:
                reports.append(score_items(gold, pipeline, on_item=tick))
    return reports


def markdown_table(reports: list[SetReport]) -> str:
    """One markdown table: set, metric, value, items scored."""
    lines = ["| set | metric | value | n |", "|---|---|---:|---:|"]
    for report in reports:
        for name, data in report.as_dict()["metrics"].items():
            lines.append(f"| {report.name} | {name} | {data['value']} | {data['n']} |")
    return "\n".join(lines) + "\n"


def gate(reports: list[SetReport], baseline: dict[str, dict[str, float]]) -> list[str]:
    """Every metric below its floor (or above its ceiling for lower-is-better metrics)."""
    failures: list[str] = []
    for report in reports:
        floors = baseline.get(report.name, {})
        metrics = report.as_dict()["metrics"]
        for name, floor in sorted(floors.items()):
            value = metrics.get(name, {}).get("value")
            if value is None:
                failures.append(f"{report.name}.{name}: not measured (floor {floor})")
            elif name in LOWER_IS_BETTER and value > floor:
                failures.append(f"{report.name}.{name}: {value} is above its ceiling {floor}")
            elif name not in LOWER_IS_BETTER and value < floor:
                failures.append(f"{report.name}.{name}: {value} is below its floor {floor}")
    return failures


def eval_command(
    paths: Annotated[
        list[Path],
        typer.Argument(
            help="Gold set folders (with items.jsonl or timexes.jsonl) or .jsonl files."
        ),
    ],
    report: Annotated[
        Path | None,
        typer.Option(help="Write the full JSON report (metrics, confusion tables, every item)."),
    ] = None,
    markdown: Annotated[
        bool, typer.Option("--markdown", help="Also print a markdown table.")
    ] = False,
    sample_size: Annotated[
        int | None,
        typer.Option("--sample", help="Score N items per set, the same N every run (by id hash)."),
    ] = None,
    baseline: Annotated[
        Path | None, typer.Option(help="Baseline file with floors per set and metric.")
    ] = None,
    fail_below: Annotated[
        bool, typer.Option("--gate", help="Exit 1 when a metric falls below its baseline floor.")
    ] = False,
) -> None:
    """Score extraction on gold sets: detection, types, geocoding, dates, fatalities, actors."""
    console = Console()
    missing = [p for p in paths if not p.exists()]
    if missing:
        raise typer.BadParameter(f"no such set: {', '.join(map(str, missing))}", param_hint="PATHS")
    paths = sorted(p for p in paths if p.is_dir() or p.suffix == ".jsonl")
    reports = run_eval(paths, sample_size=sample_size, console=console)
    for set_report in reports:
        table = Table(title=f"{set_report.name} ({set_report.size} items)", title_justify="left")
        for column in ("metric", "value", "n"):
            table.add_column(column, justify="left" if column == "metric" else "right")
        for name, data in set_report.as_dict()["metrics"].items():
            table.add_row(name, str(data["value"]), str(data["n"]))
        console.print(table)
        for error in set_report.errors[:5]:
            console.print(
                f"  error {error['id']}: {error['reason']} [{error['code']}]", highlight=False
            )
    if markdown:
        console.print(markdown_table(reports), markup=False, highlight=False)
    if report is not None:
        report.parent.mkdir(parents=True, exist_ok=True)
        data = {"sample": sample_size, "sets": [r.as_dict() for r in reports]}
        report.write_text(
            json.dumps(data, indent=1, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8"
        )
    if fail_below:
        if baseline is None:
            raise typer.BadParameter("--gate needs --baseline FILE", param_hint="--gate")
        floors = json.loads(baseline.read_text(encoding="utf-8"))["floors"]
        failures = gate(reports, floors)
        for failure in failures:
            console.print(f"[red]below baseline[/red] {failure}", highlight=False)
        if failures:
            raise typer.Exit(code=1)
        console.print(f"evaluation gate passed ({sum(len(f) for f in floors.values())} floors)")
