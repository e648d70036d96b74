from django.apps import AppConfig


class LibConfig(AppConfig):
    """Helpers without models: template tags, form rendering, middleware."""

    name = "retorno.lib"
    label = "lib"
