"""Readers: each bad input gets a specific error, and good inputs come through intact."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dateline.ingest import iter_inputs, read_bytes
from dateline.models import RawDocument, Rejected
from dateline.settings import Settings


@pytest.fixture
def settings() -> Settings:
    return Settings(max_bytes=10_000)


def _one(data: bytes, settings: Settings, kind: str = "text") -> RawDocument | Rejected:
    results = list(read_bytes(data, "doc", settings, kind=kind))
    assert len(results) == 1
    return results[0]


def test_plain_text_keeps_text_and_normalises_newlines(settings: Settings) -> None:
    result = _one("Title\r\n\r\nBody “quoted”.".encode(), settings)
    assert isinstance(result, RawDocument)
    assert result.text == "Title\n\nBody “quoted”."


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"", "E101"),
        (b"  \n\t \n", "E101"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "E102"),
        ("caf\xe9 in Lat\xedn-1".encode("latin-1"), "E103"),
        (b"x" * 10_001, "E104"),
    ],
)
def test_bad_input_is_rejected_with_its_code(data: bytes, code: str, settings: Settings) -> None:
    result = _one(data, settings)
    assert isinstance(result, Rejected)
    assert result.code == code
    assert result.reason


def test_encoding_error_names_the_byte_and_the_fix(settings: Settings) -> None:
    result = _one(b"ok \xff bad", settings)
    assert isinstance(result, Rejected)
    assert "byte 3" in result.reason and "UTF-8" in result.reason


def test_other_encoding_can_be_configured() -> None:
    result = _one("caf\xe9".encode("latin-1"), Settings(encoding="latin-1"))
    assert isinstance(result, RawDocument) and result.text == "café"


def test_jsonl_lines_fail_one_at_a_time(settings: Settings) -> None:
    lines = [
        json.dumps({"text": "First article.", "title": "One", "published": "2024-01-24"}),
        "{not json",
        json.dumps({"title": "no text"}),
        json.dumps({"text": "Second article.", "url": "https://example.org/a"}),
    ]
    results = list(read_bytes("\n".join(lines).encode(), "batch.jsonl", settings, kind="jsonl"))
    assert [type(r).__name__ for r in results] == [
        "RawDocument",
        "Rejected",
        "Rejected",
        "RawDocument",
    ]
    first, bad_json, no_text, second = results
    assert isinstance(first, RawDocument) and first.title == "One"
    assert first.published is not None and first.published.isoformat() == "2024-01-24"
    assert isinstance(bad_json, Rejected) and bad_json.origin == "batch.jsonl:2"
    assert isinstance(no_text, Rejected) and "text" in no_text.reason
    assert isinstance(second, RawDocument) and second.url == "https://example.org/a"


def test_html_main_text_title_and_date(settings: Settings) -> None:
    html = b"""<html><head><title>Clashes in Bree</title>
    <meta property="article:published_time" content="2024-03-05T10:00:00Z"></head>
    <body><nav>Home | World | Sport</nav><article><h1>Clashes in Bree</h1>
    <p>Fighting broke out in Bree on Monday between two armed groups, residents said.</p>
    <p>At least four people were killed and a dozen wounded in the clashes near the market.</p>
    </article><footer>Copyright</footer></body></html>"""
    result = _one(html, Settings(), kind="html")
    assert isinstance(result, RawDocument)
    assert "Fighting broke out in Bree" in result.text
    assert "Copyright" not in result.text
    assert result.title == "Clashes in Bree"
    assert result.published is not None and result.published.isoformat() == "2024-03-05"


def test_html_without_text_is_rejected(settings: Settings) -> None:
    result = _one(b"<html><body><div></div></body></html>", settings, kind="html")
    assert isinstance(result, Rejected) and result.code == "E101"


def test_directory_is_read_recursively_and_bad_files_reported(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "a.txt").write_text("An article.")
    (tmp_path / "sub" / "b.txt").write_text("Another article.")
    (tmp_path / "sub" / "empty.txt").write_text("")
    (tmp_path / "big.txt").write_bytes(b"y" * 20_000)
    (tmp_path / "dateline.sqlite").write_bytes(b"SQLite format 3\x00")  # not an article
    (tmp_path / "photo.jpg").write_bytes(b"\xff\xd8\xff")
    results = list(
        iter_inputs([str(tmp_path), str(tmp_path / "missing.txt")], Settings(max_bytes=10_000))
    )
    good = [r for r in results if isinstance(r, RawDocument)]
    bad = {Path(r.origin).name: r.code for r in results if isinstance(r, Rejected)}
    assert sorted(Path(r.origin).name for r in good) == ["a.txt", "b.txt"]
    assert bad == {"big.txt": "E104", "empty.txt": "E101", "missing.txt": "E106"}


def test_a_file_named_explicitly_is_read_whatever_its_name(tmp_path: Path) -> None:
    named = tmp_path / "report.dat"
    named.write_text("Gunmen attacked a convoy.")
    (result,) = iter_inputs([str(named)], Settings())
    assert isinstance(result, RawDocument)
    assert list(iter_inputs([str(tmp_path)], Settings())) == []
