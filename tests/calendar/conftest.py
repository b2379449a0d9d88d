import pytest

from statemachines.clocks import PACKAGE_ONLY, install_calendar


@pytest.fixture(autouse=True)
def package_calendar_afterwards():
    """A test's stored years stay in its database: later tests count with the package alone."""
    yield
    install_calendar(PACKAGE_ONLY)


def write_file(tmp_path, text: str, name: str = "holidays.toml") -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)
