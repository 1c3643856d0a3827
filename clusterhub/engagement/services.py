"""Writes of engagement: sign-in days, and the invitations managers send to quiet members."""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from clusterhub.engagement.models import LoginEvent, ReEngagementInvitation
from clusterhub.engagement.selectors import (
    INVITATION_COOLDOWN_DAYS,
    Suggestions,
    recent_invitation,
)
from clusterhub.people.models import ConsentPurpose, OrganizationRole, Person
from clusterhub.privacy.selectors import with_consent
from clusterhub.regions.models import Cluster
from clusterhub.registry.models import Organization


def login_record(*, person: Person, at: datetime | None = None) -> int:
    """Note that `person` signed in, once a day for each of their organizations.

    Returns how many sign-in days were new. People without an organization are not recorded:
    engagement is measured for organizations only.
    """
    at = at or timezone.now()
    day = timezone.localdate(at)
    organization_ids = list(
        OrganizationRole.objects.filter(person=person).values_list("organization_id", flat=True)
    )
    if not organization_ids:
        return 0
    known = set(
        LoginEvent.objects.filter(
            person=person, organization_id__in=organization_ids, day=day
        ).values_list("organization_id", flat=True)
    )
    new = [
        LoginEvent(person=person, organization_id=organization_id, at=at, day=day)
        for organization_id in organization_ids
        if organization_id not in known
    ]
    # A second sign-in racing this one may insert the same day first: that row is kept.
    LoginEvent.objects.bulk_create(new, ignore_conflicts=True)
    return len(new)


def _link(site_url: str, route: str, pk: int) -> str:
    try:
        return site_url.rstrip("/") + reverse(route, args=[pk])
    except NoReverseMatch:
        return ""


@transaction.atomic
def reengagement_invite(
    *,
    cluster: Cluster,
    organization: Organization,
    sender: Person,
    suggestions: Suggestions,
    site_url: str,
) -> ReEngagementInvitation:
    """Email the organization's people an invitation back, with the suggestions shown to the
    manager, and record it. Refused (nothing sent, nothing stored) when the cluster invited
    this organization in the last INVITATION_COOLDOWN_DAYS days, or when nobody of the
    organization has an account.

    A service message of the cluster to its member, like an event invitation: it goes to
    every active person of the organization with an active terms consent (given when they
    accepted their invitation, docs/privacy.md), in their language; the digest consent is not
    needed.
    """
    # Serializes two managers inviting the same organization at the same moment (PostgreSQL).
    Organization.objects.select_for_update().filter(pk=organization.pk).first()
    previous = recent_invitation(cluster=cluster, organization=organization)
    if previous is not None:
        raise ValidationError(
            _("%(name)s was already invited on %(date)s; invite again after %(days)d days.")
            % {
                "name": organization.name,
                "date": formats.date_format(timezone.localtime(previous.sent_at).date()),
                "days": INVITATION_COOLDOWN_DAYS,
            }
        )
    accounts = Person.objects.filter(
        organization_roles__organization=organization, is_active=True
    ).distinct()
    # Only people who accepted the terms, which cover their cluster's service messages.
    people = list(with_consent(accounts, ConsentPurpose.TERMS).order_by("email"))
    if not people and accounts.exists():
        raise ValidationError(
            _(
                "Nobody of %(name)s has accepted the terms that allow messages: there is no one "
                "to invite."
            )
            % {"name": organization.name}
        )
    if not people:
        raise ValidationError(
            _("Nobody of %(name)s has an account: there is no one to invite.")
            % {"name": organization.name}
        )
    invitation = ReEngagementInvitation(
        organization=organization,
        cluster=cluster,
        sent_by=sender,
        sent_at=timezone.now(),
        recipients=len(people),
        suggestions=suggestions.snapshot(),
    )
    invitation.full_clean()
    invitation.save()
    links = {
        "event": _link(site_url, "events:detail", suggestions.event.pk)
        if suggestions.event is not None
        else "",
        "opportunity": _link(site_url, "opportunities:detail", suggestions.opportunity.pk)
        if suggestions.opportunity is not None
        else "",
        "partner": _link(site_url, "registry:organization_detail", suggestions.partner.pk)
        if suggestions.partner is not None
        else "",
        "engagement": _link(site_url, "engagement:organization", organization.pk),
    }
    messages = []
    for person in people:
        with translation.override(person.language):
            context = {
                "person": person,
                "organization": organization,
                "cluster": cluster,
                "sender": sender,
                "suggestions": suggestions,
                "links": links,
            }
            messages.append(
                EmailMessage(
                    subject=_("%(cluster)s would like to see %(organization)s again")
                    % {"cluster": cluster.name, "organization": organization.name},
                    body=render_to_string("engagement/invitation_email.txt", context),
                    to=[person.email],
                )
            )
    # Sent inside the transaction: if the mail server refuses, nothing is recorded either.
    get_connection().send_messages(messages)
    return invitation
