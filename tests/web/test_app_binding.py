"""An app built once serves one database after another (lostcontact.web.app.bind, what the web tests' worker
app does between tests): once bound to another database it answers from that one only, and its sessions of
the first are not logins there."""
from __future__ import annotations

from lostcontact.services import auth
from lostcontact.web.app import routed_app
from tests.web.conftest import Browser, bound_to, open_world

OTHER_PASSWORD = "another-horse-77"


def test_an_app_bound_to_another_database_answers_from_that_one_only(world, clock, world_file, world_snapshot,
                                                                      tmp_path):
    other = open_world(world_file, None, world_snapshot, tmp_path / "other.db")
    try:
        auth.set_password(other.db, "officer1", OTHER_PASSWORD)
        app = bound_to(routed_app(), world, clock)
        first = Browser(app)
        assert first.login("officer1").status_code == 303
        assert first.client.get("/queue").status_code == 200

        bound_to(app, other, clock)
        assert first.client.get("/queue").status_code == 303  # its session is a row of the first database
        assert Browser(app).login("officer1").status_code == 401  # not this database's password
        second = Browser(app)
        assert second.login("officer1", OTHER_PASSWORD).status_code == 303
        assert second.client.get("/queue").status_code == 200
    finally:
        other.db.dispose()
