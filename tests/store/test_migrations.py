"""The Alembic migrations build the declared schema, and upgrade a 0001 database with data."""

from __future__ import annotations

import datetime as dt
from importlib import resources
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory

from dateline.models import Rejected
from dateline.store import Store, normalise_url, schema
from dateline.store.clusters import read_clusters
from dateline.store.schema import metadata

from ..factories import make_record
from ..link.reports import market_shelling_reports


def _config(connection: sa.Connection) -> Config:
    config = Config()
    config.set_main_option(
        "script_location", str(resources.files("dateline.store").joinpath("migrations"))
    )
    config.attributes["connection"] = connection
    return config


def _head() -> str:
    with sa.create_engine("sqlite://").connect() as connection:
        head = ScriptDirectory.from_config(_config(connection)).get_current_head()
    assert head is not None
    return head


def test_migrated_database_matches_the_declared_schema(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'm.sqlite'}"
    Store(url).close()
    engine = sa.create_engine(url)
    with engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), metadata)
    assert diff == []
    with engine.connect() as connection:
        version = connection.execute(
            sa.text("SELECT version_num FROM alembic_version")
        ).scalar_one()
    assert version == _head()


def test_opening_twice_does_not_migrate_again(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'm.sqlite'}"
    Store(url).close()
    Store(url).close()


def _first_release_with_data(url: str) -> str:
    """A database at revision 0001 (the first release) holding one document and one failure."""
    engine = sa.create_engine(normalise_url(url))
    record = make_record()
    document = record.document
    with engine.begin() as connection:
        command.upgrade(_config(connection), "0001")
        tables = sa.MetaData()
        tables.reflect(connection)
        connection.execute(
            tables.tables["documents"]
            .insert()
            .values(
                id=document.id,
                content_hash=document.content_hash,
                title=document.title,
                origin="old.txt",
                reference_date=document.reference_date,
                text=document.text,
                record=record.model_dump(mode="json"),
                created_at=dt.datetime(2024, 1, 1, tzinfo=dt.UTC),
            )
        )
        connection.execute(
            tables.tables["failures"]
            .insert()
            .values(
                origin="broken.txt",
                stage="ingest",
                code="E103",
                reason="not valid utf-8",
                created_at=dt.datetime(2024, 1, 1, tzinfo=dt.UTC),
            )
        )
    engine.dispose()
    return document.id


def _check_upgraded(url: str, doc_id: str) -> None:
    with Store(url) as store:
        assert store.get(doc_id) == make_record()
        assert store.count()["documents"] == 1
        (old,) = store.failures()
        assert (old.origin, old.code, old.attempts, old.is_open) == ("broken.txt", "E103", 1, True)
        again = store.add_failure(
            Rejected(origin="broken.txt", stage="ingest", code="E103", reason="still bad")
        )
        assert (again.id, again.attempts, again.reason) == (old.id, 2, "still bad")
    with sa.create_engine(normalise_url(url)).connect() as connection:
        version = connection.execute(
            sa.text("SELECT version_num FROM alembic_version")
        ).scalar_one()
    assert version == _head()


def test_first_release_upgrades_to_head_with_data_kept(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'old.sqlite'}"
    _check_upgraded(url, _first_release_with_data(url))


@pytest.mark.postgres
def test_first_release_upgrades_to_head_on_postgres(pg_url: str) -> None:
    _check_upgraded(pg_url, _first_release_with_data(pg_url))


def test_downgrade_to_first_release_and_back(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'm.sqlite'}"
    Store(url).close()
    engine = sa.create_engine(url)
    with engine.begin() as connection:
        command.downgrade(_config(connection), "0001")
    with engine.begin() as connection:
        assert "attempts" not in {c["name"] for c in sa.inspect(connection).get_columns("failures")}
    Store(url).close()
    with engine.connect() as connection:
        assert "attempts" in {c["name"] for c in sa.inspect(connection).get_columns("failures")}


def test_upgrade_fills_link_data_so_stored_events_stay_candidates(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'm.sqlite'}"
    market = market_shelling_reports()
    with Store(url) as store:
        for record in market[:2]:
            store.add(record)
    engine = sa.create_engine(url)
    with engine.begin() as connection:
        command.downgrade(_config(connection), "0002_clusters")
        assert "link_events" not in sa.inspect(connection).get_table_names()
    engine.dispose()
    with Store(url) as store:
        with store.engine.connect() as connection:
            filled = connection.execute(
                sa.select(schema.link_events.c.event_id).order_by(schema.link_events.c.event_id)
            ).scalars()
            assert list(filled) == sorted(r.events[0].id for r in market[:2])
        store.add(market[2])
        with store.engine.connect() as connection:
            (cluster,) = read_clusters(connection)
    assert cluster.event_count == 3
