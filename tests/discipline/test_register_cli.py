"""The register on the command line: a discipline officer lists candidates, makes and ends entries; tables in
Chinese, JSON in English ids, numbers masked; refusals exit 3, unknown or outside exit 4."""
from __future__ import annotations

from ..builders import make_id_number

NUMBER = make_id_number(701)


def test_candidates_entries_and_their_ending(cli):
    assert cli("person", "add", NUMBER, "--name", "张三", "--org", "B1", "--rank", "staff", "--at", "2024-01-02",
               "--actor", "cadre1").exit_code == 0
    assert cli("discipline", "unit-contact", NUMBER, "--on", "2024-01-05", "--actor", "cadre1").exit_code == 0
    table = cli("discipline", "candidates", "--as-of", "2024-05-06", "--actor", "discipline1").stdout
    assert "张三" in table and "单位" in table and NUMBER not in table
    missing = cli("discipline", "add", NUMBER, "--category", "lost", "--since", "2024-01-05", "--recontact-on",
                  "2024-05-06", "--actor", "discipline1")
    assert missing.exit_code == 2  # --recontact-note is required
    made = cli("discipline", "add", NUMBER, "--category", "lost", "--since", "2024-01-05", "--recontact-on",
               "2024-05-06", "--recontact-note", "电话、走访均未联系上", "--at", "2024-05-06", "--actor", "discipline1")
    assert made.exit_code == 0, made.output
    [entry] = cli.json("discipline", "entries", "--actor", "discipline1", "--format", "json")
    assert (entry["category"], entry["state"], entry["since_on"]) == ("lost", "open", "2024-01-05")
    again = cli("discipline", "add", NUMBER, "--category", "lost", "--since", "2024-01-05", "--recontact-on",
                "2024-05-06", "--recontact-note", "再次登记", "--actor", "discipline1")
    assert again.exit_code == 3 and "已有在册的失联登记" in again.stderr
    shown = cli("discipline", "show", str(entry["id"]), "--actor", "discipline1").stdout
    assert "失联" in shown and "电话、走访均未联系上" in shown and "discipline1（未填姓名）" in shown
    found = cli("discipline", "find", str(entry["id"]), "--at", "2024-06-01", "--actor", "discipline1")
    assert found.exit_code == 0 and "已取得联系" in found.stdout
    assert cli("discipline", "entries", "--state", "nonsense", "--actor", "discipline1").exit_code == 2


def test_an_entry_outside_the_subtree_exits_4_like_an_unknown_one(cli):
    from lostcontact.services.users import add_user
    from models.db import open_database

    database = open_database(cli.url)
    add_user(database, "discipline2", role="discipline_officer", org_code="C2")
    database.dispose()
    assert cli("person", "add", NUMBER, "--name", "李四", "--org", "B1", "--rank", "staff", "--at", "2024-01-02",
               "--actor", "cadre1").exit_code == 0
    assert cli("discipline", "add", NUMBER, "--category", "absconded", "--since", "2024-03-01", "--recontact-on",
               "2024-05-06", "--recontact-note", "能联系上但不掌握去向", "--actor", "discipline1").exit_code == 0
    outside = cli("discipline", "find", "1", "--actor", "discipline2")
    unknown = cli("discipline", "find", "77", "--actor", "discipline2")
    assert outside.exit_code == unknown.exit_code == 4
    assert outside.stderr.replace(" 1 ", " N ") == unknown.stderr.replace(" 77 ", " N ")


def test_risks_on_the_command_line_in_words(cli):
    assert cli("person", "add", NUMBER, "--name", "王五", "--org", "B1", "--rank", "staff", "--at", "2024-01-02",
               "--actor", "cadre1").exit_code == 0
    assert cli("document", "add", NUMBER, "--kind", "passport_private", "--number", "E12345678", "--issued",
               "2020-01-01", "--expires", "2030-01-01", "--at", "2024-01-10", "--actor", "cadre1").exit_code == 0
    assert cli("discipline", "add", NUMBER, "--category", "absconded", "--since", "2024-03-01", "--recontact-on",
               "2024-05-06", "--recontact-note", "能联系上但不掌握去向", "--at", "2024-05-06",
               "--actor", "discipline1").exit_code == 0
    table = cli("discipline", "risks", "--actor", "discipline1").stdout
    assert "王五" in table and "持有有效因私出国（境）证件未交组织保管" in table and "E12345678" not in table
    [row] = cli.json("discipline", "risks", "--actor", "discipline1", "--format", "json")
    assert [r["reason"] for r in row["reasons"]] == ["document"]
    assert cli("sweep", "--as-of", "2024-05-07").exit_code == 0
    alerts = cli("alerts", "--actor", "discipline1", "--as-of", "2024-05-07", "--format", "csv").stdout
    assert "外逃风险" in alerts and "F1" not in alerts
