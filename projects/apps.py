from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "projects"
    verbose_name = _("Projets d'informatisation")

    def ready(self) -> None:
        from . import deliverables_planning, signals  # noqa: F401  (receivers)

        deliverables_planning.register_all()
