"""CI from nothing (.ci/run, infra/system-packages.sh): what a bare machine gets installed, and that CI runs
the README's own commands."""
from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ROOT / "infra" / "system-packages.sh"


def _install_log(tmp_path: Path, installed: str) -> str:
    """Runs infra/system-packages.sh with dpkg-query, apt-get and sudo faked: `installed` is what dpkg knows."""
    fake = tmp_path / "bin"
    fake.mkdir()
    scripts = {
        "dpkg-query": 'for p; do :; done; case " $INSTALLED " in *" $p "*) printf "install ok installed";; *) exit 1;; esac',
        "apt-get": 'echo "$@" >> "$APT_LOG"',
        "sudo": 'exec "$@"',
    }
    for name, body in scripts.items():
        (fake / name).write_text(f"#!/bin/sh\n{body}\n")
        (fake / name).chmod(0o755)
    log = tmp_path / "apt.log"
    env = {**os.environ, "PATH": f"{fake}{os.pathsep}{os.environ['PATH']}", "INSTALLED": installed,
           "APT_LOG": str(log)}
    done = subprocess.run(["bash", str(PACKAGES)], env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return log.read_text() if log.exists() else ""


def test_a_bare_machine_gets_the_venv_module_the_postgresql_server_and_chromium_but_no_chromedriver(tmp_path):
    log = _install_log(tmp_path, installed="")
    install = next(line for line in log.splitlines() if line.split()[0] == "install").split()
    assert {"python3-venv", "postgresql", "postgresql-client", "chromium", "fonts-noto-cjk"} <= set(install)
    assert "libreoffice-calc" in install  # the print test converts every workbook to PDF (tests/reports/test_printing.py)
    assert "chromium-driver" not in install


def test_a_prepared_machine_installs_nothing(tmp_path):
    names = re.search(r"packages=\(([^)]*)\)", PACKAGES.read_text()).group(1).split()
    assert _install_log(tmp_path, installed=" ".join(names)) == ""


def _readme_commands() -> list[str]:
    section = ROOT.joinpath("README.md").read_text(encoding="utf-8").split("## Two commands", 1)[1].split("\n## ", 1)[0]
    return [block.strip() for block in re.findall(r"```bash\n(.*?)```", section, re.DOTALL)]


def test_the_demo_command_installs_no_extras_and_the_test_command_adds_them():
    demo, tests = _readme_commands()
    assert "pip install -e . &&" in demo and "[" not in demo and demo.endswith("lostcontact demo")
    assert tests.startswith("pip install -e '.[test,pdf]' && ") and tests.endswith("python -m pytest")


def test_ci_runs_the_readmes_test_command_in_a_fresh_virtualenv_and_lists_the_slowest_tests():
    ci = ROOT.joinpath(".ci", "run").read_text(encoding="utf-8").splitlines()
    _demo, tests = _readme_commands()
    assert ci.index("rm -rf .venv") < ci.index("python3 -m venv .venv") < ci.index(f"{tests} --durations=20")
