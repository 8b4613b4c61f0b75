"""Readers on hostile bytes: every input becomes a clean document or a specific error."""

from __future__ import annotations

import json
import tracemalloc
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dateline.ingest import iter_inputs, read_bytes
from dateline.models import RawDocument, Rejected
from dateline.settings import Settings

from .conftest import EXAMPLES
from .strategies import hostile_bytes, hostile_html, hostile_text

READ_CODES = {"E101", "E102", "E103", "E104", "E105", "E106", "E107"}
SETTINGS = Settings(max_bytes=100_000, max_chars=50_000, time_limit=20)


def check_read(results: list[RawDocument | Rejected], limits: Settings = SETTINGS) -> None:
    """The contract of every reader, whatever it was given."""
    assert results, "an input must give a document or a rejection, never nothing"
    for result in results:
        if isinstance(result, Rejected):
            assert result.code in READ_CODES, result
            assert result.reason.strip() and result.origin
            continue
        text = result.text
        assert text.strip()
        assert len(text) <= limits.max_chars
        assert "\x00" not in text and "\r" not in text
        text.encode("utf-8")  # storable: no lone surrogates


FUZZ = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FUZZ
@given(data=hostile_bytes)
def test_any_bytes_as_text(data: bytes) -> None:
    check_read(list(read_bytes(data, "doc.txt", SETTINGS, kind="text")))


@FUZZ
@given(data=st.one_of(hostile_html(), hostile_bytes))
def test_any_bytes_as_html(data: bytes) -> None:
    check_read(list(read_bytes(data, "page.html", SETTINGS, kind="html")))


@FUZZ
@given(lines=st.lists(st.one_of(hostile_text, hostile_text.map(lambda t: json.dumps({"text": t})))))
def test_any_jsonl(lines: list[str]) -> None:
    data = "\n".join(lines).encode("utf-8", errors="surrogatepass")
    check_read(list(read_bytes(data, "feed.jsonl", SETTINGS, kind="jsonl")))


def test_empty_jsonl_file_is_an_error_not_silence() -> None:
    (result,) = read_bytes(b"\xef\xbb\xbf\n  \n", "feed.jsonl", SETTINGS, kind="jsonl")
    assert isinstance(result, Rejected) and result.code == "E101"


def test_json_escapes_for_surrogates_and_nul_become_storable_text() -> None:
    line = json.dumps({"text": "Shelling \ud83d in Bree\u0000 today."})
    (result,) = read_bytes(line.encode(), "feed.jsonl", SETTINGS, kind="jsonl")
    assert isinstance(result, RawDocument)
    assert result.text == "Shelling \ufffd in Bree today."


def test_fifty_megabyte_file_is_refused_without_reading_it(tmp_path: Path) -> None:
    big = tmp_path / "huge.txt"
    with big.open("wb") as out:
        out.truncate(50 * 1024 * 1024)  # sparse: 50 MB of NUL without using the disk
    tracemalloc.start()
    (result,) = iter_inputs([str(big)], Settings())
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert isinstance(result, Rejected) and result.code == "E104"
    assert "DATELINE_MAX_BYTES" in result.reason
    assert peak < 5 * 1024 * 1024


def test_text_past_the_parser_limit_is_too_large() -> None:
    line = ("Orc raiders shelled Bree; " * 4000).encode()  # one ~100 KB line
    (result,) = read_bytes(line, "line.txt", Settings(max_chars=50_000))
    assert isinstance(result, Rejected) and result.code == "E104"
    assert "DATELINE_MAX_CHARS" in result.reason
    (ok,) = read_bytes(line, "line.txt", Settings())
    assert isinstance(ok, RawDocument) and "\n" not in ok.text.strip()


@pytest.mark.parametrize("depth", [300, 5_000, 100_000])
def test_deeply_nested_html_gives_text_or_a_clear_error(depth: int) -> None:
    page = (
        b"<html><body>"
        + b"<div>" * depth
        + b"<p>Orc raiders shelled Bree on Monday, killing 4 civilians, medics said.</p>"
        + b"</div>" * depth
        + b"</body></html>"
    )
    check_read(list(read_bytes(page, "deep.html", Settings(), kind="html")))


def test_html_in_its_declared_charset_is_decoded() -> None:
    body = "<p>" + "Обстрел города Бри продолжался всю ночь, сообщили медики. " * 5 + "</p>"
    head = "<html><head><meta charset='koi8-r'></head>"
    page = f"{head}<body><article>{body}</article></body></html>"
    (result,) = read_bytes(page.encode("koi8-r"), "ru.html", Settings(), kind="html")
    assert isinstance(result, RawDocument)
    assert "Обстрел города Бри" in result.text


def test_mixed_encodings_in_one_text_file_name_the_byte() -> None:
    data = "Bree café ".encode() + "Gondor café".encode("latin-1")
    (result,) = read_bytes(data, "mixed.txt", Settings())
    assert isinstance(result, Rejected) and result.code == "E103"
    assert "byte 21 (0xe9)" in result.reason
