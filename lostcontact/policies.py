"""Policy versions stored in the database: the one every process uses (DOMAIN.md §6.2)."""
from __future__ import annotations

import logging
from datetime import date
from pathlib import Path

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from models import PolicyVersion
from statemachines.errors import BadInput, Refused
from statemachines.policy import Policy, default_policy_text, parse_policy

from .prepared import Prepared, connection_of

_parsed: dict[str, Policy] = {}  # versions are immutable once stored, so parsing once per process is safe
_unusable: dict[str, str] = {}   # version -> body of a stored version that fails today's validation
log = logging.getLogger(__name__)


_versions = PolicyVersion.__table__


def _newest_as_of(*columns):
    return (select(*columns).where(_versions.c.effective_from <= bindparam("policy_day"))
            .order_by(_versions.c.effective_from.desc(), _versions.c.id.desc()).limit(1))


# Built once so SQLAlchemy reuses their cache keys and compiled forms; table columns, not an entity.
_NEWEST_AS_OF = _newest_as_of(_versions.c.version, _versions.c.body)
_NEWEST_AS_OF_PREPARED = Prepared(_NEWEST_AS_OF)  # on the driver's cursor (lostcontact.prepared)
# The same lookup as two columns to select alongside another row (the case a transition loads), saving a
# round trip; the statement that selects them takes the parameter `policy_day`. Read with `policy_from`.
IN_FORCE_VERSION = _newest_as_of(_versions.c.version).scalar_subquery()
IN_FORCE_BODY = _newest_as_of(_versions.c.body).scalar_subquery()


def policy_from(version: str | None, body: str | None) -> Policy | None:
    """The policy of a stored version (parsed once per process), or the shipped default when none is stored.
    None for a stored version that fails validation (stored before today's bounds, or written into the
    table by hand): whoever reads it falls back to `policy_as_of`, which skips it, so one bad version can
    never stop every transition and sweep."""
    if version is None:
        return parse_policy(default_policy_text(), "default_policy.toml")
    if _unusable.get(version) == body:
        return None
    policy = _parsed.get(version)
    if policy is None or policy.source_text != body:
        try:
            policy = _parsed[version] = parse_policy(body, f"policy version {version}")
        except BadInput as exc:
            log.warning("policy version %s is skipped: %s", version, exc.en)
            _unusable[version] = body
            return None
    return policy


_VERSIONS_AS_OF = (select(_versions.c.version, _versions.c.body)
                   .where(_versions.c.effective_from <= bindparam("policy_day"))
                   .order_by(_versions.c.effective_from.desc(), _versions.c.id.desc()))


def policy_as_of(session: Session, day: date) -> Policy:
    """The newest stored version effective on or before `day` that passes validation (the shipped default
    when none does). Normally the first row read is the answer; an unusable version is passed over."""
    row = _NEWEST_AS_OF_PREPARED.run(connection_of(session), {"policy_day": day}).first()
    policy = policy_from(*row) if row else policy_from(None, None)
    if policy is not None:
        return policy
    for version, body in connection_of(session).execute(_VERSIONS_AS_OF, {"policy_day": day}):
        policy = policy_from(version, body)
        if policy is not None:
            return policy
    return policy_from(None, None)


def ensure_default_policy(session: Session, override_path: str | None = None) -> Policy:
    """Store the shipped default (or the LOSTCONTACT_POLICY file) as the first version, once."""
    text = Path(override_path).read_text(encoding="utf-8") if override_path else default_policy_text()
    policy = parse_policy(text, override_path or "default_policy.toml")
    if session.scalar(select(PolicyVersion.id).limit(1)) is None:
        session.add(PolicyVersion(version=policy.version, effective_from=policy.effective_from, body=text,
                                  loaded_by="init"))
    return policy


def store_policy(session: Session, path: str, loaded_by: str, today: date) -> Policy:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise BadInput(f"无法读取策略文件 {path}：{exc}", f"cannot read policy file {path}: {exc}") from None
    policy = parse_policy(text, path)
    if session.scalar(select(PolicyVersion.id).where(PolicyVersion.version == policy.version)) is not None:
        raise Refused(f"策略版本 {policy.version} 已存在，请使用新的 version",
                      f"policy version {policy.version} already exists: give the file a new version")
    # a loaded version takes effect from its load date (never retroactively)
    session.add(PolicyVersion(version=policy.version, effective_from=today, body=text, loaded_by=loaded_by))
    return policy
