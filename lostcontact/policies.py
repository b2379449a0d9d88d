"""Policy versions stored in the database: the one every process uses (DOMAIN.md §6.2)."""
from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import PolicyVersion
from statemachines.errors import BadInput, Refused
from statemachines.policy import Policy, default_policy_text, parse_policy

_parsed: dict[str, Policy] = {}  # versions are immutable once stored, so parsing once per process is safe


def _parse_cached(row: PolicyVersion) -> Policy:
    policy = _parsed.get(row.version)
    if policy is None or policy.source_text != row.body:
        policy = _parsed[row.version] = parse_policy(row.body, f"policy version {row.version}")
    return policy


def policy_as_of(session: Session, day: date) -> Policy:
    """The newest stored version effective on or before `day` (the shipped default when none is stored)."""
    row = session.scalar(select(PolicyVersion).where(PolicyVersion.effective_from <= day)
                         .order_by(PolicyVersion.effective_from.desc(), PolicyVersion.id.desc()).limit(1))
    if row is None:
        return parse_policy(default_policy_text(), "default_policy.toml")
    return _parse_cached(row)


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
