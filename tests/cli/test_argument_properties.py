"""Whatever is typed as a command's arguments — any text, number or date — the command ends with exit 0, 2, 3
or 4, never 1 (an internal error), and a refusal writes nothing (every table's row count unchanged).
Seeded and bounded, so a failure reproduces; in the slow tier."""
from __future__ import annotations

from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from models.db import open_database

from ..importing.conftest import table_counts

text = st.text(max_size=60)
number = st.one_of(st.sampled_from(["1", "0", "2147483648", "9223372036854775808", "18446744073709551616",
                                    "9" * 5000]),
                   st.integers(min_value=-2 ** 70, max_value=2 ** 70).map(str))
day = st.one_of(st.dates().map(date.isoformat), st.dates().map(lambda d: d.strftime("%Y%m%d")),
                st.sampled_from(["2016-W15-2", "2016-103", "2016-02-30", "1460419200"]), text)
anything = st.one_of(text, number, day)
ACTORS = st.sampled_from(["officer1", "reviewer1", "admin1", "nobody", "x" * 100])
TRIGGERS = st.one_of(st.sampled_from(["start_search", "reach", "exhaust", "void", "resolve", "submit"]), text)

COMMANDS = st.one_of(
    st.tuples(st.just("case"), st.just("show"), number),
    st.tuples(st.just("case"), st.just("fire"), number, TRIGGERS, st.just("--at"), day, st.just("--actor"), ACTORS),
    st.tuples(st.just("case"), st.just("fire"), st.just("1"), TRIGGERS, st.just("--opinion"), text,
              st.just("--actor"), ACTORS),
    st.tuples(st.just("case"), st.just("log"), st.just("1"), st.just("--channel"), anything, st.just("--outcome"),
              anything, st.just("--witness"), st.text(max_size=300), st.just("--at"), day, st.just("--actor"), ACTORS),
    st.tuples(st.just("case"), st.just("open"), anything, st.just("--cause"), number, st.just("--at"), day,
              st.just("--actor"), ACTORS),
    st.tuples(st.just("cases"), st.just("--as-of"), day),
    st.tuples(st.just("tally"), st.just("--org"), anything, st.just("--as-of"), day),
    st.tuples(st.just("render"), st.just("record"), number),
    st.tuples(st.just("alerts"), st.just("--org"), anything, st.just("--as-of"), day),
    st.tuples(st.just("member"), st.just("transfer"), anything, st.just("--to"), st.one_of(
        st.sampled_from(["B1", "B2", "B3", "C1"]), anything), st.just("--at"), day, st.just("--actor"), ACTORS),
)


@pytest.fixture
def database(cli, zhang_san):
    database = open_database(cli.url)
    assert cli("case", "open", zhang_san, "--cause", "1", "--at", "2016-03-01", "--actor", "officer1").exit_code == 0
    yield database
    database.dispose()


@pytest.fixture
def counted() -> dict:
    """Every table's row count as a refusal left it: the next command starts from the same counts (the
    examples share one database), so they are counted again only after a command that did something."""
    return {}


def _refusal_changes_nothing(cli, database, counted, args) -> None:
    before = counted.pop("rows", None) or table_counts(database)
    result = cli(*args)
    assert result.exit_code in (0, 2, 3, 4), (args, result.output[-500:])
    assert "internal error" not in result.output, (args, result.output[-500:])
    if result.exit_code != 0:
        after = table_counts(database)
        assert after == before, args
        counted["rows"] = after


@pytest.mark.slow
@settings(max_examples=150, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(args=COMMANDS)
def test_any_arguments_end_in_a_documented_exit_code_and_a_refusal_writes_nothing(cli, database, counted, args):
    _refusal_changes_nothing(cli, database, counted, args)
