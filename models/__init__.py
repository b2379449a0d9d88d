"""SQLAlchemy 2 tables, the engine factory and the migrations."""
from .base import Base
from .orgs import Org
from .members import ContactEvent, Member, MemberChange
from .cases import Case, CaseEvent, Deadline, SearchEntry
from .users import Grant, User
from .system import ImportLog, PolicyVersion

__all__ = ["Base", "Org", "Member", "MemberChange", "ContactEvent", "Case", "CaseEvent", "Deadline",
           "SearchEntry", "User", "Grant", "PolicyVersion", "ImportLog"]
