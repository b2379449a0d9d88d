"""The travel programme's tables are declared when first named, or when `Base` (the whole schema) is:
importing the models for a lost-contact command declares none of them (the command line starts fast),
and the schema Alembic, create_all and the tests see is still every table."""
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

IN_A_FRESH_PROCESS = """
import sys
import models
from models import Case, Org
travel = ("models.travel", "models.change_reports", "models.trips", "models.self_reports", "models.police")
assert not set(travel) & set(sys.modules), set(travel) & set(sys.modules)
from models import Person
assert Person.__tablename__ == "persons" and "models.travel" in sys.modules
assert "models.police" not in sys.modules
tables = set(models.Base.metadata.tables)
assert {"cases", "orgs", "persons", "travel_documents", "registration_reports", "trips", "self_reports",
        "police_holdings", "problems"} <= tables, tables
assert models.Problem.__table__.metadata is models.Base.metadata
assert models.ON_FIRST_USE.keys() <= set(models.__all__)
try:
    models.NoSuchModel
except AttributeError:
    print("ok")
"""


def test_the_travel_tables_are_declared_on_first_use_and_base_is_every_table():
    run = subprocess.run([sys.executable, "-c", IN_A_FRESH_PROCESS], cwd=ROOT, capture_output=True, text=True,
                         env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"}, timeout=120)
    assert run.stdout.strip() == "ok", run.stderr
