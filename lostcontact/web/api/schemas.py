"""Request bodies of the JSON API, bounded so that no generated input reaches the database unchecked
(integers fit a 32-bit column, texts have a length)."""
from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from statemachines.codes import CHANNELS, OUTCOMES
from statemachines.dispositions import DISPOSITIONS
from statemachines.guards import MAX_MEETING_COUNT
from statemachines.isodate import parse_iso_date
from statemachines.lifecycle import TRIGGERS
from statemachines.texts import MAX_NOTE, MAX_OPINION, MAX_WITNESS

def _strict_day(value: object) -> date:
    if isinstance(value, date) and not isinstance(value, datetime):
        return value  # given by Python code, not parsed from a request
    return parse_iso_date(value)


# A date in a request: exactly YYYY-MM-DD (422 otherwise). Plain `date` would take a Unix timestamp,
# "2016-04-12T00:00:00" and more; bodies, query strings and forms of the API and the pages all use this.
Day = Annotated[date, BeforeValidator(_strict_day)]

MAX_ID = 2**31 - 1
Count = Field(ge=0, le=MAX_MEETING_COUNT)

Trigger = Literal[tuple(TRIGGERS)]  # type: ignore[valid-type]
Channel = Literal[tuple(CHANNELS)]  # type: ignore[valid-type]
Outcome = Literal[tuple(OUTCOMES)]  # type: ignore[valid-type]
DispositionId = Literal[tuple(DISPOSITIONS)]  # type: ignore[valid-type]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class LoginBody(Strict):
    login: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=256)


class MeetingBody(Strict):
    date: Day
    entitled: int = Count
    present: int = Count
    for_: int = Field(alias="for", ge=0, le=MAX_MEETING_COUNT)
    against: int = Count
    abstain: int = Count

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    def as_mapping(self) -> dict:
        return {"date": self.date.isoformat(), "entitled": self.entitled, "present": self.present,
                "for": self.for_, "against": self.against, "abstain": self.abstain}


class FireBody(Strict):
    trigger: Trigger
    expected_version: int | None = Field(None, ge=0, le=MAX_ID, description="案件版本（乐观锁）/ the case version read")
    at: Day | None = Field(None, description="补录日期 / the day the action was taken on paper")
    disposition: DispositionId | None = None
    cause: int | None = Field(None, ge=1, le=7)
    opinion: str | None = Field(None, max_length=MAX_OPINION)
    meeting: MeetingBody | None = None


class SearchBody(Strict):
    channel: Channel
    outcome: Outcome
    at: Day | None = None
    note: str | None = Field(None, max_length=MAX_NOTE)
    witness: str | None = Field(None, max_length=MAX_WITNESS)


class OpenBody(Strict):
    id_number: str = Field(min_length=15, max_length=18, pattern=r"^[0-9]{15}([0-9]{2}[0-9Xx])?$")
    cause: int | None = Field(None, ge=1, le=7)
    at: Day | None = None


class SearchTermBody(Strict):
    q: str = Field(min_length=1, max_length=40, description="姓名、案件编号、身份证号或其后 4–6 位 / name, case number, "
                                                            "ID number or its last 4–6 characters")
