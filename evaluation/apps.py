from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    name = "evaluation"
    verbose_name = "Anonymous evaluation"

    def ready(self) -> None:
        from . import checks  # noqa: F401  (registers the threshold check)
