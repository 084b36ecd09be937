from django.apps import AppConfig


class ModulesConfig(AppConfig):
    name = "modules"
    verbose_name = "Module player"

    def ready(self) -> None:
        from evaluation import labels

        from . import checks  # noqa: F401  (registers the content check)
        from .counting import describe

        labels.register(describe)  # the dashboard's words for steps and statements
