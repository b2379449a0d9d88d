"""The lists that mask numbers in SQL (custody-gaps, the checks' evidence) show exactly what
lostcontact.masking shows: the same characters kept, the same stars, for any length."""
from __future__ import annotations

from hypothesis import given, settings, strategies as st
from sqlalchemy import create_engine, literal, select

from lostcontact.masking import mask_document, mask_id
from lostcontact.services.travel.check_sql import masked_document, masked_id

_ENGINE = create_engine("sqlite://")
_NUMBERS = st.text(alphabet="0123456789XEGH", min_size=1, max_size=40)


def _in_sql(mask, number: str) -> str:
    with _ENGINE.connect() as conn:
        return conn.scalar(select(mask(literal(number))))


@settings(max_examples=200, deadline=None)
@given(_NUMBERS)
def test_an_id_number_masked_in_sql_reads_as_the_python_mask(number):
    assert _in_sql(masked_id, number) == mask_id(number)


@settings(max_examples=200, deadline=None)
@given(_NUMBERS)
def test_a_document_number_masked_in_sql_reads_as_the_python_mask(number):
    assert _in_sql(masked_document, number) == mask_document(number)
