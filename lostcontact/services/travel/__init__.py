"""The travel-documents programme's services (PROGRAMMES.md §1–§3): the registry and custody. Web, CLI and
(later) Prefect tasks call these; each call is one unit of work."""
