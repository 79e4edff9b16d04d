"""telex: French news in, political events out (CAMEO / PLOVER), with provenance."""

__version__ = "0.1.0"
