"""What the confirmed self-reports said, as SELECTs for set-based checks (PROGRAMMES.md §4: P3 瞒报持有证件 compares
the police records' documents with these document lines, P6 瞒报出国 their exits with these trip lines): one row
per line of the current submission of every report confirmed on or before the day, with the person and the
campaign. Written once here so that every check reads "what was reported" the same way."""
from __future__ import annotations

from datetime import date

from sqlalchemy import Select, and_, exists, select

from models import Campaign, SelfReport, SelfReportCampaign, SelfReportDocument, SelfReportTrip

_reports, _docs, _trips = SelfReport.__table__, SelfReportDocument.__table__, SelfReportTrip.__table__
_campaigns, _r10 = SelfReportCampaign.__table__, Campaign.__table__


def _confirmed(line_table, as_of: date):
    return and_(_reports.c.id == line_table.c.report_id, _reports.c.submission_seq == line_table.c.submission_seq,
                _reports.c.state == "confirmed", _reports.c.confirmed_on <= as_of)


def confirmed_documents(as_of: date) -> Select:
    """(person_id, campaign_id, report_id, kind, number, expires_on, self_corrected, line id) of every document
    line of a report confirmed on or before `as_of`."""
    return (select(_reports.c.person_id, _reports.c.campaign_id, _docs.c.report_id, _docs.c.id.label("line_id"),
                   _docs.c.kind, _docs.c.number, _docs.c.issued_on, _docs.c.expires_on, _docs.c.self_corrected)
            .select_from(_docs.join(_reports, _confirmed(_docs, as_of))))


def confirmed_trips(as_of: date) -> Select:
    """(person_id, campaign_id, report_id, departure_on, return_on, destinations, approved, self_corrected,
    line id) of every trip line of a report confirmed on or before `as_of`."""
    return (select(_reports.c.person_id, _reports.c.campaign_id, _trips.c.report_id, _trips.c.id.label("line_id"),
                   _trips.c.departure_on, _trips.c.return_on, _trips.c.destinations, _trips.c.approved,
                   _trips.c.self_corrected)
            .select_from(_trips.join(_reports, _confirmed(_trips, as_of))))


def document_reported(person_id, kind, number, as_of: date):
    """EXISTS: a confirmed report of `person_id` lists the document (`kind`, `number`): columns or values (P3)."""
    return exists().where(_docs.c.kind == kind, _docs.c.number == number, _confirmed(_docs, as_of),
                          _reports.c.person_id == person_id)


def exit_reported(person_id, day, as_of: date):
    """EXISTS: a confirmed report of `person_id` has a trip line covering `day` (P6)."""
    return exists().where(_reports.c.person_id == person_id, _confirmed(_trips, as_of),
                          _trips.c.departure_on <= day, _trips.c.return_on >= day)


# ---- what a given report listed (P3, P6 read each campaign's report on its own) -------------------------

def document_in_report(report, kind, number):
    """EXISTS: the current submission of `report` (columns of `self_reports`) lists the document."""
    return exists().where(_docs.c.report_id == report.c.id, _docs.c.submission_seq == report.c.submission_seq,
                          _docs.c.kind == kind, _docs.c.number == number)


def exit_in_report(report, day):
    """EXISTS: the current submission of `report` has a trip line covering `day`."""
    return exists().where(_trips.c.report_id == report.c.id, _trips.c.submission_seq == report.c.submission_seq,
                          _trips.c.departure_on <= day, _trips.c.return_on >= day)


# ---- self-corrected (seed 000: 如实填写违规持有的证件且及时纠正的，不追究) ------------------------------------

def _within_campaign(line_table, as_of: date):
    """A confirmed report's line marked self-corrected, the report confirmed by its campaign's end."""
    return and_(_confirmed(line_table, as_of), line_table.c.self_corrected.is_(True),
                _campaigns.c.id == _reports.c.campaign_id, _r10.c.id == _campaigns.c.campaign_id,
                _reports.c.confirmed_on <= _r10.c.end_on)


def document_self_corrected(person_id, kind, number, as_of: date):
    """EXISTS: the person declared the document in a confirmed report and corrected it within the campaign."""
    return exists().where(_reports.c.person_id == person_id, _docs.c.kind == kind, _docs.c.number == number,
                          _within_campaign(_docs, as_of))


def exit_self_corrected(person_id, day, as_of: date):
    """EXISTS: the person declared a trip covering `day` in a confirmed report and corrected it within the
    campaign."""
    return exists().where(_reports.c.person_id == person_id, _trips.c.departure_on <= day,
                          _trips.c.return_on >= day, _within_campaign(_trips, as_of))
