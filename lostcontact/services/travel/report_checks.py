"""The self-report checks (PROGRAMMES.md §4) as set-based SQL, each ONE SELECT of (person_id, subject, org_id,
evidence) for the runner in checks.py: the administration's records (and the registry's documents) against
what each CONFIRMED report listed — per campaign: a report answers for its own campaign's questions, so each
campaign's omission is its own problem (subject `campaign:<id>:…`). docs/travel-documents.md#checks has the
readings."""
from __future__ import annotations

from sqlalchemy import Select, String, func, select, union

from models import Campaign, PoliceCrossing, PoliceHolding, SelfReport, SelfReportCampaign, TravelDocument
from statemachines.travel import custody
from statemachines.travel.codes import PRIVATE_KINDS

from .check_sql import Scope, day_text, kind_label, masked_document, text
from .self_report_lines import document_in_report, exit_in_report

_reports, _campaigns, _r10 = SelfReport.__table__, SelfReportCampaign.__table__, Campaign.__table__
_holdings, _crossings, _docs = PoliceHolding.__table__, PoliceCrossing.__table__, TravelDocument.__table__
_STRING = String()
# the administration's word that a document is no longer anyone's to hold (the report form skips them too)
_NOT_HELD = ("revoked", "lost")


def _confirmed_reports(scope: Scope):
    """The reports confirmed by the day of the persons in scope, with their campaign's questions."""
    p, r = scope.persons, _reports
    return (select(r.c.id, r.c.submission_seq, r.c.submitted_on, r.c.confirmed_on, r.c.campaign_id, p.c.person_id,
                   p.c.org_id, p.c.id_number, _campaigns.c.trips_since, _campaigns.c.documents_expired_since,
                   _r10.c.name.label("campaign"))
            .select_from(r.join(p, p.c.person_id == r.c.person_id)
                         .join(_campaigns, _campaigns.c.id == r.c.campaign_id)
                         .join(_r10, _r10.c.id == _campaigns.c.campaign_id))
            .where(r.c.state == "confirmed", r.c.confirmed_on <= scope.day).subquery("confirmed_report"))


def _reported_in(report) -> str:
    return text("自查自报（", report.c.campaign, "）于 ", day_text(report.c.confirmed_on), " 审核确认，")


def check_p3(scope: Scope) -> Select:
    """瞒报持有因私出国（境）证件: a private document the administration holds under the person's ID number, or the
    registry records (not lost or revoked), that the campaign asked about — issued by the report's submission,
    expiring on or after the campaign's `documents_expired_since` — which the confirmed report does not list.
    Subject `campaign:<id>:doc:<kind>:<number>`."""
    p, h = scope.persons, _holdings
    known = union(
        select(p.c.person_id, h.c.kind, h.c.number, h.c.issued_on, h.c.expires_on)
        .join(h, h.c.id_number == p.c.id_number).where(h.c.kind.in_(PRIVATE_KINDS), h.c.status.not_in(_NOT_HELD)),
        select(_docs.c.person_id, _docs.c.kind, _docs.c.number, _docs.c.issued_on, _docs.c.expires_on)
        .join(p, p.c.person_id == _docs.c.person_id)
        .where(_docs.c.kind.in_(PRIVATE_KINDS), _docs.c.state.not_in(custody.GONE))).subquery("known")
    held = (select(known.c.person_id, known.c.kind, known.c.number, func.min(known.c.issued_on).label("issued_on"),
                   func.max(known.c.expires_on).label("expires_on"))
            .group_by(known.c.person_id, known.c.kind, known.c.number).subquery("held"))
    r = _confirmed_reports(scope)
    return (select(r.c.person_id, text("campaign:", r.c.campaign_id.cast(_STRING), ":doc:", held.c.kind, ":",
                                       held.c.number).label("subject"), r.c.org_id,
                   text(_reported_in(r), "未报告持有", kind_label(held.c.kind), " ", masked_document(held.c.number),
                        "（签发于 ", day_text(held.c.issued_on), "，有效期至 ", day_text(held.c.expires_on), "）")
                   .label("evidence"))
            .join(held, held.c.person_id == r.c.person_id)
            .where(held.c.issued_on <= r.c.submitted_on, held.c.expires_on >= r.c.documents_expired_since,
                   ~document_in_report(r, held.c.kind, held.c.number)))


def check_p6(scope: Scope) -> Select:
    """瞒报因私出国（境）情况: an exit on a private document in the administration's crossings, on or after the
    campaign's `trips_since` and by the report's submission, that no trip line of the confirmed report covers
    (departure ≤ exit day ≤ return). Subject `campaign:<id>:exit:<day>:<kind>:<number>`."""
    c, r = _crossings, _confirmed_reports(scope)
    return (select(r.c.person_id, text("campaign:", r.c.campaign_id.cast(_STRING), ":exit:", day_text(c.c.crossed_on),
                                       ":", c.c.document_kind, ":", c.c.document_number).label("subject"), r.c.org_id,
                   text(_reported_in(r), "未报告 ", day_text(c.c.crossed_on), " 持", kind_label(c.c.document_kind), " ",
                        masked_document(c.c.document_number), " 经", c.c.port, "出境",
                        func.coalesce(text("（前往", c.c.destination, "）"), ""), "（公安出入境管理部门记录）")
                   .label("evidence"))
            .join(c, c.c.id_number == r.c.id_number)
            .where(c.c.direction == "exit", c.c.document_kind.in_(PRIVATE_KINDS),
                   c.c.crossed_on >= r.c.trips_since, c.c.crossed_on <= r.c.submitted_on,
                   ~exit_in_report(r, c.c.crossed_on)))
