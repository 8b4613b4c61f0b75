"""The JSON API: every endpoint, its filters and pages, and clear 4xx answers to bad requests."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dateline.export.rows import EVENT_COLUMNS
from dateline.serve import create_app
from dateline.store import Store

from ..factories import TEXT
from .conftest import LOOPBACK, TOKEN, StandInPipeline, records, serve_settings

AUTH = {"Authorization": f"Bearer {TOKEN}"}


def test_events_come_with_their_document(reader: TestClient) -> None:
    body = reader.get("/events").json()
    assert body["total"] == 3
    assert body["limit"] == 50 and body["offset"] == 0
    first = body["items"][0]
    assert first["document"]["title"] == "Shelling in Bree"
    assert first["document"]["id"] == first["doc_id"]
    assert first["provenance"]["trigger"]["text"] == "shelled"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("since=2024-05-01", 2),
        ("until=2024-05-01", 1),
        ("since=2024-05-20&until=2024-05-20", 1),
        ("country=GDR", 1),
        ("country=gdr", 1),
        ("event_type=PROTEST", 1),
        ("event_type=ASSAULT", 2),
        ("actor=legion", 1),
        ("actor=orc", 3),
        ("actor=civilians", 3),
        ("status=threatened", 1),
        ("q=Osgiliath", 1),
        ("q=100%25", 0),
        ("q=_", 0),
    ],
)
def test_event_filters(reader: TestClient, query: str, expected: int) -> None:
    response = reader.get(f"/events?{query}")
    assert response.status_code == 200, response.text
    assert response.json()["total"] == expected


def test_document_filter(reader: TestClient) -> None:
    doc_id = reader.get("/events?country=GDR").json()["items"][0]["doc_id"]
    body = reader.get(f"/events?doc_id={doc_id}").json()
    assert [item["doc_id"] for item in body["items"]] == [doc_id]


def test_pages_cover_every_event_once(reader: TestClient) -> None:
    seen = []
    for offset in range(0, 4, 2):
        body = reader.get(f"/events?limit=2&offset={offset}").json()
        assert body["total"] == 3
        seen.extend(item["id"] for item in body["items"])
    assert len(seen) == len(set(seen)) == 3
    assert reader.get("/events?limit=2&offset=10").json()["items"] == []


@pytest.mark.parametrize(
    "path",
    [
        "/events?since=2024-13-01",
        "/events?until=yesterday",
        "/events?since=2024-06-01&until=2024-05-01",
        "/events?country=PS",
        "/events?country=P5E",
        "/events?event_type=BOMBING",
        "/events?event_type=assault",
        "/events?status=maybe",
        "/events?limit=0",
        "/events?limit=100000",
        "/events?limit=ten",
        "/events?offset=-1",
        "/events?offset=99999999999999999999999",
        "/events?q=" + "x" * 201,
        "/events?doc_id=../../etc/passwd",
        "/events.geojson?since=2024-02-30",
        "/events.csv?country=XXXX",
        "/timeline?event_type=NOPE",
        "/facets?status=nope",
        "/documents?limit=-5",
        "/places?country=12",
        "/checks?kind=DROP TABLE",
        "/failures?offset=x",
    ],
)
def test_bad_parameters_get_a_clear_422(reader: TestClient, path: str) -> None:
    response = reader.get(path)
    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith("application/json")
    assert response.json()["detail"]


@pytest.mark.parametrize(
    "path", ["/documents/0123456789abcdef", "/events/0123456789abcdef", "/nothing-here"]
)
def test_unknown_things_are_404(reader: TestClient, path: str) -> None:
    response = reader.get(path)
    assert response.status_code == 404
    assert "detail" in response.json()


def test_one_event_by_id(reader: TestClient) -> None:
    item = reader.get("/events?event_type=PROTEST").json()["items"][0]
    body = reader.get(f"/events/{item['id']}").json()
    assert body["id"] == item["id"]
    assert body["document"]["id"] == item["doc_id"]


def test_geojson_download_is_the_filtered_view(reader: TestClient) -> None:
    response = reader.get("/events.geojson?event_type=ASSAULT")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/geo+json")
    assert "attachment" in response.headers["content-disposition"]
    collection = response.json()
    assert collection["type"] == "FeatureCollection"
    # Two ASSAULT events, one of them without coordinates: counted, not dropped silently.
    assert len(collection["features"]) == 1
    assert collection["unlocated"] == 1
    assert collection["features"][0]["properties"]["event_type"] == "ASSAULT"


def test_csv_download_is_the_filtered_view(reader: TestClient) -> None:
    response = reader.get("/events.csv?since=2024-05-01")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert tuple(rows[0].keys()) == EVENT_COLUMNS
    assert sorted(r["date_start"] for r in rows) == ["2024-05-20", "2024-06-01"]


def test_timeline_keeps_filters_but_not_the_date_range(reader: TestClient) -> None:
    everything = reader.get("/timeline?since=2024-06-01").json()["buckets"]
    assert sum(b["count"] for b in everything) == 3
    assaults = reader.get("/timeline?event_type=ASSAULT").json()["buckets"]
    assert {b["date"] for b in assaults} == {"2024-03-04", "2024-06-01"}


def test_facets_count_values_and_give_the_date_range(reader: TestClient) -> None:
    body = reader.get("/facets").json()
    assert {f["value"]: f["count"] for f in body["event_type"]} == {"ASSAULT": 2, "PROTEST": 1}
    assert {f["value"] for f in body["status"]} == {"occurred", "threatened"}
    assert body["date_min"] == "2024-03-04" and body["date_max"] == "2024-06-01"


def test_documents_list_and_full_record(reader: TestClient) -> None:
    page = reader.get("/documents?limit=2").json()
    assert page["total"] == 3 and len(page["items"]) == 2
    assert all(item["events"] == 1 for item in page["items"])
    assert "text" not in page["items"][0]
    doc_id = page["items"][0]["id"]
    record = reader.get(f"/documents/{doc_id}").json()
    assert record["document"]["id"] == doc_id
    assert record["document"]["text"].startswith("Bree, 5 March 2024")
    assert reader.get(f"/documents/{doc_id[:8]}").json()["document"]["id"] == doc_id
    assert reader.get("/documents?q=Osgiliath").json()["total"] == 1


def test_places_and_checks(reader: TestClient) -> None:
    places = reader.get("/places?country=gdr").json()
    assert places["total"] == 1
    assert places["items"][0]["name"] == "Bree"
    assert places["items"][0]["span"]["end"] > places["items"][0]["span"]["start"]
    assert reader.get("/places?q=bree").json()["total"] == 3
    checks = reader.get("/checks?kind=note").json()
    assert checks["total"] == 3
    assert checks["items"][0]["spans"][0]["text"] == "Bree"


def test_writes_need_the_token(client: TestClient, stand_in: StandInPipeline) -> None:
    body = {"text": TEXT + "\nA new paragraph."}
    missing = client.post("/documents", json=body)
    assert missing.status_code == 401
    assert missing.headers["www-authenticate"] == "Bearer"
    wrong = client.post("/documents", json=body, headers={"Authorization": "Bearer nope"})
    assert wrong.status_code == 403
    assert (
        client.post("/documents", json=body, headers={"X-Dateline-Token": "nope"}).status_code
        == 403
    )
    assert stand_in.seen == []
    assert client.get("/documents").json()["total"] == 3


def test_writes_are_off_without_a_configured_token(tmp_path: Path, store: Store) -> None:
    app = create_app(serve_settings(tmp_path, api_token=None), store=store)
    with TestClient(app, client=LOOPBACK, base_url="http://127.0.0.1") as client:
        response = client.post("/documents", json={"text": TEXT}, headers=AUTH)
        assert response.status_code == 403
        assert "DATELINE_API_TOKEN" in response.json()["detail"]
        assert client.get("/config").json()["writes_enabled"] is False


def test_post_stores_the_article_and_returns_its_records(
    client: TestClient, stand_in: StandInPipeline
) -> None:
    body = {"text": TEXT + "\nSecond report.", "title": "Raid", "published": "2024-03-05"}
    created = client.post("/documents", json=body, headers=AUTH)
    assert created.status_code == 201, created.text
    data = created.json()
    assert data["created"] is True
    assert data["record"]["document"]["title"] == "Raid"
    assert data["record"]["events"][0]["event_type"] == "ASSAULT"
    assert stand_in.seen[0].published is not None
    assert client.get("/documents").json()["total"] == 4
    again = client.post("/documents", json=body, headers={"X-Dateline-Token": TOKEN})
    assert again.status_code == 200
    assert again.json()["created"] is False
    assert client.get("/documents").json()["total"] == 4


def test_post_html_takes_the_main_text(client: TestClient, stand_in: StandInPipeline) -> None:
    paragraphs = "".join(f"<p>{line}</p>" for line in TEXT.split("\n") if line)
    html = (
        "<html><head><title>Raid on Bree</title></head>"
        f"<body><article>{paragraphs}</article></body></html>"
    )
    response = client.post("/documents", json={"html": html}, headers=AUTH)
    assert response.status_code == 201, response.text
    assert "<p>" not in stand_in.seen[0].text
    assert "shelled" in stand_in.seen[0].text


def test_script_in_an_article_comes_back_as_data(client: TestClient) -> None:
    title = "<img src=x onerror=alert(1)>"
    text = TEXT + "\n<script>alert('x')</script> and </textarea><b>bold</b>"
    response = client.post("/documents", json={"text": text, "title": title}, headers=AUTH)
    assert response.status_code == 201, response.text
    assert response.headers["content-type"] == "application/json"
    doc_id = response.json()["record"]["document"]["id"]
    record = client.get(f"/documents/{doc_id}").json()
    assert record["document"]["title"] == title
    assert record["document"]["text"].endswith(
        "<script>alert('x')</script> and </textarea><b>bold</b>"
    )
    # The page is a static file that never embeds stored text, and forbids inline scripts.
    page = client.get("/")
    assert page.status_code == 200
    assert "alert" not in page.text
    assert "script-src 'self'" in page.headers["content-security-policy"]
    assert (
        "'unsafe-inline'"
        not in page.headers["content-security-policy"].split("script-src")[1].split(";")[0]
    )
    assert page.headers["x-content-type-options"] == "nosniff"


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({"text": "   \n  "}, "E101"),
        ({"text": "abc\x00\x01\x02def"}, "E102"),
        ({"html": "<html><body><script>x()</script></body></html>"}, "E101"),
    ],
)
def test_unreadable_articles_are_422_and_stored_as_failures(
    client: TestClient, body: dict[str, str], code: str
) -> None:
    response = client.post("/documents", json=body, headers=AUTH)
    assert response.status_code == 422
    assert response.json()["code"] == code
    failures = client.get("/failures").json()
    assert failures["total"] == 1
    assert failures["items"][0]["code"] == code


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"text": "a", "html": "<p>a</p>"},
        {"text": "a", "colour": "red"},
        {"text": 5},
        {"text": "a", "published": "31 February"},
        {"text": "a", "title": "t" * 1001},
    ],
)
def test_malformed_bodies_are_422(client: TestClient, body: dict[str, object]) -> None:
    response = client.post("/documents", json=body, headers=AUTH)
    assert response.status_code == 422, response.text
    assert client.get("/documents").json()["total"] == 3


def test_a_body_that_is_not_json_is_400(client: TestClient) -> None:
    response = client.post(
        "/documents", content=b"\xff\xfe{", headers={**AUTH, "Content-Type": "application/json"}
    )
    assert response.status_code == 400
    assert response.json()["detail"]


def test_request_size_limit(tmp_path: Path, store: Store, stand_in: StandInPipeline) -> None:
    settings = serve_settings(tmp_path, max_request_bytes=1000)
    app = create_app(settings, store=store, pipeline=lambda: stand_in)  # type: ignore[arg-type, return-value]
    with TestClient(app, client=LOOPBACK, base_url="http://127.0.0.1") as client:
        big = {"text": TEXT + "x" * 2000}
        declared = client.post("/documents", json=big, headers=AUTH)
        assert declared.status_code == 413
        assert "1,000-byte" in declared.json()["detail"]

        def chunks() -> object:
            for _ in range(10):
                yield b" " * 200

        streamed = client.post(
            "/documents",
            content=chunks(),  # type: ignore[arg-type]
            headers={**AUTH, "Content-Type": "application/json"},
        )
        assert streamed.status_code == 413
        assert stand_in.seen == []


def test_only_loopback_clients_unless_allowed(
    tmp_path: Path, store: Store, stand_in: StandInPipeline
) -> None:
    closed = create_app(serve_settings(tmp_path), store=store)
    with TestClient(closed, client=("192.0.2.7", 5000), base_url="http://127.0.0.1") as client:
        response = client.get("/events")
        assert response.status_code == 403
        assert "--allow-remote" in response.json()["detail"]
    opened = create_app(serve_settings(tmp_path, allow_remote=True), store=store)
    with TestClient(opened, client=("192.0.2.7", 5000), base_url="http://192.0.2.1") as client:
        assert client.get("/events").status_code == 200
        assert client.post("/documents", json={"text": TEXT}).status_code == 401


@pytest.mark.parametrize("host", ["evil.example", "evil.example:8000", "127.0.0.1.evil.example"])
def test_other_host_names_are_refused(reader: TestClient, host: str) -> None:
    response = reader.get("/events", headers={"Host": host})
    assert response.status_code == 421


@pytest.mark.parametrize("host", ["localhost:8000", "127.0.0.1", "[::1]:8000"])
def test_loopback_host_names_are_accepted(reader: TestClient, host: str) -> None:
    assert reader.get("/config", headers={"Host": host}).status_code == 200


def test_allowed_host_names(tmp_path: Path, store: Store) -> None:
    app = create_app(serve_settings(tmp_path, allowed_hosts=["dateline.internal"]), store=store)
    with TestClient(app, client=LOOPBACK, base_url="http://dateline.internal") as client:
        assert client.get("/config").status_code == 200


def test_openapi_documents_every_endpoint(reader: TestClient) -> None:
    spec = reader.get("/openapi.json").json()
    paths = spec["paths"]
    for path in (
        "/events", "/events.geojson", "/events.csv", "/events/{event_id}", "/timeline", "/facets",
        "/documents", "/documents/{doc_id}", "/places", "/checks", "/failures", "/clusters",
        "/config",
    ):  # fmt: skip
        assert path in paths, path
    assert "post" in paths["/documents"]
    names = {p["name"] for p in paths["/events"]["get"]["parameters"]}
    assert {
        "since",
        "until",
        "country",
        "event_type",
        "actor",
        "status",
        "q",
        "limit",
        "offset",
    } <= names
    for operation in (op for item in paths.values() for op in item.values()):
        assert operation.get("description") or operation.get("summary")


def test_api_docs_page_uses_local_assets(reader: TestClient) -> None:
    html = reader.get("/docs").text
    assert "/static/vendor/swagger-ui-bundle.js" in html
    assert "cdn" not in html


def test_page_and_its_assets_are_served(reader: TestClient) -> None:
    page = reader.get("/")
    assert page.headers["content-type"].startswith("text/html")
    for asset in ("/static/app.js", "/static/app.css"):
        assert asset in page.text
        assert reader.get(asset).status_code == 200
    assert "http" not in page.text.replace('"http://www.w3.org', "")


def test_clusters_list_consensus_rows_and_take_filters(client: TestClient) -> None:
    everything = client.get("/clusters").json()
    assert everything["total"] >= 1
    row = everything["items"][0]
    assert {"source_count", "event_ids", "event_type"} <= set(row)
    assert client.get("/clusters?since=2999-01-01").json()["total"] == 0
    assert client.get("/clusters?min_sources=999").json()["total"] == 0
    assert client.get("/clusters?min_sources=0").status_code == 422
    assert client.get("/config").json()["clusters"] is True


def test_clusters_are_404_without_a_clusters_table(client: TestClient, store: Store) -> None:
    import sqlalchemy as sa

    with store.engine.begin() as connection:
        connection.execute(sa.text("DROP TABLE clusters"))
    assert client.get("/clusters").status_code == 404
    assert client.get("/config").json()["clusters"] is False


@pytest.mark.postgres
def test_the_same_answers_on_postgresql(pg_url: str, reader: TestClient) -> None:
    queries = [
        "/events?actor=legion",
        "/events?q=Osgiliath&since=2024-05-01",
        "/events?country=gdr&status=threatened",
        "/timeline?event_type=ASSAULT",
        "/facets",
        "/documents?q=osgiliath",
        "/places?q=bree",
        "/checks?kind=note",
    ]
    with Store(pg_url) as store:
        for record in records():
            store.add(record)
        app = create_app(serve_settings(Path("."), db_url=pg_url), store=store)
        with TestClient(app, client=LOOPBACK, base_url="http://127.0.0.1") as client:
            for query in queries:
                on_pg, on_sqlite = client.get(query).json(), reader.get(query).json()
                if "items" in on_pg:
                    assert on_pg["total"] == on_sqlite["total"], query
                    assert {i.get("id") for i in on_pg["items"]} == {
                        i.get("id") for i in on_sqlite["items"]
                    }, query
                else:
                    assert on_pg == on_sqlite, query
            geojson = client.get("/events.geojson?event_type=ASSAULT").json()
            assert len(geojson["features"]) == 1


PARAMETERS = ["since", "until", "country", "event_type", "actor", "status", "q", "doc_id",
              "limit", "offset", "kind"]  # fmt: skip
PATHS = ["/events", "/events.csv", "/timeline", "/facets", "/documents", "/places", "/checks"]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    path=st.sampled_from(PATHS),
    query=st.dictionaries(st.sampled_from(PARAMETERS), st.text(max_size=30), max_size=4),
)
def test_no_query_string_makes_a_server_error(
    reader: TestClient, path: str, query: dict[str, str]
) -> None:
    response = reader.get(path, params=query)
    assert response.status_code in (200, 422), (response.status_code, response.text)


@settings(max_examples=60, deadline=None)
@given(segment=st.text(min_size=1, max_size=40).filter(lambda s: s not in (".", "..")))
def test_no_document_or_event_id_makes_a_server_error(reader: TestClient, segment: str) -> None:
    from urllib.parse import quote

    for path in ("/documents/", "/events/"):
        response = reader.get(path + quote(segment, safe=""))
        assert response.status_code < 500, (segment, response.status_code)
        if "/" not in segment:  # an encoded slash is decoded into the path: another route
            assert response.status_code in (404, 422), (segment, response.status_code)


def test_online_tiles_are_allowed_by_the_page_policy(tmp_path: Path, store: Store) -> None:
    url = "https://{s}.tiles.example.org/{z}/{x}/{y}.png"
    app = create_app(serve_settings(tmp_path, tiles_url=url), store=store)
    with TestClient(app, client=LOOPBACK, base_url="http://127.0.0.1") as client:
        assert client.get("/config").json()["tiles_url"] == url
        policy = client.get("/").headers["content-security-policy"]
        assert "img-src 'self' data: https://*.tiles.example.org;" in policy


def test_an_article_that_fails_analysis_is_kept_for_a_retry(tmp_path: Path, store: Store) -> None:
    from dateline.errors import DateError

    class Failing:
        def process(self, raw: object) -> object:
            raise DateError("no date to resolve against", origin="posted")

    app = create_app(serve_settings(tmp_path), store=store, pipeline=lambda: Failing())  # type: ignore[arg-type, return-value]
    with TestClient(app, client=LOOPBACK, base_url="http://127.0.0.1") as client:
        response = client.post("/documents", json={"text": "Troops shelled a town."}, headers=AUTH)
        assert response.status_code == 422
        assert response.json()["code"] == "E201"
        listed = client.get("/failures?open_only=true").json()
        assert listed["total"] == 1
        assert listed["items"][0]["stage"] == "extract"
        assert listed["items"][0]["raw"] is None  # not sent back over the API
    kept = store.failures(open_only=True)
    assert kept[0].raw is not None and kept[0].raw.text == "Troops shelled a town."


def test_an_article_over_the_time_limit_is_stopped_on_the_worker_thread(
    tmp_path: Path, store: Store, nlp: Any
) -> None:
    from dateline.pipeline import Pipeline
    from dateline.settings import Settings

    slow = Pipeline(Settings(time_limit=0.0001), nlp=nlp)  # any real extraction takes longer
    app = create_app(serve_settings(tmp_path), store=store, pipeline=lambda: slow)
    text = "\n\n".join(TEXT.replace("4 civilians", f"{n} civilians") for n in range(2, 40))
    with TestClient(app, client=LOOPBACK, base_url="http://127.0.0.1:8000") as client:
        response = client.post("/documents", json={"text": text}, headers=AUTH)
        assert response.status_code == 422, response.text
        assert response.json()["code"] == "E107"
        assert client.get("/failures").json()["items"][0]["code"] == "E107"
        assert client.get("/documents").json()["total"] == 3  # nothing half-written
