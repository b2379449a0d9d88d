"""The Prefect test server of tests/workflows, for the tally flow's orchestrated test."""
from ..workflows.conftest import prefect_server  # noqa: F401  (a fixture, reused rather than duplicated)
