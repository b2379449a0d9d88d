"""What the trip and self-report checks read, planted for a test: the administration's crossings (through the
importer, like every police record), a confirmed self-report, and an approval written as a paper record that
never went through the trip service's guards (the lax approvals P7 is there to find)."""
from __future__ import annotations

from datetime import date

from sqlalchemy import insert, select

from lostcontact.importing import import_file
from lostcontact.queries.travel.problems import list_problems
from lostcontact.services.travel import self_reports
from lostcontact.services.travel.checks import run_checks
from models import Org, Person, Trip, TripEvent
from statemachines.travel.self_report import DocumentLine, TripLine

from .conftest import TODAY
from .police_files import CROSSINGS_EN, write

__all__ = ["DocumentLine", "TripLine", "run", "found", "crossing", "import_crossings", "campaign", "confirmed_report",
           "paper_approval"]


def run(travel, kind: str, as_of: date = TODAY) -> int:
    return run_checks(travel.db, as_of=as_of, today=TODAY, actor_login="cadre1", kinds=(kind,))[kind]


def found(travel, kind: str) -> list[dict]:
    return list_problems(travel.db, actor_login=None, today=TODAY, kind=kind)


def crossing(id_number: str, day: str, direction: str = "exit", number: str = "E10000001", *,
             kind: str = "passport_private", port: str = "深圳湾", destination: str = "泰国") -> str:
    return f"{id_number},{kind},{number},{direction},{day},{port},{destination}"


def import_crossings(travel, tmp_path, *rows: str, name: str = "crossings.csv"):
    return import_file(travel.db, "police_crossings", write(tmp_path, name, CROSSINGS_EN, *rows), today=TODAY,
                       actor="liaison1")


def campaign(travel, trips_since=date(2016, 1, 1), expired_since=date(2018, 1, 1)) -> int:
    return self_reports.open_campaign(travel.db, "2024年自查自报", org_code="C1", trips_since=trips_since,
                                      documents_expired_since=expired_since, due_on=date(2024, 5, 31),
                                      actor_login="cadre1", today=TODAY, at=date(2024, 5, 6))


def confirmed_report(travel, person: str, campaign_id: int, *, documents=(), trips=(),
                     submitted=date(2024, 5, 10), confirmed=date(2024, 5, 20)) -> None:
    self_reports.submit_report(travel.db, person, campaign_id, documents=tuple(documents), trips=tuple(trips),
                               zero_report=not documents and not trips, pledge_signed=True, actor_login="cadre1",
                               today=TODAY, at=submitted)
    self_reports.review_report(travel.db, person, campaign_id, "confirm", actor_login="cadre1", today=TODAY,
                               at=confirmed)


def paper_approval(travel, id_number: str, document_id: int, *, by_org: str, approved_on=date(2024, 3, 1),
                   consulted: bool = False) -> int:
    """An approved trip (3/10–3/20, 泰国) recorded as it stood on paper: approved by a grant at `by_org`,
    consulted with the discipline organ or not."""
    with travel.db.writer.begin() as conn:
        person = conn.scalar(select(Person.id).where(Person.id_number == id_number))
        org = conn.scalar(select(Org.id).where(Org.code == by_org))
        trip_id = conn.execute(insert(Trip).values(
            person_id=person, document_id=document_id, destinations='["泰国"]', reason="探亲",
            planned_departure=date(2024, 3, 10), planned_return=date(2024, 3, 20), state="approved",
            strict_review=False, applied_on=approved_on, consulted_on=approved_on if consulted else None,
            approved_on=approved_on, approved_by="paper", last_seq=1, last_event_on=approved_on,
            version=1)).inserted_primary_key[0]
        conn.execute(insert(TripEvent).values(
            trip_id=trip_id, seq=1, trigger="approve", from_state="submitted", to_state="approved",
            effective_on=approved_on, actor="paper", role="cadre_supervisor", grant_org_id=org))
    return trip_id
