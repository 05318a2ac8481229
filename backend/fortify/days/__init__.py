"""The `/days` endpoints: a person's day reports, series, weeks and patterns over HTTP.

The web and database edge of the scoring engine: `service.py` loads the person's rows and builds
the engine's plain `DayInput`, `router.py` serves the results, `schemas.py` documents them. The
engine itself (`fortify.scoring`) stays pure: it imports nothing from here.
"""
