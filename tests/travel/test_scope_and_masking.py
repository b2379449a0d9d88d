"""Scope and privacy on the command line: whoever may not see a person hears exactly what an unknown ID number
gets; document and ID numbers are masked in every listing, table, CSV and JSON; the exit-entry liaison reads
registration status and nothing else."""
from __future__ import annotations

import pytest

from lostcontact.masking import mask_document, mask_id

from ..builders import make_id_number

NUMBER = make_id_number(11)
UNKNOWN = make_id_number(12)
PASSPORT = "E87654321"


@pytest.fixture
def cli(cli):
    """The travel command line with 王五 on file at B1, registered, and his private passport recorded."""
    run = cli
    for args in (("person", "add", NUMBER, "--name", "王五", "--org", "B1", "--rank", "county", "--type",
                  "county_level_serving", "--at", "2024-01-02"),
                 ("person", "register", NUMBER, "--at", "2024-01-10"),
                 ("document", "add", NUMBER, "--kind", "passport_private", "--number", PASSPORT, "--issued",
                  "2020-01-01", "--expires", "2030-01-01", "--at", "2024-01-10")):
        result = run(*args, "--actor", "cadre1")
        assert result.exit_code == 0, result.output
    return run


def answer(cli, number, *args, actor="cadre2"):
    result = cli(*args[:2], number, *args[2:], "--actor", actor)
    return result.exit_code, result.stderr.replace(mask_id(number), "<ID>")


@pytest.mark.parametrize("args", [("person", "show"), ("person", "edit", "--post", "局长"),
                                  ("person", "register"), ("person", "unregister", "--note", "调离"),
                                  ("document", "add", "--kind", "taiwan", "--number", "T1234567", "--issued",
                                   "2020-01-01", "--expires", "2030-01-01")])
def test_an_officer_outside_the_subtree_is_answered_exactly_as_for_an_unknown_person(cli, args):
    outside = answer(cli, NUMBER, *args)
    assert outside[0] == 4
    assert outside == answer(cli, UNKNOWN, *args)
    assert outside == answer(cli, UNKNOWN, *args, actor="cadre1")


def test_a_document_outside_the_subtree_is_answered_as_an_unknown_document(cli):
    outside = cli("document", "receive", "1", "--actor", "cadre2")
    unknown = cli("document", "receive", "99", "--actor", "cadre2")
    assert outside.exit_code == unknown.exit_code == 4
    assert outside.stderr.replace(" 1", " N") == unknown.stderr.replace(" 99", " N")


def test_outside_the_subtree_the_lists_are_empty(cli):
    for command in ("persons", "registry-gaps", "documents", "custody-gaps"):
        assert cli.json(command, "--actor", "cadre2", "--as-of", "2024-06-01") == []


def test_a_reader_who_is_not_the_custodian_may_look_but_not_act(cli):
    assert cli.json("person", "show", NUMBER, "--actor", "discipline1")["name"] == "王五"
    result = cli("document", "receive", "1", "--actor", "discipline1")
    assert result.exit_code == 3 and "干部监督" in result.stderr


def test_numbers_are_masked_in_every_listing_and_format(cli):
    for command in ("persons", "documents", "custody-gaps"):
        for fmt in ("table", "csv", "json"):
            out = cli(command, "--actor", "cadre1", "--as-of", "2024-02-01", "--format", fmt).stdout
            assert NUMBER not in out and PASSPORT not in out, (command, fmt)
    assert mask_document(PASSPORT) in cli("documents", "--actor", "cadre1", "--format", "csv").stdout
    assert mask_id(NUMBER) in cli("custody-gaps", "--actor", "cadre1", "--format", "csv",
                                  "--as-of", "2024-02-01").stdout


def test_the_full_numbers_are_shown_to_the_custodian_on_the_person_s_own_page_only(cli):
    custodian = cli.json("person", "show", NUMBER, "--actor", "cadre1")
    assert custodian["id_number"] == NUMBER and custodian["documents"][0]["number"] == PASSPORT
    assert cli.json("document", "show", "1", "--actor", "cadre1")["number"] == PASSPORT
    for actor in ("discipline1",):
        page = cli("person", "show", NUMBER, "--actor", actor, "--format", "json").stdout
        assert NUMBER not in page and PASSPORT not in page
    operator = cli("person", "show", NUMBER, "--format", "json").stdout
    assert NUMBER not in operator and PASSPORT not in operator


def test_the_exit_entry_liaison_reads_registration_status_and_nothing_else(cli):
    [row] = cli.json("persons", "--actor", "liaison1")
    assert set(row) == {"id_number_masked", "name", "org", "org_name", "registration_status", "last_event_on"}
    assert row["registration_status"] == "registered"
    assert cli.json("documents", "--actor", "liaison1") == []
    assert "documents" not in cli.json("person", "show", NUMBER, "--actor", "liaison1")
    assert cli("document", "show", "1", "--actor", "liaison1").exit_code == 4
