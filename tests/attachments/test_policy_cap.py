"""The attachment cap is policy: `[attachments] max_mb`, 1–200, and 20 for any policy written before it existed."""
import re

import pytest

from statemachines.errors import BadInput
from statemachines.policy import default_policy, default_policy_text, parse_policy

WITHOUT_TABLE = re.sub(r"\n# 佐证材料.*?\n\[attachments\]\nmax_mb = 20\n", "\n", default_policy_text(), flags=re.S)


def test_the_shipped_policy_caps_attachments_at_20_mb():
    assert default_policy().attachment_max_mb == 20
    assert default_policy().attachment_max_bytes == 20 * 1024 * 1024


def test_a_policy_stored_before_the_cap_existed_still_loads_with_20_mb():
    assert "[attachments]" not in WITHOUT_TABLE
    assert parse_policy(WITHOUT_TABLE, "old.toml").attachment_max_mb == 20


@pytest.mark.parametrize("value", ["1", "200"])
def test_a_cap_within_bounds_is_accepted(value):
    text = default_policy_text().replace("max_mb = 20", f"max_mb = {value}")
    assert parse_policy(text).attachment_max_mb == int(value)


@pytest.mark.parametrize("value", ["0", "201", "-5", '"20"', "20.5", "true"])
def test_a_cap_out_of_bounds_or_not_a_whole_number_is_refused(value):
    with pytest.raises(BadInput, match="max_mb must be an integer from 1 to 200"):
        parse_policy(default_policy_text().replace("max_mb = 20", f"max_mb = {value}"), "bad.toml")


def test_an_unknown_key_in_the_attachments_table_is_refused():
    with pytest.raises(BadInput, match="unknown keys"):
        parse_policy(default_policy_text().replace("max_mb = 20", "max_mb = 20\nmax_files = 3"), "bad.toml")
