"""The `lostcontact` command line: parse, call a service, print. No rule lives here."""
