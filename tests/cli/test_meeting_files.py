"""A meeting file is exactly the documented shape — the six keys, whole head counts from 0 to 1,000,000 (the
API's bound), a YYYY-MM-DD date, no unknown or repeated key — or the action is refused, exit 4, naming the key,
and the case is unchanged. Nesting 200,000 levels deep is refused the same way, not with a crash."""
import json

import pytest

GOOD = {"date": "2016-04-12", "entitled": 23, "present": 20, "for": 17, "against": 1, "abstain": 1}


def good_with(**changes) -> str:
    return json.dumps({**GOOD, **{k.rstrip("_"): v for k, v in changes.items()}})


HOSTILE = {
    "votes beyond any meeting": (good_with(entitled=10 ** 30, present=10 ** 30, for_=10 ** 30, against=0, abstain=0), "entitled"),
    "votes of 2**63": (good_with(entitled=2 ** 63, present=2 ** 63, for_=2 ** 63, against=0, abstain=0), "entitled"),
    "a date as an integer": (good_with(date=20160412), "date"),
    "a date in ISO week form": (good_with(date="2016-W15-2"), "date"),
    "an unknown key": (good_with(chair="王书记"), "chair"),
    "a repeated key": ('{"date": "2016-04-12", "entitled": 23, "present": 20, "for": 17, "against": 1, '
                       '"abstain": 1, "for": 15}', "for"),
    "nesting 200,000 deep": ("[" * 200_000 + "]" * 200_000, "nested too deeply"),
    "a 5,000-digit count": (good_with(date="2016-04-12").replace('"entitled": 23', '"entitled": ' + "9" * 5000),
                            "JSON"),
    "a fraction": (good_with(present=19.5), "present"),
}


@pytest.fixture
def case_in_meeting_resolution(cli, zhang_san):
    opened = cli("case", "open", zhang_san, "--cause", "1", "--at", "2016-03-01", "--actor", "officer1")
    case_id = opened.stdout.strip().rsplit(" ", 1)[-1]
    assert cli("case", "fire", case_id, "start_search", "--at", "2016-03-02", "--actor", "officer1").exit_code == 0
    return case_id


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_a_meeting_file_not_of_the_documented_shape_is_refused_naming_the_key(cli, case_in_meeting_resolution,
                                                                              tmp_path, name):
    text, key = HOSTILE[name]
    path = tmp_path / "meeting.json"
    path.write_text(text, encoding="utf-8")
    before = cli.json("case", "show", case_in_meeting_resolution)
    result = cli("case", "fire", case_in_meeting_resolution, "resolve", "--meeting", path, "--at", "2016-04-12",
                 "--actor", "officer1")
    assert result.exit_code == 4, result.output
    assert key in result.stderr and "会议文件" in result.stderr and "meeting file" in result.stderr
    assert cli.json("case", "show", case_in_meeting_resolution) == before
