"""The travel-documents programme (PROGRAMMES.md §1–§3): code tables, the registration and custody
lifecycles. Pure domain: no SQLAlchemy, no wall clock; every rule takes the day it reasons about."""
