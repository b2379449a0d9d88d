"""The travel programme's demo (`lostcontact demo --programme travel`): over the demo's org tree, a year and more
of the programme told through the same service functions the command line calls — persons recorded and filed,
documents handed in on time, late or never, private trips approved, refused and taken (some with deviations),
a self-report campaign with confirmed, returned, missing and zero reports, the exit-entry administration's
files imported through the importer, the police side's Q1–Q3, then the daily sweep over the last days (the
same as `lostcontact sweep`: its alerts, and the checks run as the system) and some of the problems handled.

Every date is counted back from the demo's last day (`last`): nothing here reads the wall clock. Every check kind
of `CHECKS` (M1, P1–P7) has a person planted to be found (demo/travel_cast.py names the parts)."""
from __future__ import annotations

import csv
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from models.db import Database

from ..importing import import_file
from ..services.travel import documents, persons, trips
from ..services.users import add_user
from .roster import ORGS
from .travel_cast import CADRE, DISCIPLINE, LIAISON, TRAVEL_USERS, Cast, cast

KEPT_AT = "县委组织部干部监督科保险柜"
APPROVER = "县委组织部"
PORT = "郑州新郑国际机场"
PLACES = (("泰国",), ("日本",), ("新加坡", "马来西亚"), ("香港",), ("澳大利亚",))
BRANCHES = tuple(code for code, _name, level, _parent, _type in ORGS if level == "branch")
HOLDINGS = "lostcontact-demo-police-holdings.csv"
CROSSINGS = "lostcontact-demo-police-crossings.csv"


@dataclass
class TravelDemo:
    persons: int = 0
    documents: int = 0
    trips: dict[str, int] = field(default_factory=dict)
    reports: dict[str, int] = field(default_factory=dict)
    imported: dict[str, int] = field(default_factory=dict)
    found: dict[str, int] = field(default_factory=dict)     # new problems per check kind, by the daily sweeps
    alerts: dict[str, int] = field(default_factory=dict)    # alerts the daily sweeps raised, per rule
    swept: int = 0                                          # the days swept
    recorded: list[str] = field(default_factory=list)
    handled: int = 0
    files: tuple[Path, ...] = ()
    seconds: float = 0.0
    cpu_seconds: float = 0.0   # this process's CPU time: what the story costs, whatever else the machine does
    db_url: str = ""
    form: Path | None = None


