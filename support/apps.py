from django.apps import AppConfig


class SupportConfig(AppConfig):
    name = "support"
    verbose_name = "Support and safety"

    def ready(self) -> None:
        from . import checks  # noqa: F401  (registers the helpline checks)
