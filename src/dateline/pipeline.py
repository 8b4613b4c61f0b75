"""The pipeline: ingest -> document -> nlp -> extract -> resolve -> link -> records.

``Pipeline`` loads the spaCy model and the gazetteer once and reuses them for every
document; ``pipe`` batches documents through ``nlp.pipe`` and turns a document that fails
into a ``Rejected`` value so the rest of the batch goes on.
"""

from __future__ import annotations

import functools
import hashlib
import logging
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from dateline.checks import direction_checks
from dateline.document import build_document
from dateline.errors import DatelineError, ProcessingError, TimeLimitError
from dateline.extract.doccache import doc_text, span_text
from dateline.extract.events import EventMention, TriggerMatcher, extract_mentions
from dateline.extract.impacts import attach_orphan_impacts
from dateline.extract.ontology import ActorDictionary, actor_dictionary
from dateline.extract.places import PlaceCandidate, place_candidates
from dateline.extract.status import find_quotes
from dateline.link.merge import merge_events
from dateline.models import (
    Check,
    Count,
    DatePrecision,
    Document,
    DocumentRecord,
    Event,
    Location,
    Place,
    Provenance,
    RawDocument,
    Rejected,
    Span,
    When,
)
from dateline.resolve.actor_places import (
    home_of,
    place_actor,
    place_associated,
    resolved_in_order,
)
from dateline.resolve.dates import DateExpression, Prefer, find_date_expressions, resolve_date
from dateline.resolve.gazetteer import Gazetteer, open_gazetteer
from dateline.resolve.places import PlaceMention, resolve_places, sub_place
from dateline.settings import Settings
from dateline.timelimit import time_limit

log = logging.getLogger(__name__)

# Cities above these populations feed the entity ruler (countries, states and the project's
# places always do); smaller places are found by the model's NER and by cue words ("X town"),
# then looked up in the gazetteer. One-word names need a larger town, or a preposition
# before them: "March", "Sanford" and "Clinton" are more often a month or a person
# (thresholds checked on the lgl set).
RULER_MIN_POPULATION = 15_000
RULER_ONE_WORD_MIN_POPULATION = 100_000
_PRECISION_RANK = {"point": 0, "town": 1, "admin1": 2, "country": 3}


