"""SQLAlchemy 2 tables, the engine factory and the migrations.

The travel-documents programme's and the discipline register's tables are declared when first named (`from models import Person`) or
when `Base` is (the whole schema: create_all, Alembic, the tests' cleanup): a lost-contact command does not
pay for declaring them on every start (the command line starts fast; tests/cli/test_cli_start.py)."""
from importlib import import_module

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

# {class: its module}, declared on first use (see above)
ON_FIRST_USE = {
    **dict.fromkeys(["CustodyEvent", "Person", "PersonEvent", "TravelDocument"], "travel"),
    **dict.fromkeys(["RegistrationReport", "RegistrationReportItem", "TravelRule"], "change_reports"),
    **dict.fromkeys(["Trip", "TripEvent"], "trips"),
    **dict.fromkeys(["SelfReport", "SelfReportCampaign", "SelfReportDocument", "SelfReportEvent", "SelfReportTrip"],
                    "self_reports"),
    **dict.fromkeys(["PoliceCrossing", "PoliceHolding", "Problem", "ProblemEvent"], "police"),
    # the discipline register (docs/discipline-register.md)
    **dict.fromkeys(["DisciplineEntry", "DisciplineEvent", "UnitContact"], "discipline"),
}


def __getattr__(name: str):
    """A travel-programme class, declared now; or `Base`, once every table is declared."""
    if name == "Base":
        for module in dict.fromkeys(ON_FIRST_USE.values()):
            import_module(f"{__name__}.{module}")
        value = import_module(f"{__name__}.base").Base
    elif name in ON_FIRST_USE:
        value = getattr(import_module(f"{__name__}.{ON_FIRST_USE[name]}"), name)
    else:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    globals()[name] = value
    return value


__all__ = ["Base", "Org", "Member", "MemberChange", "ContactEvent", "Case", "CaseEvent", "Deadline", "CaseStep",
           "SearchEntry", "User", "Grant", "PolicyVersion", "ImportLog",
           "Alert", "AlertRecipient", "Notice", "SweepRun", "Campaign", "Milestone", "Submission",
           "TallySnapshot", "SweepPartition", "Attachment", "AuditEntry", "UserSession",
           "CalendarVersion", "Person", "PersonEvent", "TravelDocument", "CustodyEvent", "Trip", "TripEvent",
           "RegistrationReport", "RegistrationReportItem", "TravelRule",
           "SelfReportCampaign", "SelfReport", "SelfReportEvent", "SelfReportDocument", "SelfReportTrip",
           "DisciplineEntry", "DisciplineEvent", "UnitContact",
           "PoliceHolding", "PoliceCrossing", "Problem", "ProblemEvent"]
