"""WARC and gzipped JSONL: each HTML or text response is a document; bad records fail alone."""

from __future__ import annotations

import gzip
import io
import json
from pathlib import Path

import pytest

from dateline.ingest import iter_inputs
from dateline.models import RawDocument, Rejected
from dateline.settings import Settings

PAGE = (
    "<html><head><title>Shelling in Bree</title></head><body><article>"
    "<h1>Shelling in Bree</h1><p>Orc raiders shelled the town of Bree on Monday, killing four "
    "civilians, the town council said in a statement read out on the market square.</p>"
    "<p>Residents fled north towards the hills as the shelling went on through the night, "
    "and the council asked the rangers of the north to come to the town's aid.</p>"
    "</article></body></html>"
)


def _write_warc(path: Path, *, truncate: bool = False) -> None:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=True)

    def response(url: str, body: bytes, content_type: str, status: str = "200 OK") -> None:
        headers = StatusAndHeaders(status, [("Content-Type", content_type)], protocol="HTTP/1.1")
        writer.write_record(
            writer.create_warc_record(
                url, "response", payload=io.BytesIO(body), http_headers=headers
            )
        )

    writer.write_record(writer.create_warcinfo_record("test.warc.gz", {"software": "test"}))
    response("https://news.example/bree", PAGE.encode(), "text/html; charset=utf-8")
    response("https://news.example/missing", b"<html>gone</html>", "text/html", "404 Not Found")
    response("https://news.example/logo.png", b"\x89PNG\r\n\x1a\n", "image/png")
    response("https://news.example/empty", b"<html><body></body></html>", "text/html")
    writer.write_record(
        writer.create_warc_record(
            "https://news.example/wire.txt",
            "resource",
            payload=io.BytesIO(b"Troops clashed with protesters in Osgiliath on Tuesday."),
            warc_content_type="text/plain",
        )
    )
    data = buffer.getvalue()
    path.write_bytes(data[: len(data) - 40] if truncate else data)


@pytest.fixture
def settings() -> Settings:
    return Settings()


def test_warc_yields_html_and_text_documents_with_their_urls(
    tmp_path: Path, settings: Settings
) -> None:
    path = tmp_path / "crawl.warc.gz"
    _write_warc(path)
    results = list(iter_inputs([str(path)], settings))
    documents = [r for r in results if isinstance(r, RawDocument)]
    failed = [r for r in results if isinstance(r, Rejected)]
    assert [d.url for d in documents] == [
        "https://news.example/bree",
        "https://news.example/wire.txt",
    ]
    assert "shelled the town of Bree" in documents[0].text
    # No date on the page: the capture date stands in (warcio stamps records with today).
    assert all(d.published is not None for d in documents)
    assert documents[0].title == "Shelling in Bree"
    assert all(d.origin.startswith(f"{path}#urn:uuid:") for d in documents)
    # The empty page fails alone; the 404 and the image are not articles at all.
    assert [f.code for f in failed] == ["E101"]


def test_truncated_warc_keeps_the_records_before_the_damage(
    tmp_path: Path, settings: Settings
) -> None:
    path = tmp_path / "cut.warc.gz"
    _write_warc(path, truncate=True)
    results = list(iter_inputs([str(path)], settings))
    assert any(isinstance(r, RawDocument) and r.url == "https://news.example/bree" for r in results)
    last = results[-1]
    assert isinstance(last, Rejected) and last.code == "E105" and "truncated" in last.reason
    assert not any(isinstance(r, RawDocument) and r.url.endswith("wire.txt") for r in results)


def test_gzipped_jsonl_is_read_line_by_line(tmp_path: Path, settings: Settings) -> None:
    lines = [json.dumps({"text": "Troops shelled Bree."}), "{broken", json.dumps({"text": "Calm."})]
    path = tmp_path / "feed.jsonl.gz"
    path.write_bytes(gzip.compress("\n".join(lines).encode()))
    results = list(iter_inputs([str(path)], settings))
    assert [type(r).__name__ for r in results] == ["RawDocument", "Rejected", "RawDocument"]
    assert results[1].origin == f"{path}:2"


def test_a_file_that_is_not_gzip_fails_alone(tmp_path: Path, settings: Settings) -> None:
    (tmp_path / "bad.jsonl.gz").write_bytes(b"not gzip at all")
    (tmp_path / "good.txt").write_text("Troops shelled Bree.", encoding="utf-8")
    results = list(iter_inputs([str(tmp_path)], settings))
    assert [type(r).__name__ for r in results] == ["Rejected", "RawDocument"]
