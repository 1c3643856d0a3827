"""`{% organization_projects organization %}`: the "EU projects" section of a registry profile."""

from decimal import Decimal
from typing import Any

from django import template

from clusterhub.projects.selectors import organization_participations
from clusterhub.registry.models import Organization

register = template.Library()


@register.inclusion_tag("projects/_organization_projects.html")
def organization_projects(organization: Organization) -> dict[str, Any]:
    participations = organization_participations(organization=organization)
    return {
        "participations": participations,
        "eu_total": sum((p.eu_contribution or Decimal(0) for p in participations), Decimal(0)),
    }
