"""The scale-out tests share the orchestrated tests' Prefect test server (one per session)."""
from tests.workflows.conftest import prefect_server  # noqa: F401