class Pipeline:
    """Loads the models once and turns raw documents into records."""

    def __init__(
        self,
        settings: Settings | None = None,
        *,
        gazetteer: Gazetteer | None = None,
        nlp: Any = None,
    ) -> None:
        self.settings = settings or Settings()
        self._gazetteer = gazetteer
        self._nlp = nlp
        self._matcher: TriggerMatcher | None = None
        self.dictionary: ActorDictionary = actor_dictionary()

    @property
    def gazetteer(self) -> Gazetteer:
        """The gazetteer, opened (and built on first use) when first needed."""
        if self._gazetteer is None:
            self._gazetteer = open_gazetteer(self.settings)
        return self._gazetteer

    @property
    def nlp(self) -> Any:
        """The spaCy pipeline with the gazetteer-fed entity ruler, loaded once."""
        if self._nlp is None:
            from dateline.nlp import load_nlp

            place_names, cued_place_names = _ruler_place_names(self.gazetteer)
            self._nlp = load_nlp(
                self.settings.spacy_model,
                place_names=place_names,
                cued_place_names=cued_place_names,
                organisation_names=[name for name in self.dictionary.named if name[:1].isalpha()]
                + sorted({e.name for e in self.dictionary.named.values()}),
            )
        return self._nlp

    @property
    def matcher(self) -> TriggerMatcher:
        """The trigger matcher over the ontology table, built once per pipeline."""
        if self._matcher is None:
            self._matcher = TriggerMatcher()
        return self._matcher

    def load(self) -> Pipeline:
        """Load the gazetteer, the model and the trigger table now, not with the first document."""
        self.nlp  # noqa: B018
        self.matcher  # noqa: B018
        return self

    def process(self, raw: RawDocument) -> DocumentRecord:
        """Extract one document; raises a DatelineError subclass on bad input or overtime."""
        from dateline.ingest import prepare

        self.load()  # the model is loaded before the clock starts
        with time_limit(self.settings.time_limit, origin=raw.origin):
            raw = prepare(raw, self.settings)
            document, checks = build_document(raw, reference_override=self.settings.reference_date)
            return self._assemble(document, checks, self.nlp(document.text))

    def pipe(self, raws: Iterable[RawDocument]) -> Iterator[DocumentRecord | Rejected]:
        """Extract many documents in batches; a bad document becomes a Rejected, the rest go on."""
        from dateline.ingest import prepare

        batch: list[tuple[Document, list[Check]] | Rejected] = []
        for raw in raws:
            try:
                with time_limit(self.settings.time_limit, origin=raw.origin):
                    raw = prepare(raw, self.settings)
                    batch.append(
                        build_document(raw, reference_override=self.settings.reference_date)
                    )
            except DatelineError as exc:
                batch.append(_rejected(exc, raw.origin, stage="document"))
            except Exception as exc:
                batch.append(_unexpected(exc, raw.origin, stage="document"))
            if len(batch) >= self.settings.batch_size:
                yield from self._run_batch(batch)
                batch = []
        if batch:
            yield from self._run_batch(batch)

    def _run_batch(
        self, batch: Sequence[tuple[Document, list[Check]] | Rejected]
    ) -> Iterator[DocumentRecord | Rejected]:
        ready = [item for item in batch if not isinstance(item, Rejected)]
        limit = self.settings.time_limit
        docs: list[Any] | None = None
        overran: TimeLimitError | None = None
        nlp = self.load().nlp  # loading the model is not charged to any document
        try:
            # The whole batch gets the sum of its documents' limits; if it overruns (or one
            # document breaks the parser), each is parsed again alone under its own limit.
            with time_limit(limit * len(ready), origin="batch"):
                docs = list(nlp.pipe([document.text for document, _ in ready]))
        except TimeLimitError as exc:
            overran = exc if len(ready) == 1 else None  # alone: no second try
            log.info("batch parse overran; parsing its %d documents one by one", len(ready))
        except Exception:
            log.info("batch parse failed; parsing its %d documents one by one", len(ready))
        parsed = iter(docs) if docs is not None else None
        for item in batch:
            if isinstance(item, Rejected):
                yield item
                continue
            document, checks = item
            origin = document.origin or document.id
            try:
                if overran is not None:
                    raise TimeLimitError(overran.message, origin=origin)
                with time_limit(limit, origin=origin):
                    doc = next(parsed) if parsed is not None else nlp(document.text)
                    record = self._assemble(document, checks, doc)
            except DatelineError as exc:
                yield _rejected(exc, origin, stage="extract")
            except Exception as exc:
                yield _unexpected(exc, origin, stage="extract")
            else:
                yield record

    def _assemble(self, document: Document, checks: list[Check], doc: Any) -> DocumentRecord:
        _cache_sentences(doc)
        mentions = extract_mentions(doc, self.matcher, self.dictionary)
        places = self._resolve_places(doc, mentions)
        quotes = find_quotes(doc)
        date_line_spans = [d.span for d in document.dates_found]
        events = [
            self._event(document, mention, index, places, date_line_spans)
            for index, mention in enumerate(mentions)
        ]
        for event in events:
            event.quotes = [
                q
                for q in quotes
                if event.provenance.start <= q.span.start < event.provenance.end
                or q.span.start <= event.provenance.start < q.span.end
            ]
        attach_orphan_impacts(doc, events, self.dictionary)
        merged = [_dated_from_its_start(event, doc, document) for event in merge_events(events)]
        ordered_places = sorted(places.values(), key=lambda p: p.span.start)
        return DocumentRecord(
            document=document,
            events=merged,
            places=ordered_places,
            checks=[*checks, *direction_checks(document.text, ordered_places)],
        )

    def _resolve_places(
        self, doc: Any, mentions: Sequence[EventMention]
    ) -> dict[tuple[int, int], Place]:
        """Resolve every place mention in the document at once, so they disambiguate each other."""
        candidates: dict[tuple[int, int], PlaceCandidate] = {}
        for sent in doc.sents:
            for candidate in place_candidates(sent, ()):
                candidates[(candidate.start, candidate.end)] = candidate
        for mention in mentions:
            for candidate in mention.places:
                candidates[(candidate.start, candidate.end)] = candidate
        for candidate in list(candidates.values()):
            if candidate.host_start is not None and candidate.host_end is not None:
                host = (candidate.host_start, candidate.host_end)
                text = doc_text(doc)[host[0] : host[1]]
                candidates.setdefault(host, PlaceCandidate(text, host[0], host[1], "host"))
        ordered = sorted(candidates.values(), key=lambda c: (c.start, c.end))
        hints = sorted(
            {
                actor.country
                for mention in mentions
                for actor in (mention.actor1, mention.actor2)
                if actor is not None and actor.country
            }
        )
        resolved = resolve_places(
            [PlaceMention(c.text, c.start, c.end, c.label) for c in ordered],
            self.gazetteer,
            country_hints=hints,
        )
        places = {
            (c.start, c.end): place
            for c, place in zip(ordered, resolved, strict=True)
            if place is not None
        }
        for candidate in ordered:
            key = (candidate.start, candidate.end)
            if candidate.label == "host":
                places.pop(key, None)  # listed through its sub-place only
            elif key not in places and candidate.host_start is not None:
                host_place = places.get((candidate.host_start, candidate.host_end or 0))
                if host_place is not None:
                    places[key] = sub_place(candidate.text, candidate.start, host_place)
        return places

    def _event(
        self,
        document: Document,
        mention: EventMention,
        index: int,
        places: dict[tuple[int, int], Place],
        date_line_spans: Sequence[Span],
    ) -> Event:
        location = _event_location(mention, places)
        ordered = resolved_in_order(places)
        actor1, actor2 = (
            place_actor(a, ordered, self.dictionary, is_capital=self._is_capital, location=location)
            for a in (mention.actor1, mention.actor2)
        )
        associated = place_associated(
            mention.associated, ordered, self.dictionary, is_capital=self._is_capital
        )
        if location is None:
            # "warned Bree", "Bree residents demanded ...": the people's town is the place.
            home = home_of(actor2, ordered) or home_of(actor1, ordered)
            location = Location.model_validate(home.model_dump()) if home is not None else None
        date, historical, duration = _event_date(mention, document, date_line_spans)
        status = mention.status
        if historical:
            status = "historical"
        elif duration and status == "occurred":
            status = "ongoing"
        rule = mention.rule
        first = mention.triggers[0]
        event_id = hashlib.sha256(
            f"{document.id}:{rule.event_type}:{first.span.start}".encode()
        ).hexdigest()[:16]
        return Event(
            id=event_id,
            doc_id=document.id,
            event_type=rule.event_type,
            mode=rule.mode,
            acled_event_type=rule.acled_event_type,
            acled_sub_event_type=rule.acled_sub_event_type,
            actor1=actor1,
            actor2=actor2,
            associated_actors=associated,
            location=location,
            date=date,
            fatalities=_count(mention.fatalities),
            injuries=_count(mention.injuries),
            impacts=mention.impacts,
            status=status,
            source=mention.source,
            provenance=Provenance(
                sentence=mention.sentence_text,
                start=mention.sentence.start,
                end=mention.sentence.end,
                trigger=first,
                mentions=list(mention.triggers),
            ),
            confidence=_confidence(mention, location, date),
        )

    def _is_capital(self, place: Place) -> bool:
        """Whether a resolved place is a national capital (in the gazetteer's words)."""
        return any(
            entry.geonameid == place.geonameid and entry.feature == "capital"
            for entry in self.gazetteer.lookup(place.name or place.text)
        )


