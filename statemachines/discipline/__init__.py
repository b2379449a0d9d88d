"""The discipline commission's register of 失联, 外逃 and 出走 (PROGRAMMES.md §5): pure rules."""
