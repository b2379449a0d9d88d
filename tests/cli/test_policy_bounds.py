"""Every number of a policy has sane bounds (docs/policy.md): `policy load` refuses a file outside them whole
(exit 4, naming the key), and a version stored before the bounds existed never stops a transition or a sweep."""
import re
from datetime import date

import pytest
from sqlalchemy import func, select

from models import PolicyVersion
from models.db import open_database
from statemachines.policy import default_policy_text

from ..builders import World


@pytest.fixture
def database(cli, builders_world):
    database = open_database(cli.url)
    yield database
    database.dispose()


def with_value(key: str, value: str) -> str:
    text, count = re.subn(rf"^{key} = .*$", f"{key} = {value}", default_policy_text(), count=1, flags=re.M)
    assert count == 1, key
    return text.replace('version = "default-1"', 'version = "hostile-1"')


def versions(database) -> int:
    with database.engine.connect() as conn:
        return conn.scalar(select(func.count()).select_from(PolicyVersion))


OUT_OF_BOUNDS = [("searching", "3000000"), ("lost_contact", "0"), ("upper_approval", "251"),
                 ("reminder_lead_working_days", "61"), ("escalation_lag_working_days", "-1"),
                 ("suspension_window", "100000"), ("early_warning", "0"), ("majority_denominator", "0"),
                 ("majority_numerator", "2"), ("majority_denominator", "1000000")]


@pytest.mark.parametrize(("key", "value"), OUT_OF_BOUNDS)
def test_a_policy_with_a_number_out_of_bounds_is_refused_whole(cli, database, tmp_path, key, value):
    path = tmp_path / "policy.toml"
    path.write_text(with_value(key, value), encoding="utf-8")
    before = versions(database)
    result = cli("policy", "load", path, "--actor", "admin1")
    assert result.exit_code == 4, result.output
    assert key in result.output and "策略文件" in result.output and "policy file" in result.output
    assert versions(database) == before


def test_numbers_at_their_bounds_load(cli, database, tmp_path):
    text = with_value("searching", "250").replace("suspension_window = 24", "suspension_window = 120")
    path = tmp_path / "policy.toml"
    path.write_text(text, encoding="utf-8")
    assert cli("policy", "load", path, "--actor", "admin1").exit_code == 0


def test_a_stored_version_outside_the_bounds_never_stops_a_transition_or_the_sweep(cli, database, monkeypatch):
    monkeypatch.delenv("PREFECT_API_URL", raising=False)
    number = World(database).add_member("张三", last_contact=date(2015, 8, 31))
    with database.engine.begin() as conn:  # as a release without the bounds stored it
        conn.execute(PolicyVersion.__table__.insert().values(
            version="hostile-1", effective_from=date(2000, 1, 1), body=with_value("searching", "3000000"),
            loaded_by="admin1"))
    opened = cli("case", "open", number, "--cause", "1", "--at", "2016-03-01", "--actor", "officer1")
    assert opened.exit_code == 0, opened.output
    case_id = opened.stdout.strip().rsplit(" ", 1)[-1]
    fired = cli("case", "fire", case_id, "start_search", "--at", "2016-03-02", "--actor", "officer1")
    assert fired.exit_code == 0, fired.output
    swept = cli("sweep", "--as-of", "2016-03-03")
    assert swept.exit_code == 0, swept.output
    shown = cli("policy", "show", "--format", "json")
    assert '"current": "default-1"' in shown.stdout