def _ruler_place_names(gazetteer: Gazetteer) -> tuple[list[str], list[str]]:
    """Gazetteer names for the entity ruler: names that always count (countries, states, large
    towns, several-word names) and one-word names of smaller towns that need a cue before them."""
    large = set(gazetteer.ruler_names(min_population=RULER_ONE_WORD_MIN_POPULATION))
    several = gazetteer.ruler_names(min_population=RULER_MIN_POPULATION)
    always = sorted(large.union(n for n in several if " " in n.strip()))
    cued = [n for n in several if " " not in n.strip() and n not in large]
    return always, cued


class _Sentences:
    """A ``Doc.sents`` hook returning sentences found once: extractors ask for them per
    mention, and spaCy walks every token of the document each time."""

    def __init__(self, sentences: tuple[Any, ...]) -> None:
        self.sentences = sentences

    def __call__(self, doc: Any) -> Iterator[Any]:
        return iter(self.sentences)


def _cache_sentences(doc: Any) -> None:
    if "sents" not in doc.user_hooks:
        doc.user_hooks["sents"] = _Sentences(tuple(doc.sents))


def _count(found: Any) -> Count | None:
    if found is None:
        return None
    return Count(
        text=found.text,
        span=Span(start=found.start, end=found.end),
        low=found.low,
        best=found.best,
        high=found.high,
        victims=found.victims,
        cumulative=found.cumulative,
    )


