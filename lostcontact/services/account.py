"""Who is logged in: what the page header shows and what every request is checked against."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class LoginGrant:
    role: str
    role_label: str
    org_code: str
    org_name: str


@dataclass(frozen=True)
class Account:
    """Who is logged in: what the page header shows and what the session is checked against."""
    id: int
    login: str
    name: str | None
    grants: tuple[LoginGrant, ...]

    @property
    def roles(self) -> frozenset[str]:
        return frozenset(g.role for g in self.grants)
