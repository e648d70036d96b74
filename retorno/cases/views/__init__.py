"""Pages for persons and cases, one module per part of the case record."""