def _event_location(mention: EventMention, places: dict[tuple[int, int], Place]) -> Location | None:
    """Where the event happened: the finest resolved place of its sentence that is not an
    actor ("mediated by Egypt", "Israel claims"); a place after "in/near/at" wins a tie."""
    ranked: list[tuple[int, int, int, Place]] = []
    for candidate in mention.places:
        place = places.get((candidate.start, candidate.end))
        if place is None or candidate.relation in ("agent", "subject"):
            continue
        precision = _PRECISION_RANK.get(place.geo_precision or "country", 4)
        ranked.append((precision, int(candidate.relation != "locative"), candidate.start, place))
    if not ranked:
        return None
    best = min(ranked, key=lambda r: r[:3])[3]
    return Location.model_validate(best.model_dump())


@functools.lru_cache(maxsize=4096)
def _date_expressions(sentence: str) -> tuple[DateExpression, ...]:
    """A sentence's date expressions, found once for all the events it states."""
    return tuple(find_date_expressions(sentence))


def _event_date(
    mention: EventMention, document: Document, date_line_spans: Sequence[Span]
) -> tuple[When, bool, int | None]:
    """The date expression nearest the trigger that resolves; else the reference date.

    The event's tense picks the occurrence a bare name means: an event that happened took
    place on or before the reference date, an expected one on or after it."""
    base = mention.sentence.start
    prefer: Prefer = "future" if mention.status in ("expected", "threatened") else "past"
    trigger = mention.triggers[0].span.start
    expressions = sorted(
        _date_expressions(mention.sentence_text),
        key=lambda e: min(abs(base + e.start - trigger), abs(base + e.end - trigger)),
    )
    for expr in expressions:
        start, end = base + expr.start, base + expr.end
        if any(s.start <= start < s.end for s in date_line_spans):
            continue
        if any(s.start <= start and end <= s.end for s in mention.foreign):
            continue  # "... property seized in the 1970s": another event's date
        resolved = resolve_date(expr.text, document.reference_date, prefer=prefer)
        if resolved is None:
            continue
        when = When(
            text=expr.text,
            span=Span(start=start, end=end),
            start=resolved.start,
            end=resolved.end,
            precision=resolved.precision,
        )
        return when, resolved.historical, resolved.duration_years
    reference = document.reference_date
    return (
        When(
            text="",
            span=Span(start=mention.sentence.start, end=mention.sentence.start),
            start=reference,
            end=reference,
            precision="reported",
        ),
        False,
        None,
    )


# "The offensive began early Tuesday", "fighting broke out on Friday": the verb says when the
# thing named by its subject started; "Israel launched the offensive on Tuesday", by its object.
_STARTED_BY_SUBJECT = frozenset({"begin", "start", "erupt", "commence", "break"})
_STARTED_BY_OBJECT = frozenset({"begin", "start", "launch", "open"})


