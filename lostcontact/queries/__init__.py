"""Reads: lists, case views, alerts and tallies. Scoped to the actor's subtrees, `as_of` aware."""
