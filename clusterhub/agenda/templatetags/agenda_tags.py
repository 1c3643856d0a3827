"""Template tags for other apps' pages that show the agenda (a contribution's "taken up by")."""

from typing import Any

from django import template
from django.contrib.auth.models import AnonymousUser

from clusterhub.agenda.selectors import items_answering

register = template.Library()


@register.simple_tag(takes_context=True)
def taken_up_by(context: Any, contribution: Any) -> list[Any]:
    """The agenda items, of versions the viewer may read, that answer this contribution."""
    request = context.get("request")
    viewer = getattr(request, "user", None) or AnonymousUser()
    return items_answering(contribution, viewer=viewer)
