from django.apps import AppConfig
from django.db.models.signals import post_delete


def _forget_deleted_organization(sender: type, instance: object, **kwargs: object) -> None:
    """Any delete (admin, merge, cascade) takes the profile out of the index after commit."""
    from clusterhub.matchmaking.hooks import match_index_changed_on_commit

    match_index_changed_on_commit([instance.pk])  # type: ignore[attr-defined]


class MatchmakingConfig(AppConfig):
    name = "clusterhub.matchmaking"
    label = "matchmaking"

    def ready(self) -> None:
        from clusterhub.registry.models import Organization

        post_delete.connect(
            _forget_deleted_organization, sender=Organization, dispatch_uid="match_index_delete"
        )
