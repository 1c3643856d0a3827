import logging

from django.apps import AppConfig
from django.contrib.auth.signals import user_logged_in

logger = logging.getLogger(__name__)


def _record_sign_in(sender: type, request: object, user: object, **kwargs: object) -> None:
    """A sign-in counts towards the engagement of the person's organizations."""
    from clusterhub.engagement.services import login_record

    try:
        login_record(person=user)  # type: ignore[arg-type]
    except Exception:
        # Bookkeeping must never stop someone from signing in.
        logger.exception("Could not record the sign-in of person %s", getattr(user, "pk", None))


class EngagementConfig(AppConfig):
    name = "clusterhub.engagement"
    label = "engagement"

    def ready(self) -> None:
        user_logged_in.connect(_record_sign_in, dispatch_uid="engagement_record_sign_in")
