"""Prefect 3 flows: thin wrappers that call the service layer, one task per org partition.

Privacy: Prefect's telemetry is off unless the environment turns it on, and flow parameters, logs and
results carry only dates, org codes and counts — never a name or an ID number.
"""
import os

os.environ.setdefault("DO_NOT_TRACK", "1")
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
