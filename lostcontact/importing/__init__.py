"""Bulk import of orgs, members and contacts from CSV or XLSX (INTERFACE.md "Import files").

`import_file` and `ImportSummary` are loaded on first use: the services read this package's small modules
(values, for ID numbers) on every command, and the importer itself brings openpyxl and the staging SQL."""


def __getattr__(name: str):
    if name in ("ImportSummary", "import_file"):
        from . import service
        return getattr(service, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = ["ImportSummary", "import_file"]
