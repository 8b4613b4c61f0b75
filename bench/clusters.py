"""Benchmark and measurement of cross-document linking. Writes bench/clusters-results.json.

    .venv/bin/python bench/clusters.py [--events 100000] [--labelled eval/clusters/items.jsonl]

synthetic: events generated here (not through the NLP pipeline) from known happenings, each
told by 1-8 reports with noisy dates, places, actor names, tolls and wording, some of them wire
copies; measures pairs compared per event, clustering time, consensus time and pairwise
precision/recall against the generator's truth.
labelled: the written articles of eval/clusters run through the full pipeline and stored (so
clusters are built incrementally, article by article); pairwise precision/recall of linking
over the extracted events aligned to the gold happenings.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import itertools
import json
import random
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from dateline.link.clusters import Clusterer, LinkEvent
from dateline.link.consensus import SourceInfo, build_cluster
from dateline.models import (
    Actor,
    Count,
    Event,
    Location,
    Provenance,
    Span,
    Spanned,
    When,
)

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
# Conflict regions: (lat, lon, country, actors as (name, variant, country)).
REGIONS = [
    (
        31.4,
        34.4,
        "PSE",
        [("Israel Defense Forces", "Israeli army", "ISR"), ("Hamas", "Hamas militants", "PSE")],
    ),
    (
        48.5,
        36.0,
        "UKR",
        [
            ("Russian Armed Forces", "Russian troops", "RUS"),
            ("Ukrainian Armed Forces", "Ukrainian army", "UKR"),
        ],
    ),
    (
        15.5,
        32.5,
        "SDN",
        [
            ("Rapid Support Forces", "RSF fighters", "SDN"),
            ("Sudanese Armed Forces", "Sudan army", "SDN"),
        ],
    ),
    (
        14.5,
        -4.0,
        "MLI",
        [
            ("JNIM", "al-Qaeda-linked militants", None),
            ("Malian Armed Forces", "Malian soldiers", "MLI"),
        ],
    ),
    (
        21.0,
        96.0,
        "MMR",
        [("Myanmar Armed Forces", "junta troops", "MMR"), ("Arakan Army", "AA rebels", "MMR")],
    ),
    (
        33.5,
        44.4,
        "IRQ",
        [("Islamic State", "IS militants", None), ("Iraqi Security Forces", "Iraqi police", "IRQ")],
    ),
    (
        2.0,
        45.3,
        "SOM",
        [
            ("Al-Shabaab", "Shabaab fighters", "SOM"),
            ("Somali National Army", "Somali troops", "SOM"),
        ],
    ),
    (
        -1.7,
        29.2,
        "COD",
        [("M23", "M23 rebels", "COD"), ("Armed Forces of the DRC", "FARDC soldiers", "COD")],
    ),
    (
        34.5,
        69.2,
        "AFG",
        [("Taliban", "Taliban fighters", "AFG"), ("ISKP", "Islamic State Khorasan", None)],
    ),
    (
        12.0,
        8.5,
        "NGA",
        [
            ("Boko Haram", "Boko Haram insurgents", "NGA"),
            ("Nigerian Army", "Nigerian troops", "NGA"),
        ],
    ),
    (
        36.2,
        37.1,
        "SYR",
        [("Syrian Arab Army", "government forces", "SYR"), ("HTS", "Hayat Tahrir al-Sham", "SYR")],
    ),
    (
        15.4,
        44.2,
        "YEM",
        [("Houthis", "Ansar Allah", "YEM"), ("Saudi-led coalition", "coalition aircraft", "SAU")],
    ),
]
TYPES = [
    ("ASSAULT", 0.62),
    ("PROTEST", 0.14),
    ("COERCE", 0.1),
    ("MOBILIZE", 0.06),
    ("REQUEST", 0.08),
]
MODES = {"ASSAULT": ["aerial", "shelling", "firearms", "explosive"], "COERCE": ["arrest", "seize"]}
VERBS = {
    "ASSAULT": ["attacked", "struck", "hit", "bombed", "shelled", "raided"],
    "PROTEST": ["protested", "rallied", "marched", "demonstrated"],
    "COERCE": ["arrested", "detained", "seized", "rounded up"],
    "MOBILIZE": ["deployed", "massed", "sent reinforcements"],
    "REQUEST": ["demanded", "urged", "called on", "appealed"],
}
TARGETS = [
    "market",
    "school",
    "hospital",
    "checkpoint",
    "convoy",
    "mosque",
    "camp",
    "bridge",
    "village",
    "port",
    "depot",
    "station",
    "bus",
    "farm",
    "plant",
    "church",
    "shelter",
    "barracks",
    "airfield",
    "reservoir",
    "bakery",
    "clinic",
]
FILLER = [
    "residents",
    "witnesses",
    "officials",
    "medics",
    "fire",
    "smoke",
    "damage",
    "wounded",
    "rubble",
    "night",
    "local",
    "authorities",
    "governor",
    "footage",
    "army",
    "statement",
    "ministry",
    "agency",
    "rescue",
    "crews",
    "area",
    "district",
]
SAYERS = ["officials said", "medics said", "the governor said", "witnesses reported", "police said"]


def _towns(rng: random.Random) -> list[tuple[int, float, float, str, str, int]]:
    towns = []
    for r, (lat, lon, country, _) in enumerate(REGIONS):
        for t in range(250):
            spread = rng.gauss(0, 1.2), rng.gauss(0, 1.2)
            towns.append((r, lat + spread[0], lon + spread[1], country, f"{r:02d}", r * 1000 + t))
    return towns


def _sentence(
    rng: random.Random, actor: str, verb: str, target: str, town: str, extra: list[str]
) -> str:
    words = rng.sample(FILLER, 4)
    return (
        f"{actor} {verb} a {target} in Town{town} {rng.choice(['on', 'late on', 'early on'])} "
        f"the day, {' '.join(extra)} {' '.join(words)}, {rng.choice(SAYERS)}."
    )


def _span(text: str, needle: str) -> Span:
    start = max(0, text.find(needle))
    return Span(start=start, end=start + len(needle))


def generate(n_events: int, seed: int = 7) -> tuple[list[tuple[Event, SourceInfo]], dict[str, int]]:
    """``n_events`` reports of known happenings; returns (event, source) pairs and the truth."""
    rng = random.Random(seed)
    towns = _towns(rng)
    weights = [w for _, w in TYPES]
    start = dt.date(2024, 1, 1)
    pairs: list[tuple[Event, SourceInfo]] = []
    truth: dict[str, int] = {}
    happening = 0
    while len(pairs) < n_events:
        happening += 1
        event_type = rng.choices([t for t, _ in TYPES], weights)[0]
        region, lat, lon, country, admin1, geonameid = rng.choice(towns)
        actors = REGIONS[region][3]
        actor = rng.choice(actors)
        mode = rng.choice(MODES[event_type]) if event_type in MODES else None
        day = start + dt.timedelta(days=rng.randrange(366))
        deaths = int(rng.expovariate(1 / 8)) if event_type == "ASSAULT" else None
        target = rng.choice(TARGETS)
        extra = rng.sample(FILLER, 3)
        reports = min(8, 1 + int(rng.expovariate(1 / 1.6)))
        wire_text: str | None = None
        wire_group = ""
        for k in range(reports):
            if len(pairs) >= n_events:
                break
            doc_id = hashlib.sha256(f"{happening}:{k}".encode()).hexdigest()[:16]
            copy = wire_text is not None and rng.random() < 0.25
            name = actor[1] if rng.random() < 0.3 else actor[0]
            place = (lat, lon, geonameid, "town")
            roll = rng.random()
            if roll < 0.1:
                place = (
                    lat + rng.uniform(-0.1, 0.1),
                    lon + rng.uniform(-0.1, 0.1),
                    geonameid + 500,
                    "town",
                )
            elif roll < 0.18:
                place = (None, None, None, "admin1")
            precision = "day" if rng.random() < 0.7 else "reported"
            when = day if precision == "day" else day + dt.timedelta(days=rng.randrange(2))
            toll = deaths
            if toll is not None and rng.random() < 0.25:
                toll = max(0, toll + rng.randint(-3, 6))
            text = (
                wire_text
                if copy and wire_text
                else _sentence(
                    rng, name, rng.choice(VERBS[event_type]), target, str(geonameid), extra
                )
            )
            if wire_text is None:
                wire_text, wire_group = text, doc_id
            event = Event(
                id=hashlib.sha256(f"e:{doc_id}".encode()).hexdigest()[:16],
                doc_id=doc_id,
                event_type=event_type,  # type: ignore[arg-type]
                mode=mode,
                actor1=Actor(text=name, span=_span(text, name), name=name, country=actor[2]),
                location=Location(
                    text="Town",
                    span=_span(text, "Town"),
                    name=f"Town{place[2]}",
                    lat=place[0],
                    lon=place[1],
                    country=country,
                    admin1=admin1,
                    geonameid=place[2],
                    geo_precision=place[3],  # type: ignore[arg-type]
                ),
                date=When(
                    text="on the day",
                    span=Span(start=0, end=1),
                    start=when,
                    end=when,
                    precision=precision,
                ),  # type: ignore[arg-type]
                fatalities=Count(
                    text=str(toll), span=Span(start=0, end=1), low=toll, best=toll, high=toll
                )
                if toll is not None
                else None,
                provenance=Provenance(
                    sentence=text,
                    start=0,
                    end=len(text),
                    trigger=Spanned(text="x", span=Span(start=0, end=1)),
                ),
                confidence=0.7,
            )
            info = SourceInfo(
                doc_id=doc_id,
                wire_group=wire_group if copy else doc_id,
                reference_date=when + dt.timedelta(days=1),
            )
            pairs.append((event, info))
            truth[event.id] = happening
    return pairs, truth


def pairwise(
    clusters: dict[str, list[str]], truth: dict[str, Any], docs: dict[str, str]
) -> dict[str, float]:
    """Pairwise precision and recall over event pairs from different documents."""
    predicted = {e: c for c, ids in clusters.items() for e in ids if e in truth}
    tp = fp = fn = 0
    by_truth: dict[Any, list[str]] = defaultdict(list)
    for event_id, label in truth.items():
        by_truth[label].append(event_id)
    for ids in clusters.values():
        scored = [e for e in ids if e in truth]
        for a, b in itertools.combinations(scored, 2):
            if docs[a] == docs[b]:
                continue
            if truth[a] == truth[b]:
                tp += 1
            else:
                fp += 1
    for ids in by_truth.values():
        for a, b in itertools.combinations(ids, 2):
            if docs[a] != docs[b] and predicted.get(a) != predicted.get(b):
                fn += 1
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "pairs_true_positive": tp,
        "pairs_false_positive": fp,
        "pairs_false_negative": fn,
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "f1": round(f1, 4),
    }


def synthetic(n_events: int) -> dict[str, Any]:
    """Cluster ``n_events`` generated events in memory: time, comparisons, pairwise P/R."""
    started = time.perf_counter()
    pairs, truth = generate(n_events)
    generated = time.perf_counter() - started
    started = time.perf_counter()
    linked = [LinkEvent.from_event(e) for e, _ in pairs]
    converted = time.perf_counter() - started
    clusterer = Clusterer()
    started = time.perf_counter()
    clusterer.add_all(linked)
    clustered = time.perf_counter() - started
    members = clusterer.clusters()
    by_id = {e.id: (e, info) for e, info in pairs}
    started = time.perf_counter()
    records = [build_cluster(c, [by_id[i] for i in ids]) for c, ids in members.items()]
    consensus = time.perf_counter() - started
    docs = {e.id: e.doc_id for e, _ in pairs}
    quality = pairwise(members, truth, docs)
    return {
        "events": len(pairs),
        "happenings": len(set(truth.values())),
        "clusters": len(members),
        "multi_source_clusters": sum(1 for r in records if r.source_count > 1),
        "pairs_compared": clusterer.compared,
        "pairs_compared_per_event": round(clusterer.compared / len(pairs), 2),
        "all_pairs_per_event": round((len(pairs) - 1) / 2, 1),
        "seconds_generate": round(generated, 2),
        "seconds_to_link_events": round(converted, 2),
        "seconds_cluster": round(clustered, 2),
        "seconds_consensus": round(consensus, 2),
        "events_per_s": round(len(pairs) / clustered),
        **quality,
    }


def store_overhead(n_docs: int) -> dict[str, Any]:
    """Per-document cost of ``Store.add`` (SQLite) with incremental clustering and without it
    (``ingest --no-cluster``: the link data is still stored)."""
    from dateline.models import Document, DocumentRecord
    from dateline.store import Store

    pairs, _ = generate(n_docs, seed=11)
    records = []
    for event, info in pairs:
        text = event.provenance.sentence
        digest = hashlib.sha256(f"{info.doc_id}:{text}".encode()).hexdigest()
        document = Document(
            id=info.doc_id, content_hash=digest, text=text, reference_date=info.reference_date,
            reference_date_reason="bench",
        )  # fmt: skip
        records.append(DocumentRecord(document=document, events=[event]))
    results: dict[str, Any] = {"documents": n_docs}
    for label, cluster in (("without_clustering", False), ("with_clustering", True)):
        with (
            tempfile.TemporaryDirectory() as tmp,
            Store(f"sqlite:///{tmp}/s.sqlite", cluster=cluster) as store,
        ):
            started = time.perf_counter()
            for record in records:
                store.add(record)
            seconds = time.perf_counter() - started
        results[f"ms_per_document_{label}"] = round(1000 * seconds / n_docs, 2)
    return results


def store_articles(count: int) -> dict[str, Any]:
    """``Store.add`` of article-sized records (bench/scale.py's bundles, which all carry one
    placeholder date, so every event shares its week with all others): mean ms per document
    for the first and last 50, with clustering as they are stored and deferred to a rebuild."""
    from bench.scale import articles
    from dateline.models import DocumentRecord
    from dateline.pipeline import Pipeline
    from dateline.store import Store
    from dateline.store.clusters import read_clusters, rebuild_clusters

    started = time.perf_counter()
    records = [r for r in Pipeline().pipe(articles(count)) if isinstance(r, DocumentRecord)]
    results: dict[str, Any] = {
        "documents": len(records),
        "events": sum(len(r.events) for r in records),
        "seconds_extract": round(time.perf_counter() - started, 1),
    }
    # incremental: each document's clusters rewritten as it is stored (the web server, a
    # single `dateline ingest` document); batch: rewritten once per chunk of 64, as batch
    # ingest does; deferred: no linking until one rebuild (`--no-cluster`).
    modes = (("incremental", True, False), ("batch", True, True), ("deferred", False, False))
    for label, cluster, per_chunk in modes:
        times: list[float] = []
        cpu: list[float] = []  # this process's CPU time: what the machine's other load leaves
        with (
            tempfile.TemporaryDirectory() as tmp,
            Store(f"sqlite:///{tmp}/a.sqlite", cluster=cluster, defer_consensus=per_chunk) as store,
        ):
            for index, record in enumerate(records, start=1):
                began, began_cpu = time.perf_counter(), time.process_time()
                store.add(record)
                if per_chunk and (index % 64 == 0 or index == len(records)):
                    store.write_pending()  # charged to the document that ends the chunk
                times.append(time.perf_counter() - began)
                cpu.append(time.process_time() - began_cpu)
            part: dict[str, Any] = {
                "ms_per_document_first_50": round(1000 * sum(times[:50]) / len(times[:50]), 1),
                "ms_per_document_last_50": round(1000 * sum(times[-50:]) / len(times[-50:]), 1),
                "seconds_store": round(sum(times), 1),
                "cpu_ms_per_document_first_50": round(1000 * sum(cpu[:50]) / len(cpu[:50]), 1),
                "cpu_ms_per_document_last_50": round(1000 * sum(cpu[-50:]) / len(cpu[-50:]), 1),
                "cpu_seconds_store": round(sum(cpu), 1),
            }
            if not cluster:
                began = time.perf_counter()
                with store.engine.begin() as connection:
                    stats = rebuild_clusters(connection)
                part["seconds_rebuild"] = round(time.perf_counter() - began, 1)
                part["clusters"] = stats.clusters
            else:
                with store.engine.connect() as connection:
                    part["clusters"] = len(read_clusters(connection))
        results[label] = part
    return results


def store_rebuild(n_events: int) -> dict[str, Any]:
    """``dateline clusters --rebuild`` on a SQLite store of ``n_events`` (one per document)."""
    import sqlalchemy as sa

    from dateline.models import Document
    from dateline.store import Store, schema
    from dateline.store.clusters import rebuild_clusters
    from dateline.store.store import _event_values

    pairs, _ = generate(n_events, seed=13)
    now = dt.datetime.now(dt.UTC)
    with tempfile.TemporaryDirectory() as tmp, Store(f"sqlite:///{tmp}/r.sqlite") as store:
        with store.engine.begin() as connection:
            for start in range(0, len(pairs), 2000):
                chunk = pairs[start : start + 2000]
                documents = [
                    Document(
                        id=info.doc_id,
                        content_hash=info.doc_id,
                        text=event.provenance.sentence,
                        reference_date=info.reference_date,
                        reference_date_reason="bench",
                    )
                    for event, info in chunk
                ]
                connection.execute(
                    sa.insert(schema.documents),
                    [
                        {
                            "id": d.id,
                            "content_hash": d.content_hash,
                            "text": d.text,
                            "reference_date": d.reference_date,
                            "record": {},
                            "created_at": now,
                        }
                        for d in documents
                    ],
                )
                connection.execute(
                    sa.insert(schema.events),
                    [_event_values(e, d) for (e, _), d in zip(chunk, documents, strict=True)],
                )
        started = time.perf_counter()
        with store.engine.begin() as connection:
            stats = rebuild_clusters(connection)
        seconds = time.perf_counter() - started
    return {
        "events": stats.events,
        "clusters": stats.clusters,
        "pairs_compared_per_event": round(stats.compared / max(1, stats.events), 2),
        "seconds_rebuild": round(seconds, 1),
    }


def labelled(path: Path) -> dict[str, Any]:
    """Run the written articles through the pipeline into a fresh store; pairwise P/R of linking."""
    from dateline.models import RawDocument
    from dateline.pipeline import Pipeline
    from dateline.store import Store
    from dateline.store.clusters import read_clusters

    items = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
    pipeline = Pipeline()
    truth: dict[str, str] = {}
    docs: dict[str, str] = {}
    extracted = aligned = 0
    gold_events = sum(len(i["gold"]["events"]) for i in items)
    with (
        tempfile.TemporaryDirectory() as tmp,
        Store(f"sqlite:///{tmp}/labelled.sqlite") as store,
    ):
        for item in items:
            raw = RawDocument(
                    text=item["text"], origin=item["id"], source=item.get("source"),
                    published=dt.date.fromisoformat(item["published"]),
                )  # fmt: skip
            record = pipeline.process(raw)
            store.add(record)
            for event in record.events:
                extracted += 1
                for gold in item["gold"]["events"]:
                    if (
                        any(m in event.provenance.sentence for m in gold["sentence_contains"])
                        and gold["event_type"] == event.event_type
                    ):
                        truth[event.id] = gold["happening"]
                        docs[event.id] = event.doc_id
                        aligned += 1
                        break
        with store.engine.connect() as connection:
            clusters = {c.id: c.event_ids for c in read_clusters(connection)}
            multi = [c for c in read_clusters(connection) if c.event_count > 1]
    found = {truth[e] for e in truth}
    return {
        "articles": len(items),
        "gold_events": gold_events,
        "extracted_events": extracted,
        "aligned_events": aligned,
        "gold_events_found": len(found),
        "clusters_with_several_events": len(multi),
        "checks": sorted({k.kind for c in multi for k in c.checks}),
        **pairwise(clusters, truth, docs),
    }


def candidate_query(n_events: int, *, probes: int = 50) -> dict[str, Any]:
    """The store's candidate query when one week holds ``n_events`` events of one type, spread
    over 200 countries, half of them in 0.5° cells (a busy week of world news, linked): mean
    ms and rows per query for events of ``probes`` documents."""
    import random
    import sqlite3

    from dateline.store import Store, schema
    from dateline.store.clusters import _candidate_query

    rnd = random.Random(7)
    countries = [f"C{i:03d}" for i in range(200)]
    week = 104_300
    with tempfile.TemporaryDirectory() as tmp, Store(f"sqlite:///{tmp}/q.sqlite") as store:
        links, members = [], []
        for i in range(n_events):
            fine = rnd.random() < 0.5
            links.append(
                {
                    "event_id": f"e{i}", "doc_id": f"d{i // 8}", "position": i % 8,
                    "event_type": "ASSAULT", "week_lo": week, "week_hi": week,
                    "cell_row": rnd.randint(0, 300) if fine else None,
                    "cell_col": rnd.randint(0, 700) if fine else None,
                    "area1": rnd.choice(countries), "area2": None, "data": "[]",
                }
            )  # fmt: skip
            members.append({"event_id": f"e{i}", "cluster_id": f"k{i}", "doc_id": f"d{i // 8}"})
        # Link rows without their events (the query reads only these two tables).
        with sqlite3.connect(f"{tmp}/q.sqlite") as raw:
            raw.execute("PRAGMA foreign_keys=OFF")
            for table, values in ((schema.link_events, links), (schema.cluster_events, members)):
                names = list(values[0])
                raw.executemany(
                    f"INSERT INTO {table.name} ({', '.join(names)}) "
                    f"VALUES ({', '.join('?' * len(names))})",
                    [tuple(v[n] for n in names) for v in values],
                )
        times, rows = [], 0
        with store.engine.connect() as connection:
            for probe in range(probes):
                row, col = rnd.randint(0, 300), rnd.randint(0, 700)
                params = {
                    "event_type": "ASSAULT", "first_lo": week - 60, "hi": week, "lo": week,
                    "doc_id": f"probe{probe}", "countries": [rnd.choice(countries)],
                    "row_lo": row - 1, "row_hi": row + 1, "col_lo": col - 1, "col_hi": col + 1,
                }  # fmt: skip
                began = time.perf_counter()
                rows += len(connection.execute(_candidate_query(True), params).all())
                times.append(time.perf_counter() - began)
    return {
        "events_in_the_week": n_events,
        "ms_per_query": round(1000 * sum(times) / len(times), 2),
        "rows_per_query": round(rows / probes, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--labelled", type=Path, default=ROOT / "eval" / "clusters" / "items.jsonl")
    parser.add_argument("--store-docs", type=int, default=5_000, help="0: skip")
    parser.add_argument("--rebuild-events", type=int, default=0, help="0: skip")
    parser.add_argument("--query-events", type=int, default=0, help="0: skip")
    parser.add_argument("--articles", type=int, default=400, help="store timing; 0: skip")
    parser.add_argument("--out", type=Path, default=HERE / "clusters-results.json")
    args = parser.parse_args()
    results = {
        "synthetic": synthetic(args.events),
        "labelled": labelled(args.labelled),
    }
    if args.store_docs:
        results["store"] = store_overhead(args.store_docs)
    if args.articles:
        results["store_articles"] = store_articles(args.articles)
    if args.rebuild_events:
        results["store_rebuild"] = store_rebuild(args.rebuild_events)
    if args.query_events:
        results["candidate_query"] = candidate_query(args.query_events)
    args.out.write_text(json.dumps(results, indent=2) + "\n")
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
