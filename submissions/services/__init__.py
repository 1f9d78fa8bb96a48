"""Writes of the submissions app, one module per subject (deliverables, uploads, teams,
extensions, calendar feeds)."""
