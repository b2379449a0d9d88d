"""Every route × role × subtree: what each user of the builders' world gets, read and write, page and API.

The case lives in branch B1 (under committee C1, county 410402). officer3 and reviewer2 hold the same
roles in the other committee's subtree (C2); upper1 and supervisor1 sit at the county, admin1 at the
province. `None` is a visitor who has not logged in.

Every test starts from a world with that case and one in B3 (under C2) opened today, built once a session. The
tests that only read share one copy of it and one logged-in client per user (`reads_only`); a test that fires
a transition works on a copy of its own.
"""
from __future__ import annotations

import pytest

from lostcontact.queries.cases import show_case
from tests.web.conftest import TODAY

USERS = ["officer1", "officer3", "reviewer1", "reviewer2", "upper1", "supervisor1", "admin1", None]


def expect(default_in: int, *, anonymous: int, **others: int) -> dict:
    """Status per user: `others` by login, `anonymous` for None, `default_in` for the rest."""
    return {user: others.get(user, default_in) if user else anonymous for user in USERS}


def open_the_cases(world) -> dict[str, int]:
    """张三's case in B1 (under C1), opened today by officer1, and 李四's in B3 (under C2) by officer3."""
    return {"B1": world.open_case_in("B1", today=TODAY), "B3": world.open_case_in("B3", today=TODAY)}


@pytest.fixture
def world_built_with():
    return open_the_cases


@pytest.fixture
def b1_case(world_built) -> int:
    return world_built["B1"]


@pytest.fixture
def b3_case(world_built) -> int:
    return world_built["B3"]


IN_B1 = dict(officer3=403, reviewer2=403)          # everyone but the other subtree sees B1
IN_C1 = dict(officer1=403, officer3=403, reviewer2=403)

PAGES = [
    ("/queue", expect(200, anonymous=303)),
    ("/cases/{case}", expect(200, anonymous=303, **IN_B1)),
    ("/alerts", expect(200, anonymous=303)),
    ("/alerts?org=B1", expect(200, anonymous=303, **IN_B1)),
    ("/alerts?org=C1", expect(200, anonymous=303, **IN_C1)),
    ("/tally", expect(200, anonymous=303)),
    ("/tally?org=C1", expect(200, anonymous=303, **IN_C1)),
    ("/admin/users", expect(403, anonymous=303, admin1=200)),
    ("/cases/{case}/record", expect(200, anonymous=303, **IN_B1)),
    ("/registers/found?org=C1", expect(200, anonymous=303, **IN_C1)),
    ("/registers/roster?org=B1&format=xlsx", expect(200, anonymous=303, **IN_B1)),
    ("/registers/member-info?org=B1", expect(200, anonymous=303, **IN_B1)),
    ("/registers/mobile-summary?org=C1&format=xlsx", expect(200, anonymous=303, **IN_C1)),
    ("/tally/download/csv?org=C1", expect(200, anonymous=303, **IN_C1)),
]

API_READS = [
    ("/api/me", expect(200, anonymous=401)),
    ("/api/queue", expect(200, anonymous=401)),
    ("/api/cases", expect(200, anonymous=401)),
    ("/api/cases?org=B1", expect(200, anonymous=401, **IN_B1)),
    ("/api/cases/{case}", expect(200, anonymous=401, **IN_B1)),
    ("/api/cases/{case}/actions", expect(200, anonymous=401, **IN_B1)),
    ("/api/alerts?org=B1", expect(200, anonymous=401, **IN_B1)),
    ("/api/overdue?org=C1", expect(200, anonymous=401, **IN_C1)),
    ("/api/tally?org=C1", expect(200, anonymous=401, **IN_C1)),
]

# Who may fire what on the B1 case in `lost_contact` (DOMAIN.md §6 role column, §6.1 subtrees).
WRITES = [
    ("start_search", {}, "searching", {"officer1"}),
    ("void", {"opinion": "立案对象错误"}, "voided", {"reviewer1"}),
    ("confirm_death", {}, "deceased", {"officer1", "reviewer1"}),
]


def _cases(table):
    return [(path, user, status) for path, statuses in table for user, status in statuses.items()]


@pytest.mark.reads_only
@pytest.mark.parametrize("path,user,status", _cases(PAGES))
def test_a_page_answers_each_user_as_their_grants_allow(browser_as, b1_case, path, user, status):
    response = browser_as(user).client.get(path.format(case=b1_case))
    assert response.status_code == status, response.text[:500]
    if status == 303:
        assert response.headers["location"].startswith("/login?next=")


