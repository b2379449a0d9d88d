"""The disposition tally as Prefect flows: `disposition_tally(org, as_of)` freezes an org's A–X tally and
publishes it as a table artifact (org codes and counts only: no name, no ID number), and
`milestone_tallies(as_of)` does it for every org owing a campaign milestone due that day (R10)."""
from __future__ import annotations

import re
from datetime import date
from functools import lru_cache

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_table_artifact
from prefect.cache_policies import NONE

from lostcontact.config import Settings
from lostcontact.services.snapshots import milestone_orgs, store_tally
from models.db import Database, open_database
from statemachines.tally import COLUMNS

MILESTONE_CRON = "30 6 * * *"  # after the 06:00 sweep, Asia/Shanghai


@lru_cache(maxsize=4)
def _database(url: str) -> Database:
    return open_database(url)


def _db() -> Database:
    return _database(Settings.from_env().db_url)


def artifact_rows(tree: dict, depth: int = 0) -> list[dict]:
    """One row per org, parents first: the org code, its depth and the 24 counts."""
    rows = [{"org": tree["org"], "depth": depth, **tree["columns"]}]
    for child in tree["children"]:
        rows += artifact_rows(child, depth + 1)
    return rows


def artifact_key(org: str, as_of: date) -> str:
    """Prefect keys are lowercase letters, digits and dashes."""
    return "tally-" + re.sub(r"[^a-z0-9-]+", "-", org.lower()).strip("-") + f"-{as_of:%Y%m%d}"


# Retrying is safe: a failed attempt committed nothing, and a stored snapshot is simply a second snapshot.
@task(name="freeze-tally", retries=2, retry_delay_seconds=5, cache_policy=NONE)
def freeze_tally_task(org: str | None, as_of: date) -> dict:
    stored = store_tally(_db(), today=Settings.from_env().today(), org_code=org, as_of=as_of)
    return {"snapshot_id": stored.snapshot_id, "org": stored.org, "as_of": stored.as_of.isoformat(),
            "tree": stored.tree}


@flow(name="disposition-tally")
def disposition_tally(org: str | None = None, as_of: date | None = None) -> dict:
    """Freeze and publish the tally of `org` (default: the whole tree) as of `as_of` (default: today)."""
    day = as_of or Settings.from_env().today()
    stored = freeze_tally_task(org, day)
    tree = stored["tree"]
    create_table_artifact(key=artifact_key(tree["org"], day), table=artifact_rows(tree),
                          description=f"与党组织失去联系党员规范管理和组织处置有关情况统计表 {tree['org']} 截至 {day} "
                                      f"(A–X, counts only)")
    get_run_logger().info("tally of %s as of %s frozen as snapshot %s: A=%s", tree["org"], day,
                          stored["snapshot_id"], tree["columns"]["A"])
    return {"snapshot_id": stored["snapshot_id"], "org": tree["org"], "as_of": day.isoformat(),
            "columns": {c: tree["columns"][c] for c in COLUMNS}}


@flow(name="milestone-tallies")
def milestone_tallies(as_of: date | None = None) -> dict:
    """Every org owing a milestone due on `as_of` gets its tally frozen as of that day (once)."""
    day = as_of or Settings.from_env().today()
    frozen = [disposition_tally(org=code, as_of=day)["org"] for code in milestone_orgs(_db(), day)]
    return {"as_of": day.isoformat(), "frozen": frozen}


def deployments() -> list:
    """For `lostcontact schedule` (workflows.deployments): the milestone tallies every morning."""
    from prefect.schedules import Cron

    from .deployments import TIMEZONE
    return [milestone_tallies.to_deployment(name="milestone-tallies",
                                            schedule=Cron(MILESTONE_CRON, timezone=TIMEZONE),
                                            description="campaign milestones: freeze each owing org's A–X tally (R10)")]
