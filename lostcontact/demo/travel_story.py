"""The travel demo's plot, in the order things happen (days counted back from the last day): the parts of
demo/travel_cast.py played through the services, then the daily sweep over the last days (its alerts, and the
checks run as the system) and the handling of what they find."""
from __future__ import annotations

from datetime import timedelta

from statemachines.travel.self_report import DocumentLine, TripLine

from ..importing.values import with_check_digit
from ..services.travel import change_reports, documents, persons, problems, rules, self_reports
from .roster import COUNTY
from .travel import APPROVER, KEPT_AT, PLACES, PORT, Story
from .travel_cast import CADRE, COMMITTEE_CADRE, LIAISON, Cast

OWED_PLAIN, RETURNED_PLAIN, PENDING_PLAIN = 3, 1, 1   # plain persons whose self-report is not confirmed
SWEEP_DAYS = 7   # the daily sweep over the story's last week, as the lost-contact demo sweeps each of its days
POLICE_SIDE = {"forged": ("Q1", "持伪造的往来港澳通行证出境，被口岸边检查获"),
               "unauthorised_issue": ("Q2", "出入境管理窗口未经组织人事部门审批为其办理因私护照（已补录审批意见核查）"),
               "false_certificate": ("Q3", "所在单位未按干部管理权限为其出具同意出国（境）证明函")}


def run_story(story: Story, people: list[Cast]) -> None:
    rules.add_rule(story.db, COUNTY, name="示范县干部因私出国（境）管理办法", issued_on=story.day(700),
                   actor_login=CADRE, today=story.last)
    rules.add_rule(story.db, "41100103", name="开发区登记备案人员证件集中保管细则", issued_on=story.day(500),
                   actor_login=CADRE, today=story.last)
    by_part: dict[str, list[Cast]] = {}
    for c in people:
        by_part.setdefault(c.part, []).append(c)
    _registry(story, people)
    change = change_reports.submit_report(story.db, COUNTY, actor_login=CADRE, today=story.last, at=story.day(385))
    change_reports.record_report(story.db, change.id, actor_login=LIAISON, today=story.last, at=story.day(384))
    _trips(story, by_part)
    _police_only(story, by_part)
    _changes(story, by_part)
    _campaign(story, people)
    story.import_police(20)
    for part, (kind, evidence) in POLICE_SIDE.items():
        for c in by_part.get(part, ()):
            problems.record_problem(story.db, c.id_number, kind, evidence=evidence, **story.kw(10, LIAISON))
            story.result.recorded.append(kind)
    _sweep(story)
    story.result.handled = _handle(story)


def _sweep(story: Story) -> None:
    """The daily sweep (`lostcontact sweep`'s, in process) over the story's last SWEEP_DAYS days, as the
    lost-contact demo runs it: the custody deadlines (T1/T2), the change reports (T3/T4), the missed self-reports
    (S1/S2), flight risk (F1) and the checks as the system — each alert once, each problem once."""
    from statemachines.codes import ALERT_RULES
    from workflows.orchestration import run_in_process

    from ..services.travel.checks import CHECKS

    first_back = _first_back(story)
    for back in range(first_back, -1, -1):
        counts = run_in_process(story.db, story.day(back)).counts
        for key, value in counts.items():
            tally = story.result.found if key in CHECKS else story.result.alerts if key in ALERT_RULES else None
            if tally is not None:
                tally[key] = tally.get(key, 0) + value
    story.result.swept = first_back + 1


def _first_back(story: Story) -> int:
    """How many days back the sweeps start: the last SWEEP_DAYS, but not before the first day the lost-contact demo
    swept when the story is added to its database (`--programme all`): a day before that is never swept after it."""
    from sqlalchemy import func, select

    from models import SweepRun

    with story.db.engine.connect() as conn:
        first = conn.scalar(select(func.min(SweepRun.as_of)))
    return SWEEP_DAYS - 1 if first is None else min(SWEEP_DAYS - 1, max((story.last - first).days, 0))


