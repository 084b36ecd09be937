from django.apps import AppConfig


class ModulesConfig(AppConfig):
    name = "modules"
    verbose_name = "Module player"

    def ready(self) -> None:
        from . import checks  # noqa: F401  (registers the content check)
