"""The gazetteer store: name keys, an atomic build, lookups, and the real GeoNames data."""

from __future__ import annotations

from pathlib import Path

import pytest

from dateline.resolve.gazetteer import (
    GazetteerEntry,
    MemoryGazetteer,
    SQLiteGazetteer,
    normalize_name,
    open_gazetteer,
)
from dateline.settings import Settings


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Khan Younis", "Khan Yunis"),
        ("Khuza'a", "Khuza`ah"),
        ("Khuza’a", "Khuzā‘ah"),
        ("Deir al-Balah", "Deir el-Balah"),
        ("Al Qarara", "al-Qarārah"),
        ("SÃO PAULO", "São Paulo"),
    ],
)
def test_spellings_of_one_place_meet(a: str, b: str) -> None:
    assert normalize_name(a) == normalize_name(b)


@pytest.mark.parametrize(("a", "b"), [("Rafah", "Rafat"), ("Homs", "Hama"), ("Bree", "Brea")])
def test_different_names_stay_apart(a: str, b: str) -> None:
    assert normalize_name(a) != normalize_name(b)


def _entry(
    gid: int, name: str, country: str, population: int, feature: str = "city"
) -> GazetteerEntry:
    return GazetteerEntry(gid, name, 10.0 + gid / 100, 20.0, country, None, population, feature)  # type: ignore[arg-type]


ENTRIES = [
    (_entry(1, "Bree", "ARN", 5000), ["Bree-town"]),
    (_entry(2, "Bree", "GON", 900), []),
    (_entry(3, "Gondor", "GON", 1_000_000, "country"), []),
]


def test_build_and_lookup(tmp_path: Path) -> None:
    store = SQLiteGazetteer.build(tmp_path / "g.sqlite", entries=ENTRIES)
    assert [e.geonameid for e in store.lookup("bree")] == [1, 2]
    assert [e.geonameid for e in store.lookup("Bree town")] == [1]
    assert store.country("GON") is not None and store.country("XXX") is None
    assert store.ruler_names(min_population=1000) == ["Bree", "Bree-town", "Gondor"]
    assert not list(tmp_path.glob("*.tmp"))


def test_failed_build_leaves_no_store(tmp_path: Path) -> None:
    def broken() -> object:
        yield ENTRIES[0]
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError):
        SQLiteGazetteer.build(tmp_path / "g.sqlite", entries=broken())  # type: ignore[arg-type]
    assert list(tmp_path.iterdir()) == []


def test_memory_fake_agrees_with_the_store(tmp_path: Path) -> None:
    store = SQLiteGazetteer.build(tmp_path / "g.sqlite", entries=ENTRIES)
    fake = MemoryGazetteer(ENTRIES)
    for name in ("Bree", "Gondor", "Nowhere"):
        assert store.lookup(name) == fake.lookup(name)


@pytest.mark.slow
def test_real_store_knows_the_small_towns() -> None:
    store = open_gazetteer(Settings())
    expected = {"Khan Younis": 281124, "Khuza'a": 281119, "Al Qarara": 6967865}
    for name, gid in expected.items():
        assert gid in [e.geonameid for e in store.lookup(name)], name
    assert store.lookup("Gaza Strip")[0].country == "PSE"
