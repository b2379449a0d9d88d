"""`lostcontact demo`: a fresh demo database, a realistic org tree and roster, the daily flows run
in-process over D days with simulated officers, then the open alerts by traffic light."""
from .runner import DEMO_FILE, DemoResult, demo_start, run_demo, run_travel_demo

__all__ = ["run_demo", "run_travel_demo", "demo_start", "DemoResult", "DEMO_FILE"]
