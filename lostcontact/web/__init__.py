"""The web UI and JSON API (`lostcontact serve`)."""
from .app import create_app

__all__ = ["create_app"]
