"""Errors users can cause. Each carries a Chinese and an English sentence and the exit code of
INTERFACE.md; entry points print them, nothing else needs to know how."""
from __future__ import annotations


class LostContactError(Exception):
    exit_code = 1

    def __init__(self, zh: str, en: str, *, details: list[tuple[str, str]] | None = None):
        super().__init__(en)
        self.zh = zh
        self.en = en
        self.details = details or []  # further (zh, en) lines, e.g. every bad row of a file

    def lines(self) -> list[str]:
        out = [f"错误：{self.zh}", f"error: {self.en}"]
        for zh, en in self.details:
            out += [f"  {zh}", f"  {en}"]
        return out


class UsageError(LostContactError):
    exit_code = 2


class Refused(LostContactError):
    """Permission, subtree, wrong state, guard, bad `--at`, unknown actor: nothing changed."""
    exit_code = 3


class Conflict(Refused):
    """Someone else changed the case first (optimistic lock)."""


class BadInput(LostContactError):
    """A bad file, an unknown case id/org code/ID number, or an output this installation cannot make."""
    exit_code = 4
