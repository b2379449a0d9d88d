"""Errors users can cause. Each carries a Chinese and an English sentence and the exit code of
INTERFACE.md; entry points print them, nothing else needs to know how.

The sentences name what is missing in words (须说明原因), never a command-line option: the web shows them
to people filling in a form. Where the command line supplies the value by an option, the error carries it
(`option="--note"`) and only the command line's lines name it."""
from __future__ import annotations

from dataclasses import dataclass, field


class LostContactError(Exception):
    exit_code = 1

    def __init__(self, zh: str, en: str, option: str | None = None, *,
                 details: list[tuple[str, str]] | None = None):
        super().__init__(en)
        self.zh = zh
        self.en = en
        self.option = option  # the command-line option that supplies what is missing, e.g. "--note"
        self.details = details or []  # further (zh, en) lines, e.g. every bad row of a file

    def lines(self) -> list[str]:
        """The command line's words: the option, if any, named after each sentence."""
        hint_zh, hint_en = (f"（{self.option}）", f" ({self.option})") if self.option else ("", "")
        out = [f"错误：{self.zh}{hint_zh}", f"error: {self.en}{hint_en}"]
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


@dataclass
class Refusals:
    """Where a guard writes why it said no: the first reason is the refusal, as `Refused(*refusals[0])`.
    Mixed into every lifecycle's context (the field is keyword-only, so contexts keep their own order)."""
    refusals: list[tuple[str, str, str | None]] = field(default_factory=list, kw_only=True)

    def refuse(self, zh: str, en: str, option: str | None = None) -> bool:
        self.refusals.append((zh, en, option))
        return False
