"""The discipline commission's register (PROGRAMMES.md §5, docs/discipline-register.md)."""
