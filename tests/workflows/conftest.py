"""The orchestrated path's Prefect test server is `prefect_server` of tests/conftest.py: one for the session,
shared with tests/tally and tests/scaleout (heartbeat off, telemetry off)."""
