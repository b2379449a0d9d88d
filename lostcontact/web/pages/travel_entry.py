"""证件管理's data-entry forms, one router: a person (travel_person_entry), their documents and trips
(travel_holding_entry). The steps taken on what they record are on the person's, document's and trip's pages."""
from __future__ import annotations

from fastapi import APIRouter

from . import travel_holding_entry, travel_person_entry

router = APIRouter(include_in_schema=False)
for _module in (travel_person_entry, travel_holding_entry):
    router.include_router(_module.router)
