"""The service layer: every entry point (CLI, web, flows) calls these functions; each owns one
unit of work and takes today's date from the caller."""