def _registry(story: Story, people: list[Cast]) -> None:
    for i, c in enumerate(people):
        if c.part == "two_names":
            former = c.name[0] + "晓" + c.name[-1]
            story.record(c)
            persons.edit_person(story.db, c.id_number, former_names=former, **story.kw(399))
            story.passport(c, name=former)
            story.holdings[-1] = story.holdings[-1][:1] + (c.name,) + story.holdings[-1][2:]
            continue
        story.record(c, register=c.part != "unfiled")
        if c.part in ("unfiled", "secret_document") or (c.part == "plain" and i % 5 == 4):
            continue   # no private document the organisation knows of (a zero report, unless planted)
        if c.part == "never_handed_in":
            story.passport(c, handed_in_back=None)
        elif c.part in ("late", "unapproved_exit"):
            story.passport(c, handed_in_back=300)
        else:
            story.passport(c)
        if c.part == "plain" and i % 3 == 0:
            story.passport(c, kind="hkmo_private", issued_back=800)


def _trips(story: Story, by_part: dict[str, list[Cast]]) -> None:
    doc = lambda c: c.documents[0][0]  # noqa: E731
    for n, c in enumerate(by_part.get("traveller", ())):
        story.trip(c, doc(c), applied_back=320 - 40 * n, places=PLACES[n % len(PLACES)])
    for c in by_part.get("refused", ()):
        story.trip(c, doc(c), applied_back=210, places=("美国",), until="refused")
    for c in by_part.get("awaiting_city", ()):
        story.trip(c, doc(c), applied_back=10, places=("日本",), until="consulted")   # the city approves 县处级
    for c in by_part.get("deviation", ()):
        story.trip(c, doc(c), applied_back=170, places=("泰国",), exit_shift=-2, entry_shift=3,
                   visited=("泰国", "越南"))
    for c in by_part.get("not_back", ()):
        story.trip(c, doc(c), applied_back=160, places=("新加坡",), back_in_custody=False)
    for c in by_part.get("hidden_trip", ()):
        story.trip(c, doc(c), applied_back=280, places=("韩国",))
    for c in by_part.get("lax_approval", ()):
        # the committee approves a 一般干部's trip; the rank is later corrected to 乡科级, whom the county approves
        story.trip(c, doc(c), applied_back=230, places=("越南",), approver=COMMITTEE_CADRE)
        persons.edit_person(story.db, c.id_number, rank="township", post="副科长", **story.kw(120))
    for c in by_part.get("plain", ())[::4]:
        if c.documents and c.rank in ("township", "staff", "other", "party_only"):
            story.trip(c, doc(c), applied_back=260 - len(c.name) * 7, places=PLACES[len(c.trips) % 5])


def _police_only(story: Story, by_part: dict[str, list[Cast]]) -> None:
    """What only the exit-entry administration knows: an exit without a trip, a document never declared, a
    document under a second identity."""
    for c in by_part.get("unapproved_exit", ()):
        _, kind, number, *_ = c.documents[0]
        story.crossings += [(c.id_number, kind, number, "exit", story.day(350), PORT, "柬埔寨"),
                            (c.id_number, kind, number, "entry", story.day(345), PORT, "")]
        c.trips.append((story.day(350), story.day(345), ("柬埔寨",), False))
    for c in by_part.get("secret_document", ()):
        issued = story.day(200)
        story.holdings.append((c.id_number, c.name, "hkmo_private", "C" + c.id_number[-9:-1], issued,
                               issued + timedelta(days=3652), "valid"))
    for c in by_part.get("second_identity", ()):
        body = c.id_number[:14] + ("1" if c.id_number[14] != "1" else "2") + c.id_number[15:17]
        issued = story.day(600)
        story.holdings.append((with_check_digit(body), c.name, "passport_private", "G" + c.id_number[-9:-1], issued,
                               issued + timedelta(days=3652), "valid"))


def _changes(story: Story, by_part: dict[str, list[Cast]]) -> None:
    for c in by_part.get("moved", ()):
        persons.edit_person(story.db, c.id_number, org_code="411001030101", work_unit="示范机械有限公司",
                            **story.kw(100))
    for c in by_part.get("retired", ()):
        persons.fire_registration(story.db, c.id_number, "revoke", note="已退休，撤销登记备案", **story.kw(80))
        documents.fire_custody(story.db, c.documents[0][0], "release", note="已撤销备案，证件退还本人", **story.kw(75))


