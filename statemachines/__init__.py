"""The pure domain: states, triggers, dispositions, guards, policy and date rules.

Nothing here imports SQLAlchemy, Prefect or Jinja, and nothing reads the wall clock:
every rule takes the date it is judged on as an argument.
"""
