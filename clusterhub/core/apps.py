from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _install_page_generation_triggers(using: str = "default", **kwargs: Any) -> None:
    from clusterhub.core.pagecache import install_triggers

    install_triggers(using)


class CoreConfig(AppConfig):
    name = "clusterhub.core"
    label = "core"

    def ready(self) -> None:
        post_migrate.connect(_install_page_generation_triggers, sender=self)
