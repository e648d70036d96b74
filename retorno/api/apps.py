from django.apps import AppConfig


class ApiConfig(AppConfig):
    """Wiring for /api/v1/: authentication, errors, pagination, schema."""

    name = "retorno.api"
    label = "api"

    def ready(self):
        from retorno.api import strict

        strict.install()
