from datetime import date

import pytest

from ..builders import build_world

LOST = date(2015, 8, 31)   # last contact: six months run out on 2016-02-29, so R1 holds from 2016-03-01


@pytest.fixture
def world(db):
    return build_world(db)
