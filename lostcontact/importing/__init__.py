"""Bulk import of orgs, members and contacts from CSV or XLSX (INTERFACE.md "Import files")."""
from .service import ImportSummary, import_file

__all__ = ["ImportSummary", "import_file"]
