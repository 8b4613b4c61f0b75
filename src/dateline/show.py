"""Rendering one stored article with its events, each field's source span marked."""

from __future__ import annotations

from rich.console import Console
from rich.rule import Rule
from rich.table import Table
from rich.text import Text

from dateline.models import DocumentRecord, Event, Span
from dateline.store.failures import Failure

_STYLES = {
    "trigger": "bold reverse",
    "actor1": "bold cyan",
    "actor2": "bold magenta",
    "location": "bold green",
    "date": "bold yellow",
    "fatalities": "bold red",
    "injuries": "red",
    "source": "italic blue",
}


def field_spans(event: Event) -> list[tuple[str, Span, str]]:
    """(field name, span, text) for every field of an event that came from the text."""
    spans: list[tuple[str, Span, str]] = []
    for mention in event.provenance.mentions or [event.provenance.trigger]:
        spans.append(("trigger", mention.span, mention.text))
    for name in ("actor1", "actor2", "location", "date", "fatalities", "injuries"):
        value = getattr(event, name)
        if value is not None and value.text:
            spans.append((name, value.span, value.text))
    if event.source.span is not None and event.source.text:
        spans.append(("source", event.source.span, event.source.text))
    for impact in event.impacts:
        spans.append(("impact", impact.span, impact.text))
    return spans


def render_record(record: DocumentRecord, console: Console) -> None:
    """Print the text with marked spans, then a table of events with their spans."""
    document = record.document
    console.print(Rule(document.title or document.id))
    console.print(
        f"id {document.id} · reference date {document.reference_date} "
        f"({document.reference_date_reason}) · {len(record.events)} events",
        highlight=False,
    )
    spans = [(name, span) for event in record.events for name, span, _ in field_spans(event)]
    if console.is_terminal:
        text = Text(document.text)
        for name, span in spans:
            text.stylize(_STYLES.get(name, "underline"), span.start, span.end)
        console.print(text)
    else:
        console.print(bracketed(document.text, spans), markup=False, highlight=False)
    legend = Text("legend: ")
    for name, style in _STYLES.items():
        legend.append(name, style=style)
        legend.append("  ")
    console.print(legend)
    for number, event in enumerate(record.events, start=1):
        table = Table(
            title=f"event {number}: {event.event_type}"
            + (f"/{event.mode}" if event.mode else "")
            + f" · {event.status} · confidence {event.confidence}",
            show_lines=False,
            title_justify="left",
        )
        table.add_column("field")
        table.add_column("value")
        table.add_column("span")
        table.add_column("text")
        for name, span, surface in field_spans(event):
            table.add_row(name, _value(event, name), f"{span.start}-{span.end}", surface)
        if event.acled_event_type:
            table.add_row(
                "acled", f"{event.acled_event_type} / {event.acled_sub_event_type}", "", ""
            )
        table.add_row("source", event.source.name, "", "")
        for quote in event.quotes:
            table.add_row(
                "quote", quote.speaker or "?", f"{quote.span.start}-{quote.span.end}", quote.text
            )
        console.print(table)
    for check in record.checks:
        console.print(f"[bold]check[/bold] {check.kind}: {check.message}", highlight=False)


def render_failures(failures: list[Failure], console: Console) -> None:
    """A table of failed documents: id, origin, stage, code, reason, attempts, status."""
    open_count = sum(1 for f in failures if f.is_open)
    table = Table(
        title=f"{len(failures)} failures, {open_count} open (retry with `dateline retry [ID...]`)",
        title_justify="left",
    )
    for column in ("id", "origin", "stage", "code", "reason", "attempts", "status"):
        table.add_column(column, overflow="fold")
    for f in failures:
        status = "open" if f.is_open else f"resolved -> {f.resolved_doc_id}"
        table.add_row(str(f.id), f.origin, f.stage, f.code, f.reason, str(f.attempts), status)
    console.print(table)


def bracketed(text: str, spans: list[tuple[str, Span]]) -> str:
    """Plain-text marking for pipes and files: ``[span text]{field}``, outermost spans only."""
    chosen: list[tuple[str, Span]] = []
    for name, span in sorted(spans, key=lambda s: (s[1].start, -(s[1].end - s[1].start))):
        disjoint = all(span.start >= c.end or span.end <= c.start for _, c in chosen)
        if span.end > span.start and disjoint:
            chosen.append((name, span))
    parts: list[str] = []
    cursor = 0
    for name, span in sorted(chosen, key=lambda s: s[1].start):
        parts.append(text[cursor : span.start])
        parts.append(f"[{text[span.start : span.end]}]{{{name}}}")
        cursor = span.end
    parts.append(text[cursor:])
    return "".join(parts)


def _value(event: Event, name: str) -> str:
    if name in ("actor1", "actor2"):
        actor = getattr(event, name)
        return f"{actor.name} ({actor.country or '-'}, {actor.kind})"
    if name == "location" and event.location is not None:
        loc = event.location
        return f"{loc.name} {loc.lat},{loc.lon} ({loc.geo_precision})"
    if name == "date":
        return f"{event.date.start}..{event.date.end} ({event.date.precision})"
    if name in ("fatalities", "injuries"):
        count = getattr(event, name)
        return f"low {count.low} best {count.best} high {count.high} {','.join(count.victims)}"
    return ""