def _campaign(story: Story, people: list[Cast]) -> None:
    since = story.day(3 * 365)
    campaign = self_reports.open_campaign(
        story.db, "2026年度登记备案人员因私出国（境）证件和出行情况自查自报", org_code=COUNTY, trips_since=since,
        documents_expired_since=since, due_on=story.day(45), **story.kw(90))
    plain = [c for c in people if c.part == "plain"]
    owed = {id(c) for c in plain[:OWED_PLAIN]}
    returned = {id(c) for c in plain[OWED_PLAIN:OWED_PLAIN + RETURNED_PLAIN]}
    pending = {id(c) for c in plain[OWED_PLAIN + RETURNED_PLAIN:OWED_PLAIN + RETURNED_PLAIN + PENDING_PLAIN]}
    for n, c in enumerate(people):
        if c.part in ("never_handed_in", "secret_document", "unfiled") or id(c) in owed:
            story.result.reports["owed"] = story.result.reports.get("owed", 0) + 1
            continue
        hide_documents, hide_trips = c.part == "hidden_document", c.part == "hidden_trip"
        lines = () if hide_documents else tuple(
            DocumentLine(kind, number, expires, issued, c.name, KEPT_AT) for _d, kind, number, issued, expires
            in c.documents)
        trip_lines = () if hide_trips else tuple(
            TripLine(exit_on, entry_on, places, "旅游探亲", approved, APPROVER if approved else None)
            for exit_on, entry_on, places, approved in c.trips)
        submitted = 80 - n % 20
        reviewer = f"officer_{c.org}" if c.rank == "party_only" else CADRE
        self_reports.submit_report(story.db, c.id_number, campaign, documents=lines, trips=trip_lines,
                                   zero_report=not (lines or trip_lines), pledge_signed=True,
                                   **story.kw(submitted))
        if c.part == "second_identity" or id(c) in pending:
            state = "submitted"
        elif c.part == "unapproved_exit" or id(c) in returned:
            self_reports.review_report(story.db, c.id_number, campaign, "return", note="与出入境记录不符，请核对后重新填报",
                                       **story.kw(submitted - 2, reviewer))
            state = "returned"
        else:
            self_reports.review_report(story.db, c.id_number, campaign, "confirm", **story.kw(submitted - 2, reviewer))
            state = "zero" if not (lines or trip_lines) else "confirmed"
        story.result.reports[state] = story.result.reports.get(state, 0) + 1


# what the cadre supervisor decides on the first problem of a kind: (trigger, measures or the reason)
DECISIONS = {"P2": ("handle", ("criticism",)), "P4": ("handle", ("admonition", "organisational_handling")),
             "P5": ("handle", ("admonition",)), "P1": ("handle", ("referral_discipline",)),
             "P3": ("handle", ("criticism",)), "P6": ("handle", ("admonition",)),
             "P7": ("handle", ("organisational_handling",)),
             "M1": ("dismiss", "经核实，系本人更名前后登记的同一证件，不属于一人多证")}


def _handle(story: Story) -> int:
    from ..queries.travel.problems import list_problems

    done, seen = 0, set()
    for p in list_problems(story.db, actor_login=CADRE, today=story.last, as_of=story.last):
        kind = p["kind"]
        if kind in seen or (kind not in DECISIONS and kind != "Q1"):
            continue
        if kind == "M1" and not p["evidence"].startswith("同一身份证号"):
            continue   # the dismissal's reason is the renamed passport's
        seen.add(kind)
        actor = LIAISON if kind == "Q1" else CADRE
        problems.fire_problem(story.db, p["id"], "verify", **story.kw(0, actor))
        trigger, what = DECISIONS.get(kind, ("handle", ("referral_judicial",)))
        extra = {"measures": what} if trigger == "handle" else {"reason": what}
        problems.fire_problem(story.db, p["id"], trigger, **story.kw(0, actor), **extra)
        done += 1
    return done

