"""Programmes of assisted return and their cycles: no personal data."""
