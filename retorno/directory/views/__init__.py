"""Pages of the directory of services."""
