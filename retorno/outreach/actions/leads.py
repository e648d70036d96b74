"""To be written."""

VERBS: dict = {}
