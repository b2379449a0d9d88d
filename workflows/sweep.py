"""The daily sweep as a Prefect flow: one task per org partition, each calling the service layer."""
from __future__ import annotations

from datetime import date
from functools import lru_cache

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NONE

from lostcontact.config import Settings
from lostcontact.notices import SmtpSettings
from lostcontact.services.sweep import sweep_partition, sweep_system
from models.db import Database, open_database

from .orchestration import notices_for, run_sweep


@lru_cache(maxsize=4)
def _database(url: str) -> Database:
    return open_database(url)


def _db() -> Database:
    return _database(Settings.from_env().db_url)


# Retries are safe: a partition is one transaction and every insert is keyed (exactly once).
@task(name="sweep-partition", retries=2, retry_delay_seconds=5, cache_policy=NONE)
def sweep_partition_task(run_id: int, org_code: str) -> dict:
    return sweep_partition(_db(), run_id, org_code)


@task(name="sweep-whole-tree", retries=2, retry_delay_seconds=5, cache_policy=NONE)
def sweep_system_task(run_id: int) -> dict:
    return sweep_system(_db(), run_id)


@task(name="notices", retries=1, retry_delay_seconds=30, cache_policy=NONE)
def notices_task(as_of: date) -> dict:
    return notices_for(_db(), as_of, SmtpSettings.from_env())


@flow(name="daily-sweep")
def daily_sweep(as_of: date | None = None) -> dict:
    """Rules R1–R10 as of `as_of` (default: today in LOSTCONTACT_TZ)."""
    day = as_of or Settings.from_env().today()
    report = run_sweep(_db(), day, mode="prefect", partition_step=sweep_partition_task,
                       system_step=sweep_system_task, notice_step=notices_task)
    get_run_logger().info("sweep as of %s: %s partitions, counts %s", day, report.partitions, report.counts)
    return report.as_dict()


def run_daily_sweep(as_of: date) -> dict:
    """The flow run once from this process (`lostcontact sweep` with PREFECT_API_URL set), without Prefect's
    flow-run heartbeat: ending a flow joins the heartbeat thread, which sleeps in whole seconds (about
    0.5–1 s a run, most of Prefect's cost here), and a dead sweep is already told by its own sweep_runs
    heartbeat (lostcontact.services.sweep.runs). Deployments run by workers keep Prefect's default."""
    from prefect.settings import temporary_settings

    with temporary_settings(updates={"flows.heartbeat_frequency": None}):
        return daily_sweep(as_of=as_of)
