from datetime import date
from pathlib import Path

import pytest

from lostcontact import storage as storage_module
from lostcontact.storage import BUCKET_ENV, DIR_ENV, ENDPOINT_ENV

from ..builders import build_world
from ..conftest import built_on

TODAY = date(2016, 6, 20)


@pytest.fixture
def world(db, sqlite_snapshot):
    """The builders' world in the test's `db` (on SQLite a copy of the session's build)."""
    return built_on(db, sqlite_snapshot, "builders-world", build_world)


@pytest.fixture
def files(tmp_path, monkeypatch) -> Path:
    """The attachment folder, configured as an installation would (LOSTCONTACT_ATTACHMENTS_DIR)."""
    folder = tmp_path / "attachments"
    monkeypatch.setenv(DIR_ENV, str(folder))
    return folder


def build_b1_case_world(db):
    """The builders' world and B1's case (the b1_case fixture's), for a module sharing one world."""
    world = build_world(db)
    world.open_case_in("B1", today=TODAY)
    return world


@pytest.fixture
def b1_case(world) -> int:
    """A case of branch B1 (under C1), opened today by officer1."""
    return world.open_case_in("B1", today=TODAY)


@pytest.fixture
def b3_case(world) -> int:
    """A case of the other committee's subtree (B3 under C2)."""
    return world.open_case_in("B3", today=TODAY)


def stored_files(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file()] if folder.exists() else []


@pytest.fixture
def bucket(monkeypatch):
    """moto's in-process S3 with one bucket, configured through the environment as a deployment would be."""
    moto = pytest.importorskip("moto")
    for name, value in (("AWS_ACCESS_KEY_ID", "testing"), ("AWS_SECRET_ACCESS_KEY", "testing"),
                        ("AWS_DEFAULT_REGION", "us-east-1")):
        monkeypatch.setenv(name, value)
    monkeypatch.delenv(ENDPOINT_ENV, raising=False)
    monkeypatch.delenv(DIR_ENV, raising=False)
    storage_module._bucket.cache_clear()
    with moto.mock_aws():
        import boto3
        boto3.client("s3").create_bucket(Bucket="lostcontact-evidence")
        monkeypatch.setenv(BUCKET_ENV, "lostcontact-evidence")
        yield boto3.client("s3")
    storage_module._bucket.cache_clear()
