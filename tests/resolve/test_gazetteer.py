"""The gazetteer store: name keys, an atomic build, lookups, and the real GeoNames data."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dateline.errors import ResourceError
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


def test_alternate_names_are_marked_in_store_and_fake(tmp_path: Path) -> None:
    entries = [(_entry(1, "Bree", "ARN", 5000), ["Archet"]), (_entry(2, "Archet", "GON", 10), [])]
    store = SQLiteGazetteer.build(tmp_path / "g.sqlite", entries=entries)
    for gazetteer in (store, MemoryGazetteer(entries)):
        found = gazetteer.lookup("Archet")
        assert [(e.geonameid, e.alternate) for e in found] == [(2, False), (1, True)]


def test_ruler_leaves_out_one_word_abbreviations(tmp_path: Path) -> None:
    state = _entry(5, "Louisiana", "USA", 4_000_000, "admin1")
    entries = [(state, ["La.", "W.Va."])]
    store = SQLiteGazetteer.build(tmp_path / "g.sqlite", entries=entries)
    assert store.ruler_names(min_population=0) == ["Louisiana", "W.Va."]
    assert store.lookup("La.")[0].name == "Louisiana"


def _settings(tmp_path: Path, places: Path) -> Settings:
    store = tmp_path / "g.sqlite"
    SQLiteGazetteer.build(store, entries=ENTRIES)
    return Settings(gazetteer_path=store, places_file=places)


def test_user_csv_places_come_first(tmp_path: Path) -> None:
    places = tmp_path / "mine.csv"
    places.write_text(
        "names,lat,lon,country,feature,host\n"
        "Bree|Bree checkpoint,11.5,21.5,ARN,facility,Bree\n"
        "Old Mill,11.6,21.6,ARN,,\n",
        encoding="utf-8",
    )
    gazetteer = open_gazetteer(_settings(tmp_path, places))
    first, *others = gazetteer.lookup("Bree")
    assert first.priority == 1 and first.lat == 11.5 and first.feature == "facility"
    assert [e.geonameid for e in others] == [1, 2]
    assert gazetteer.lookup("Old Mill")[0].feature == "facility"
    assert "Bree checkpoint" in gazetteer.ruler_names(min_population=10**9)


def test_user_geojson_places(tmp_path: Path) -> None:
    places = tmp_path / "mine.geojson"
    feature = {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [21.7, 11.7]},
        "properties": {"names": ["Weathertop", "Amon Sul"], "country": "ARN"},
    }
    places.write_text(json.dumps({"type": "FeatureCollection", "features": [feature]}))
    gazetteer = open_gazetteer(_settings(tmp_path, places))
    (entry,) = gazetteer.lookup("Amon Sul")
    assert (entry.name, entry.lat, entry.lon, entry.priority) == ("Weathertop", 11.7, 21.7, 1)


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("bad.csv", "names,lat,lon\nNowhere,north,1\n"),
        ("bad.geojson", '{"type": "FeatureCollection", "features": [{"geometry": null}]}'),
        ("bad.csv", "names,lat,lon,feature\nX,1,2,mountain\n"),
    ],
)
def test_unusable_user_places_file_says_what_is_wrong(
    tmp_path: Path, name: str, content: str
) -> None:
    places = tmp_path / name
    places.write_text(content, encoding="utf-8")
    with pytest.raises(ResourceError, match=name):
        open_gazetteer(_settings(tmp_path, places))


def test_missing_user_places_file(tmp_path: Path) -> None:
    with pytest.raises(ResourceError, match="cannot be read"):
        open_gazetteer(_settings(tmp_path, tmp_path / "absent.csv"))