def _dated_from_its_start(event: Event, doc: Any, document: Document) -> Event:
    """An ongoing event the text gives no date for runs from when the text says it began.

    "Skirmishes are underway" has no date of its own; "The offensive began early Tuesday"
    dates the offensive it belongs to: the event then spans that date to the reference date.
    The sentence's date expression becomes the event's date span."""
    if event.status != "ongoing" or event.date.precision != "reported":
        return event
    named = {
        token.lemma_.lower()
        for spanned in [event.provenance.trigger, *event.provenance.mentions]
        if (found := doc.char_span(spanned.span.start, spanned.span.end, alignment_mode="expand"))
        is not None
        for token in found
        if token.pos_ in ("NOUN", "PROPN")
    }
    if not named:
        return event
    for token in doc:
        lemma = token.lemma_.lower()
        if token.pos_ != "VERB" or lemma not in _STARTED_BY_SUBJECT | _STARTED_BY_OBJECT:
            continue
        roles = {"nsubj"} if lemma in _STARTED_BY_SUBJECT else set()
        if lemma in _STARTED_BY_OBJECT:
            roles |= {"dobj", "nsubjpass"}
        if not any(c.dep_ in roles and c.lemma_.lower() in named for c in token.children):
            continue
        if lemma == "break" and not any(c.lower_ == "out" for c in token.children):
            continue
        sent = token.sent
        base = sent.start_char
        for expr in _date_expressions(span_text(sent)):
            resolved = resolve_date(expr.text, document.reference_date, prefer="past")
            if resolved is None or resolved.historical or resolved.start > document.reference_date:
                continue
            start, end = resolved.start, document.reference_date
            days = (end - start).days
            precision: DatePrecision = "day" if days == 0 else "week" if days <= 7 else "month"
            when = When(
                text=expr.text,
                span=Span(start=base + expr.start, end=base + expr.end),
                start=start,
                end=end,
                precision=precision if days <= 31 else "year",
            )
            return event.model_copy(update={"date": when})
    return event


def _confidence(mention: EventMention, location: Location | None, date: When) -> float:
    """Evidence-weighted: trigger strength, roles found, place and date resolved, clause depth.

    Weights set by hand and checked as a set on plover-gsr, petrarch-unit and case2021 (the
    event with the highest score is the one ``dateline eval`` scores)."""
    score = 0.45 * mention.strength
    score += 0.15 if mention.actor1 is not None else 0.0
    score += 0.1 if mention.actor2 is not None else 0.0
    score += 0.15 if location is not None else 0.0
    score += 0.1 if date.precision != "reported" else 0.0
    score += 0.05 if len(mention.triggers) > 1 else 0.0
    # A trigger deep in a subordinate clause is background, not the news the sentence reports.
    score -= 0.06 * min(mention.depth, 4)
    # An event told as another's cause or occasion ("following the shootings") is background.
    score -= 0.2 if mention.background else 0.0
    # What may happen, or what only one side claims, is weaker evidence than a reported fact.
    score -= 0.1 if mention.status in ("expected", "threatened") else 0.0
    score -= 0.05 if mention.source.name != "reporter" else 0.0
    return round(min(max(score, 0.0), 1.0), 3)


def _rejected(exc: DatelineError, origin: str, *, stage: str) -> Rejected:
    return Rejected(origin=exc.origin or origin, stage=stage, code=exc.code, reason=exc.message)


def _unexpected(exc: Exception, origin: str, *, stage: str) -> Rejected:
    """A bug met on one document: logged with its traceback, stored as a failure, batch goes on."""
    log.exception("unexpected error on %s during %s", origin, stage)
    error = ProcessingError(
        f"unexpected {type(exc).__name__}: {exc}; please report it (the document can be "
        "retried with `dateline retry` once fixed)",
        origin=origin,
    )
    return _rejected(error, origin, stage=stage)


@functools.lru_cache(maxsize=1)
def default_pipeline() -> Pipeline:
    """A process-wide pipeline with default settings, for ``dateline.extract``."""
    return Pipeline(Settings())
