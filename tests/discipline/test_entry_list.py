"""The register's entry list (纪检登记 · 登记 and `discipline entries`), filtered and paged by the database: an
entry's state on a day is its history's latest record on or before it; a page is the whole list's slice, in
the same order, whichever way the database reads it; the total is counted up to 1,000; a reader never sees
nor counts an entry outside their subtrees; the command line's JSON is the same bytes as one list's."""
from __future__ import annotations

import json
from datetime import date, timedelta
from unittest import mock

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st
from sqlalchemy import select

from lostcontact.queries import discipline as queries
from lostcontact.queries.discipline import entries_page, list_entries
from lostcontact.services.discipline.register import add_entry, fire_entry
from models import DisciplineEntry, DisciplineEvent, Org
from statemachines.discipline import register as machine
from statemachines.discipline.codes import STATES, TRIGGERS
from statemachines.errors import BadInput, Refused

from ..builders import make_id_number
from .conftest import TODAY

FIRST_DAY = date(2022, 6, 1)
CASE_FILED = dict(case_filed_by="区纪委监委", whereabouts="abroad")
# (reader, org typed): discipline1 reads 410402's subtree (B1 and B2 under C1, B3 under C2), discipline2 C2's
VIEWS = [("discipline1", None), ("discipline1", "C1"), ("discipline1", "GB1"), ("discipline1", "B3"),
         ("discipline2", None), ("discipline2", "B3")]
ROOTS = {"discipline1": "410402", "discipline2": "C2"}


def make_entry(register, org: str, category: str, opened_on: date, ending: tuple[str, int] | None = None) -> int:
    """A new person of `org` entered on `opened_on` (lost or fled a month before), ended `ending[1]` days later."""
    number = register.person(f"人员{register.serial + 1}", org=org, actor="cadre2" if org == "B3" else "cadre1",
                             person_type=None, at=date(2022, 1, 3))
    since = opened_on - timedelta(days=30)
    fled = dict(CASE_FILED, case_filed_on=since - timedelta(days=10)) if category == "fled" else {}
    entry = add_entry(register.db, number, category, since_on=since, recontact_on=opened_on,
                      recontact_note="再次联系未果", actor_login="discipline1", today=TODAY, at=opened_on, **fled).id
    if ending is not None:
        trigger, after = ending
        fire_entry(register.db, entry, trigger, actor_login="discipline1", today=TODAY, note="办结",
                   at=min(TODAY, opened_on + timedelta(days=after)))
    return entry


def by_the_history(db, reader: str, org_code: str | None, day: date, category: str | None = None,
                   state: str | None = None) -> list[tuple]:
    """(id, state, ended_on) of the list as the register's rule says, from the histories themselves: made by the
    day in the reader's subtree (and the org's), the state its latest record on or before the day, by opening
    day then number."""
    with db.engine.connect() as conn:
        paths = dict(conn.execute(select(Org.code, Org.path)).all())
        entries = conn.execute(select(DisciplineEntry.id, DisciplineEntry.category, DisciplineEntry.opened_on,
                                      Org.path).join(Org, Org.id == DisciplineEntry.org_id)).all()
        latest: dict[int, tuple[str, date]] = {}
        for entry_id, to_state, on in conn.execute(
                select(DisciplineEvent.entry_id, DisciplineEvent.to_state, DisciplineEvent.effective_on)
                .where(DisciplineEvent.effective_on <= day).order_by(DisciplineEvent.entry_id, DisciplineEvent.seq)):
            latest[entry_id] = (to_state, on)
    roots = [paths[ROOTS[reader]]] + ([paths[org_code]] if org_code else [])
    listed = []
    for entry_id, entry_category, opened_on, path in sorted(entries, key=lambda e: (e.opened_on, e.id)):
        if opened_on > day or not all(path.startswith(root) for root in roots):
            continue
        on_the_day, since = latest[entry_id]
        if category in (None, entry_category) and state in (None, on_the_day):
            listed.append((entry_id, on_the_day, None if on_the_day == "open" else since.isoformat()))
    return listed


def shown(rows) -> list[tuple]:
    return [(r["id"], r["state"], r["ended_on"]) for r in rows]


def test_no_step_leads_out_of_an_ended_state_the_rule_the_list_reads_on_the_entry_s_row():
    """The list reads an entry's state on a day from its own row (the ending's state from the ending's day): that is
    its history's latest record only because an ended entry takes no further step."""
    for state in STATES.keys() - {"open"}:
        for trigger in TRIGGERS:
            entry = machine.Entry(state, "absconded", date(2024, 1, 2), date(2024, 3, 1))
            with pytest.raises(Refused):
                machine.fire(entry, trigger, machine.EntryContext(date(2024, 6, 1), "说明"))


def test_the_state_filter_reads_the_state_on_the_day_asked_for(register):
    found = make_entry(register, "B1", "absconded", date(2024, 3, 1), ("find", 92))       # found on 1 June
    still_open = make_entry(register, "B3", "fled", date(2024, 4, 1))
    revoked_early = make_entry(register, "B2", "absconded", date(2023, 2, 1), ("revoke", 0))
    for day in (date(2023, 1, 31), date(2023, 2, 1), date(2024, 2, 29), date(2024, 3, 1), date(2024, 5, 31),
                date(2024, 6, 1), TODAY):                                     # each day something changed, the eve
        for state in (None, *STATES):
            listed = list_entries(register.db, actor_login="discipline1", today=TODAY, as_of=day, state=state)
            assert shown(listed) == by_the_history(register.db, "discipline1", None, day, None, state)

    def ids(day, state):
        return [r["id"] for r in entries_page(register.db, actor_login="discipline1", today=TODAY, as_of=day,
                                              state=state, per_page=50).rows]
    assert ids(date(2024, 5, 31), "open") == [found, still_open]
    assert ids(date(2024, 5, 31), "found") == []
    assert ids(TODAY, "open") == [still_open]
    assert ids(TODAY, "found") == [found]
    assert ids(date(2023, 2, 1), "revoked") == [revoked_early]                            # revoked the day it was made
    assert ids(date(2023, 1, 31), None) == []                                             # nothing made yet


