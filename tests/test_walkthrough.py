"""The README's walkthrough (examples/walkthrough.sh) works exactly as written."""
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # a shell script of ~15 CLI processes, each importing the package

ROOT = Path(__file__).resolve().parent.parent


def test_the_readme_walkthrough_takes_one_case_from_import_to_closed(tmp_path):
    env = {**os.environ, "LOSTCONTACT_DB": f"sqlite:///{tmp_path / 'walkthrough.db'}",
           "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    run = subprocess.run(["bash", str(ROOT / "examples" / "walkthrough.sh")], cwd=tmp_path, env=env,
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr[-2000:]
    listing = run.stdout[run.stdout.index("[\n"):run.stdout.index("\n]") + 2]
    [case] = json.loads(listing)
    assert (case["state"], case["disposition"], case["opened_on"]) == ("closed", "normal_management", "2016-03-01")
    assert "均已校验 / every sum of the form checked" in run.stdout