class Story:
    """One travel demo, told day by day through the services as of `today = last`."""

    def __init__(self, db: Database, last: date, folder: Path):
        self.db, self.last, self.folder = db, last, folder
        self.result = TravelDemo()
        self.holdings: list[tuple] = []    # the administration's documents
        self.crossings: list[tuple] = []   # its exits and entries
        self.kept: set[int] = set()        # the documents received into custody

    def day(self, back: int) -> date:
        return self.last - timedelta(days=back)

    def kw(self, back: int, actor: str = CADRE) -> dict:
        return dict(actor_login=actor, today=self.last, at=self.day(back))

    # ---- persons and documents --------------------------------------------------------------------------

    def record(self, c: Cast, *, register: bool = True) -> None:
        persons.add_person(self.db, c.id_number, name=c.name, org_code=c.org, rank=c.rank,
                           person_type=c.person_type, political_status=c.political_status, post=c.post,
                           work_unit=c.work_unit, authority=APPROVER, **self.kw(420))
        if register and c.person_type:
            persons.fire_registration(self.db, c.id_number, "register", **self.kw(400))
        self.result.persons += 1

    def passport(self, c: Cast, *, kind: str = "passport_private", issued_back: int = 900,
                 name: str | None = None, recorded_back: int = 399, handed_in_back: int | None = 396) -> int:
        number = ("E" if kind.startswith("passport") else "C") + c.id_number[-9:-1]
        issued = self.day(issued_back)
        expires = issued + timedelta(days=3652)
        doc = documents.add_document(self.db, c.id_number, kind=kind, number=number, issued_on=issued,
                                     expires_on=expires, name_on_document=name or c.name,
                                     issuing_authority="示范县公安局", **self.kw(recorded_back))
        if handed_in_back is not None:
            documents.fire_custody(self.db, doc, "receive", kept_at=KEPT_AT, **self.kw(handed_in_back))
            self.kept.add(doc)
        c.documents.append((doc, kind, number, issued, expires))
        self.holdings.append((c.id_number, c.name, kind, number, issued, expires, "valid"))
        self.result.documents += 1
        return doc

    # ---- trips ------------------------------------------------------------------------------------------

    def trip(self, c: Cast, doc: int, *, applied_back: int, days: int = 7, places=("泰国",), until: str = "closed",
             exit_shift: int = 0, entry_shift: int = 0, visited=None, back_in_custody: bool = True,
             approver: str = CADRE) -> int:
        departure, ret = self.day(applied_back - 20), self.day(applied_back - 20 - days)
        trip_id = trips.apply_trip(self.db, c.id_number, document_id=doc, destinations=list(places),
                                   reason="旅游探亲", planned_departure=departure, planned_return=ret,
                                   **self.kw(applied_back)).trip_id
        fire = lambda trigger, back, actor=CADRE, **kw: trips.fire_trip(  # noqa: E731
            self.db, trip_id, trigger, **self.kw(back, actor), **kw)
        fire("submit", applied_back)
        fire("consult", applied_back - 2, DISCIPLINE, note="经查，未发现不宜出国（境）情形，无不同意见")
        if until == "consulted":
            return self._count(trip_id, "consulted")
        if until == "refused":
            fire("refuse", applied_back - 4, note="正值重要工作期间，暂不宜出国（境）")
            return self._count(trip_id, "refused")
        fire("approve", applied_back - 4, approver, note="同意")
        in_custody = doc in self.kept
        exit_on = departure + timedelta(days=exit_shift)
        if in_custody:
            documents.fire_custody(self.db, doc, "check_out", trip_id=trip_id, **self.kw(applied_back - 18 - exit_shift))
        fire("depart", applied_back - 20 - exit_shift, exit_on=exit_on)
        entry_on = ret + timedelta(days=entry_shift)
        back = (self.last - entry_on).days
        fire("return", back, entry_on=entry_on, places=list(visited or places))
        number, kind = next((d[2], d[1]) for d in c.documents if d[0] == doc)
        self.crossings += [(c.id_number, kind, number, "exit", exit_on, PORT, places[0]),  # the first stop
                           (c.id_number, kind, number, "entry", entry_on, PORT, "")]
        c.trips.append((exit_on, entry_on, tuple(visited or places), True))
        if in_custody and back_in_custody:
            documents.fire_custody(self.db, doc, "return", **self.kw(back - 3))
            fire("close", back - 3)
            return self._count(trip_id, "closed")
        return self._count(trip_id, "returned")

    def _count(self, trip_id: int, state: str) -> int:
        self.result.trips[state] = self.result.trips.get(state, 0) + 1
        return trip_id

    # ---- the exit-entry administration's files ----------------------------------------------------------

    def import_police(self, back: int) -> None:
        files = []
        for name, header, rows in (
                (HOLDINGS, ("id_number", "name", "kind", "number", "issued_on", "expires_on", "status"), self.holdings),
                (CROSSINGS, ("id_number", "document_kind", "document_number", "direction", "crossed_on", "port",
                             "destination"), self.crossings)):
            path = self.folder / name
            with path.open("w", newline="", encoding="utf-8") as out:
                writer = csv.writer(out)
                writer.writerow(header)
                writer.writerows([[v.isoformat() if isinstance(v, date) else v for v in row] for row in rows])
            kind = "police_holdings" if name == HOLDINGS else "police_crossings"
            summary = import_file(self.db, kind, path, today=self.day(back), actor=LIAISON)
            self.result.imported[kind] = summary.inserted
            files.append(path)
        self.result.files = tuple(files)


def add_travel_users(db: Database, password_hash: str | None) -> None:
    for login, role, org, name in TRAVEL_USERS:
        add_user(db, login, role=role, org_code=org, name=name, password_hash=password_hash)


def tell(db: Database, *, last: date, seed: int, persons_count: int, folder: Path,
         password_hash: str | None = None) -> TravelDemo:
    """The whole travel story over the demo's org tree (demo/roster.py, already in `db`), ending on `last` with
    the daily sweep run over its last days."""
    from .travel_story import run_story
    add_travel_users(db, password_hash)
    story = Story(db, last, folder)
    run_story(story, cast(seed, BRANCHES, persons_count))
    return story.result

