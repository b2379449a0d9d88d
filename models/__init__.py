"""SQLAlchemy 2 tables, the engine factory and the migrations."""
from .base import Base
from .orgs import Org
from .members import ContactEvent, Member, MemberChange
from .cases import Case, CaseEvent, Deadline, SearchEntry
from .case_steps import CaseStep
from .users import Grant, User
from .system import ImportLog, PolicyVersion
from .system import CalendarVersion
from .alerts import Alert, AlertRecipient, Notice, SweepRun
from .campaigns import Campaign, Milestone, Submission
from .snapshots import TallySnapshot
from .scaleout import SweepPartition
from .evidence import Attachment
from .audit import AuditEntry, UserSession
from .travel import CustodyEvent, Person, PersonEvent, TravelDocument
from .change_reports import RegistrationReport, RegistrationReportItem, TravelRule
from .trips import Trip, TripEvent
from .discipline import DisciplineEntry, DisciplineEvent, UnitContact
from .self_reports import SelfReport, SelfReportCampaign, SelfReportDocument, SelfReportEvent, SelfReportTrip
from .police import PoliceCrossing, PoliceHolding, Problem, ProblemEvent

__all__ = ["Base", "Org", "Member", "MemberChange", "ContactEvent", "Case", "CaseEvent", "Deadline", "CaseStep",
           "SearchEntry", "User", "Grant", "PolicyVersion", "ImportLog",
           "Alert", "AlertRecipient", "Notice", "SweepRun", "Campaign", "Milestone", "Submission",
           "TallySnapshot", "SweepPartition", "Attachment", "AuditEntry", "UserSession",
           "CalendarVersion", "Person", "PersonEvent", "TravelDocument", "CustodyEvent", "Trip", "TripEvent",
           "RegistrationReport", "RegistrationReportItem", "TravelRule",
           "SelfReportCampaign", "SelfReport", "SelfReportEvent", "SelfReportDocument", "SelfReportTrip",
           "DisciplineEntry", "DisciplineEvent", "UnitContact",
           "PoliceHolding", "PoliceCrossing", "Problem", "ProblemEvent"]
