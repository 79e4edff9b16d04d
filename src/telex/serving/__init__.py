"""`telex serve`: the event database as a read-only JSON API and a browser dashboard."""