@pytest.mark.reads_only
@pytest.mark.parametrize("path,user,status", _cases(API_READS))
def test_an_api_read_answers_each_user_as_their_grants_allow(app, api_token, b1_case, path, user, status):
    from fastapi.testclient import TestClient
    headers = api_token(user) if user else {}
    response = TestClient(app).get(path.format(case=b1_case), headers=headers)
    assert response.status_code == status, response.text[:500]
    if status == 403:
        assert "授权范围" in response.json()["error"]["zh"] or "只有" in response.json()["error"]["zh"]


def _state(db, case_id):
    return show_case(db, case_id, today=TODAY)["state"]


@pytest.mark.parametrize("trigger,fields,target,allowed", WRITES)
@pytest.mark.parametrize("user", USERS)
def test_a_form_fires_only_for_a_user_with_the_role_over_the_branch(world, browser_as, b1_case, trigger, fields,
                                                                    target, allowed, user):
    visitor = browser_as(user)
    token = visitor.csrf() if user else "none"
    response = visitor.client.post(f"/cases/{b1_case}/fire",
                                   data={"csrf_token": token, "trigger": trigger, "version": 1, **fields})
    if user in allowed:
        assert response.status_code == 303 and response.headers["location"] == f"/cases/{b1_case}"
        assert _state(world.db, b1_case) == target
    else:
        assert response.status_code == (303 if user is None else 403)
        assert _state(world.db, b1_case) == "lost_contact"


@pytest.mark.parametrize("trigger,fields,target,allowed", WRITES)
@pytest.mark.parametrize("user", USERS)
def test_an_api_call_fires_only_for_a_user_with_the_role_over_the_branch(world, app, api_token, b1_case, trigger,
                                                                         fields, target, allowed, user):
    from fastapi.testclient import TestClient
    headers = api_token(user) if user else {}
    response = TestClient(app).post(f"/api/cases/{b1_case}/fire", headers=headers,
                                    json={"trigger": trigger, "expected_version": 1, **fields})
    if user in allowed:
        assert response.status_code == 200, response.text
        assert response.json()["to"] == target
    else:
        assert response.status_code == (401 if user is None else 403)
        assert _state(world.db, b1_case) == "lost_contact"


@pytest.mark.reads_only
@pytest.mark.parametrize("user,sees", [("officer1", True), ("officer3", False), ("reviewer2", False),
                                       ("supervisor1", True), ("admin1", True)])
def test_a_case_list_holds_only_cases_of_the_users_subtrees(app, api_token, b1_case, b3_case, user, sees):
    from fastapi.testclient import TestClient
    ids = {row["id"] for row in TestClient(app).get("/api/cases", headers=api_token(user)).json()}
    assert (b1_case in ids) is sees


@pytest.mark.reads_only
@pytest.mark.parametrize("user,full", [("officer1", True), ("admin1", True), ("reviewer1", False),
                                       ("upper1", False), ("supervisor1", False)])
def test_the_full_id_number_shows_only_to_the_branch_officer_and_an_admin(world, browser_as, b1_case, user, full):
    page = browser_as(user).client.get(f"/cases/{b1_case}").text
    id_number = world.members["张三"]
    assert (id_number in page) is full
    assert (id_number[:6] + "********" + id_number[-4:] in page) is not full


def test_a_refusal_names_the_user_by_name_and_one_without_a_name_by_login_marked_so(world, app, api_token):
    from fastapi.testclient import TestClient

    from lostcontact.permissions import Actor, top_grant
    from lostcontact.queries.tally.read import tally_root
    from lostcontact.services import auth
    from lostcontact.services.users import add_user
    from lostcontact.uow import UnitOfWork
    from statemachines.errors import Refused
    from tests.web.conftest import PASSWORD

    add_user(world.db, "wangxm", role="branch_officer", org_code="B1", name="王小明")
    auth.set_password(world.db, "wangxm", PASSWORD)
    client = TestClient(app)
    refused = client.get("/api/tally", params={"org": "C2"}, headers=api_token("wangxm"))
    assert refused.status_code == 403
    assert refused.json()["error"]["zh"] == "组织 C2 不在王小明的授权范围内"
    assert "wangxm" in refused.json()["error"]["en"]  # the English sentence keeps the login --actor takes
    unnamed = client.get("/api/tally", params={"org": "C2"}, headers=api_token("officer1"))
    assert unnamed.json()["error"]["zh"] == "组织 C2 不在officer1（未填姓名）的授权范围内"

    nobody = Actor("wangxm", (), "王小明")  # a user whose grants were all taken back by hand
    with pytest.raises(Refused) as no_grant:
        top_grant(nobody)
    assert no_grant.value.zh == "王小明没有任何授权"
    with UnitOfWork(world.db, write=False) as uow, pytest.raises(Refused) as no_grant:
        tally_root(uow.session, nobody, None)
    assert no_grant.value.zh == "王小明没有任何授权，看不到任何组织"