def test_a_reader_neither_sees_nor_counts_the_entries_outside_their_subtree_however_the_list_is_read(register):
    outside = [make_entry(register, org, "absconded", date(2024, 1, 2 + i)) for i, org in enumerate(("B1", "B2"))]
    inside = [make_entry(register, "B3", category, date(2024, 2, 1)) for category in ("absconded", "fled")]
    for cap in (1000, 1):                 # under the cap the scope's orgs are read; past it the register walked
        with mock.patch.object(queries, "COUNT_CAP", cap):
            page = entries_page(register.db, actor_login="discipline2", today=TODAY, per_page=50)
        assert [r["id"] for r in page.rows] == inside
        assert (int(page.total), page.total.capped) == (min(2, cap), cap < 2)
        assert not set(outside) & {r["id"] for r in page.rows}
    with pytest.raises(BadInput):         # an org outside the subtree reads as an unknown one, before any row
        list_entries(register.db, actor_login="discipline2", today=TODAY, org_code="B1")


def test_past_the_cap_the_total_reads_1000_plus_and_a_page_past_the_last_offered_is_that_last_one(register):
    made = [make_entry(register, "B1", "absconded", date(2024, 1, 2) + timedelta(days=i)) for i in range(5)]
    with mock.patch.object(queries, "COUNT_CAP", 3):
        page = entries_page(register.db, actor_login="discipline1", today=TODAY, page=99, per_page=2)
    assert (str(page.total), page.page, page.pages) == ("3+", 2, 2)
    assert [r["id"] for r in page.rows] == made[2:4]
    whole = entries_page(register.db, actor_login="discipline1", today=TODAY, page=99, per_page=2)
    assert (str(whole.total), whole.page, [r["id"] for r in whole.rows]) == ("5", 3, made[4:])


# the day: any, or one an entry made was made or ended on, or the eve of it (k, ended, eve)
readers_and_days = st.tuples(st.sampled_from(VIEWS), st.sampled_from([None, "absconded", "fled"]),
                             st.sampled_from([None, *STATES]),
                             st.dates(min_value=FIRST_DAY - timedelta(days=5), max_value=TODAY)
                             | st.tuples(st.integers(0, 6), st.booleans(), st.booleans()))
entries_made = st.lists(st.tuples(st.sampled_from(["B1", "B2", "B3"]), st.sampled_from(["absconded", "fled"]),
                                  st.integers(0, 600),
                                  st.none() | st.tuples(st.sampled_from(["find", "return", "decease", "revoke"]),
                                                        st.integers(0, 200))),
                        min_size=1, max_size=7)


@pytest.mark.slow
@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(made=entries_made, views=st.lists(readers_and_days, min_size=1, max_size=3), per_page=st.integers(1, 4),
       cap=st.sampled_from([2, 5, 1000]))
def test_every_page_is_the_whole_list_s_slice_with_each_entry_s_state_on_the_day_by_its_history(
        register, made, views, per_page, cap):
    changes = []
    for org, category, days, ending in made:
        opened_on = FIRST_DAY + timedelta(days=days)
        make_entry(register, org, category, opened_on, ending)
        changes.append((opened_on, min(TODAY, opened_on + timedelta(days=ending[1])) if ending else opened_on))
    for (reader, org_code), category, state, day in views:
        if isinstance(day, tuple):
            k, ended, eve = day
            day = changes[k % len(changes)][ended] - timedelta(days=eve)
        whole = list_entries(register.db, actor_login=reader, today=TODAY, as_of=day, org_code=org_code,
                             category=category, state=state)
        assert shown(whole) == by_the_history(register.db, reader, org_code, day, category, state)
        counted = min(len(whole), cap)
        pages = max(1, -(-counted // per_page))
        with mock.patch.object(queries, "COUNT_CAP", cap):
            for number in sorted({1, 2, 3, pages - 1, pages, pages + 1} - {0}):  # past the last: the last again
                page = entries_page(register.db, actor_login=reader, today=TODAY, as_of=day, org_code=org_code,
                                    category=category, state=state, page=number, per_page=per_page)
                at = min(number, pages)
                assert (page.page, page.pages, int(page.total), page.total.capped) == \
                    (at, pages, counted, len(whole) > cap)
                assert page.rows == whole[(at - 1) * per_page:at * per_page]


def test_the_command_line_s_json_is_one_list_s_bytes_written_a_row_at_a_time(cli):
    assert cli("discipline", "entries", "--actor", "discipline1", "--format", "json").stdout == "[]\n"
    for serial, org, actor in ((801, "B1", "cadre1"), (802, "B3", "cadre2")):
        number = make_id_number(serial)
        assert cli("person", "add", number, "--name", f"人员{serial}", "--org", org, "--rank", "staff", "--at",
                   "2024-01-02", "--actor", actor).exit_code == 0
        assert cli("discipline", "add", number, "--category", "absconded", "--since", "2024-02-01",
                   "--recontact-on", "2024-05-06", "--recontact-note", "能联系上，不掌握具体情况", "--at",
                   "2024-05-06", "--actor", "discipline1").exit_code == 0
    written = cli("discipline", "entries", "--actor", "discipline1", "--format", "json").stdout
    rows = json.loads(written)
    assert [r["person_name"] for r in rows] == ["人员801", "人员802"]
    assert written == json.dumps(rows, ensure_ascii=False, indent=2) + "\n"
