"""`--at`, `--as-of` and every other date option take only YYYY-MM-DD (exit 2 otherwise, nothing changed):
Python's fromisoformat would take 20160412 or 2016-W15-2 and change a case."""
import pytest
from sqlalchemy import func, select

from models import Case
from models.db import open_database

NOT_DATES = ["20160412", "2016-W15-2", "2016-103", "2016-04-12T00:00", "2016-4-12", "２０１６-04-12"]


@pytest.fixture
def database(cli, zhang_san):
    database = open_database(cli.url)
    yield database
    database.dispose()


@pytest.mark.parametrize("value", NOT_DATES)
def test_a_date_option_not_written_yyyy_mm_dd_is_a_usage_error(cli, zhang_san, database, value):
    result = cli("case", "open", zhang_san, "--cause", "1", "--at", value, "--actor", "officer1")
    assert result.exit_code == 2, result.output
    assert "YYYY-MM-DD" in result.output
    with database.engine.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(Case)) == 0
    assert cli("tally", "--as-of", value).exit_code == 2
