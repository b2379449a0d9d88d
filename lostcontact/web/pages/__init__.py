"""The server-rendered pages: one module per page, each exposing `router`."""
