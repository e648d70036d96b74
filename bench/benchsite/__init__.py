"""A settings module and URLconf for the benchmark: the real site plus two yardsticks."""
