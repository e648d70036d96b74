from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo data, built by the same code the tests use for their personas."""

    name = "retorno.demo"
    label = "demo"
