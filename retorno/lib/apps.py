from django.apps import AppConfig


class LibConfig(AppConfig):
    """Helpers without models: template tags, form rendering, middleware."""

    name = "retorno.lib"
    label = "lib"

    def ready(self):
        from retorno.lib import plugins  # the plugins import the apps' models: after they load

        plugins.load()
