"""The digest: one email per person per period gathering what is new for them.

Sections, each built by one function below:
- events they may like (events.selectors.upcoming_events_for, for their organization);
- new opportunities, ranked for their organization (opportunities.selectors);
- new matches of their saved searches (matchmaking.services.saved_search_new_matches);
- agenda consultations of their clusters: opened, closing soon, results (`_agenda_consultations`);
- replies: new comments on their contributions and answers to their comments.

Only people with an active consent of purpose "digest" (given, not withdrawn) and a daily or
weekly preference get one, when their period has passed since the last; an empty digest is
not sent. `send_digests` (the command and the task) sends them; each email carries a signed
unsubscribe link that works without signing in.
"""

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Q, QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from clusterhub.digest.models import DigestFrequency, DigestPreference
from clusterhub.env import env_str
from clusterhub.people.models import Consent, ConsentPurpose, Person

logger = logging.getLogger(__name__)

CONSENT_VERSION = "digest-1"
UNSUBSCRIBE_SALT = "clusterhub.digest.unsubscribe"
PERIODS = {DigestFrequency.DAILY: timedelta(days=1), DigestFrequency.WEEKLY: timedelta(days=7)}
# A scheduler that runs a little early (cron at 07:00, last sent 07:00:03) still finds it due.
SLACK = timedelta(hours=1)
EVENTS_SHOWN = 5
OPPORTUNITIES_SHOWN = 5
MATCHES_SHOWN = 5  # per saved search
REPLIES_SHOWN = 10
EVENT_HORIZON = timedelta(days=45)  # events starting within this time are worth mentioning
CLOSING_SOON = timedelta(days=3)  # an agenda consultation closing within this is mentioned


# --- Consent and preference -----------------------------------------------------------------


def active_digest_consents(person: Any) -> QuerySet[Consent]:
    return Consent.objects.filter(
        person=person, purpose=ConsentPurpose.DIGEST, withdrawn_at__isnull=True
    )


def has_digest_consent(person: Any) -> bool:
    return active_digest_consents(person).exists()


def preference_of(person: Any) -> DigestPreference:
    """The person's preference as stored, or the default (weekly) not yet stored."""
    found = DigestPreference.objects.filter(person=person).first()
    return found or DigestPreference(person=person)


@transaction.atomic
def digest_subscribe(*, person: Person, frequency: str) -> DigestPreference:
    """Choose how often; daily or weekly records the consent (once), never withdraws it."""
    if frequency == DigestFrequency.OFF:
        return digest_unsubscribe(person=person)
    preference, _created = DigestPreference.objects.select_for_update().get_or_create(person=person)
    preference.frequency = frequency
    preference.full_clean()
    preference.save(update_fields=["frequency", "updated_at"])
    if not has_digest_consent(person):
        consent = Consent(
            person=person, purpose=ConsentPurpose.DIGEST, terms_version=CONSENT_VERSION
        )
        consent.full_clean()
        consent.save()
    return preference


@transaction.atomic
def digest_unsubscribe(*, person: Person) -> DigestPreference:
    """Withdraw the consent (recorded, not deleted) and stop the digest."""
    active_digest_consents(person).update(withdrawn_at=timezone.now())
    preference, _created = DigestPreference.objects.select_for_update().get_or_create(person=person)
    preference.frequency = DigestFrequency.OFF
    preference.save(update_fields=["frequency", "updated_at"])
    return preference


def unsubscribe_token(person: Any) -> str:
    return signing.dumps({"person": person.pk}, salt=UNSUBSCRIBE_SALT)


def person_for_unsubscribe_token(token: str) -> Person | None:
    """The person a token was made for, or None when it was altered or is not ours."""
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("person"), int):
        return None
    return Person.objects.filter(pk=data["person"]).first()


# --- Building a digest ----------------------------------------------------------------------


@dataclass(frozen=True)
class DigestItem:
    title: str
    url: str  # a path on this site, or an absolute address
    detail: str = ""  # one line: when, why, who
    reasons: tuple[str, ...] = ()


@dataclass
class DigestSection:
    key: str  # events, opportunities, saved_searches, consultations, replies
    title: str
    items: list[DigestItem] = field(default_factory=list)
    intro: str = ""


@dataclass
class Digest:
    person: Any
    since: datetime
    until: datetime
    sections: list[DigestSection] = field(default_factory=list)
    # (saved search, ids of the organizations reported): marked seen once the email is sent.
    saved_search_reports: list[tuple[Any, list[int]]] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not any(section.items for section in self.sections)

    @property
    def filled_sections(self) -> list[DigestSection]:
        return [section for section in self.sections if section.items]

    @property
    def item_count(self) -> int:
        return sum(len(section.items) for section in self.sections)


def _organizations(person: Any) -> list[Any]:
    from clusterhub.registry.models import Organization

    return list(
        Organization.objects.filter(person_roles__person=person).order_by("normalized_name", "id")
    )


def _events(
    person: Any, organizations: list[Any], since: datetime, until: datetime
) -> DigestSection:
    """Upcoming events suited to the person's organizations, soon enough to plan for."""
    from clusterhub.events.selectors import upcoming_events_for

    section = DigestSection("events", _("Events you may like"))
    seen: set[int] = set()
    horizon = until + EVENT_HORIZON
    for organization in organizations:
        for event in upcoming_events_for(organization, limit=EVENTS_SHOWN):
            if event.pk in seen or event.starts_at > horizon:
                continue
            seen.add(event.pk)
            when = timezone.localtime(event.starts_at).strftime("%d/%m/%Y %H:%M")
            place = f" · {event.location}" if getattr(event, "location", "") else ""
            section.items.append(
                DigestItem(
                    title=event.title,
                    url=reverse("events:detail", args=[event.pk]),
                    detail=f"{when}{place}",
                    reasons=tuple(str(r) for r in getattr(event, "match_reasons", [])),
                )
            )
    section.items = section.items[:EVENTS_SHOWN]
    return section


def _opportunities(organizations: list[Any], since: datetime) -> DigestSection:
    """Opportunities published since the last digest, ranked for the person's organization."""
    from clusterhub.opportunities.selectors import ranked_opportunities_for

    section = DigestSection("opportunities", _("New opportunities for your organization"))
    seen: set[int] = set()
    for organization in organizations:
        for item in ranked_opportunities_for(
            organization, limit=OPPORTUNITIES_SHOWN, created_after=since
        ):
            opportunity = item.opportunity
            if opportunity.pk in seen:
                continue
            seen.add(opportunity.pk)
            reasons = [
                _("%(percent)d%% similar to your profile")
                % {"percent": item.score.similarity_percent}
            ]
            if item.score.shared_clusters:
                reasons.append(
                    _("for your cluster %(names)s")
                    % {"names": ", ".join(c.name for c in item.score.shared_clusters)}
                )
            section.items.append(
                DigestItem(
                    title=opportunity.title,
                    url=reverse("opportunities:detail", args=[opportunity.pk]),
                    detail=_("%(programme)s · deadline %(date)s")
                    % {
                        "programme": opportunity.programme,
                        "date": opportunity.deadline.strftime("%d/%m/%Y"),
                    },
                    reasons=tuple(reasons),
                )
            )
    section.items = section.items[:OPPORTUNITIES_SHOWN]
    return section


def _saved_searches(person: Any, digest: Digest) -> DigestSection:
    """Organizations that newly match one of the person's saved searches."""
    from clusterhub.matchmaking.selectors import saved_searches_of
    from clusterhub.matchmaking.services import saved_search_new_matches

    section = DigestSection("saved_searches", _("New matches for your saved searches"))
    for saved in saved_searches_of(person):
        new = saved_search_new_matches(saved, mark_seen=False)
        if not new:
            continue
        digest.saved_search_reports.append((saved, [r.organization.pk for r in new]))
        for result in new[:MATCHES_SHOWN]:
            organization = result.organization
            section.items.append(
                DigestItem(
                    title=organization.name,
                    url=reverse("registry:organization_detail", args=[organization.pk]),
                    detail=_("matches “%(need)s”") % {"need": saved.query[:120]},
                    reasons=tuple(r.text[:160] for r in result.reasons[:1]),
                )
            )
    return section


def _agenda_consultations(
    person: Any, since: datetime, until: datetime | None = None
) -> DigestSection:
    """The agenda consultations of the person's clusters (where one of their organizations is
    an active member): opened since the last digest, closing within CLOSING_SOON, and results
    (versions published since)."""
    from clusterhub.agenda.models import AgendaVersion, Phase
    from clusterhub.registry.selectors import clusters_of_person

    until = until or timezone.now()
    section = DigestSection("consultations", _("Agenda consultations"))
    clusters = clusters_of_person(person)
    in_consultation = AgendaVersion.objects.filter(
        cluster__in=clusters,
        phase=Phase.CONSULTATION,
        consultation_opens_at__lte=until,
        consultation_closes_at__gt=until,
    ).select_related("cluster")
    for version in in_consultation.order_by("consultation_closes_at", "id"):
        closes = timezone.localtime(version.consultation_closes_at).strftime("%d/%m/%Y %H:%M")
        url = reverse(
            "agenda:version", kwargs={"slug": version.cluster.slug, "number": version.number}
        )
        if version.consultation_closes_at <= until + CLOSING_SOON:
            detail = _("Closing soon: vote and comment before %(date)s") % {"date": closes}
        elif version.consultation_opens_at > since:
            detail = _("Consultation open until %(date)s") % {"date": closes}
        else:
            continue
        section.items.append(
            DigestItem(
                title=f"{version.cluster.name} · v{version.number} · {version.title}",
                url=url,
                detail=detail,
            )
        )
    published = AgendaVersion.objects.filter(
        cluster__in=clusters, phase=Phase.PUBLISHED, published_at__gt=since, published_at__lte=until
    ).select_related("cluster")
    for version in published.order_by("published_at", "id"):
        section.items.append(
            DigestItem(
                title=f"{version.cluster.name} · v{version.number} · {version.title}",
                url=reverse(
                    "agenda:public_version",
                    kwargs={"slug": version.cluster.slug, "number": version.number},
                ),
                detail=_("Result: the agenda was published, with the consultation's result"),
            )
        )
    return section


def _replies(person: Any, since: datetime) -> DigestSection:
    """New comments by others on the person's contributions, and answers to their comments."""
    from clusterhub.contributions.models import Comment

    section = DigestSection("replies", _("Replies to you"))
    comments = (
        Comment.objects.filter(created_at__gt=since)
        .filter(Q(contribution__author=person) | Q(parent__author=person))
        .exclude(author=person)
        .select_related("contribution", "author", "organization")
        .order_by("-created_at", "-id")[:REPLIES_SHOWN]
    )
    for comment in comments:
        who = comment.organization.name if comment.organization else _("Someone")
        if comment.author is not None and comment.author.full_name:
            who = (
                f"{comment.author.full_name} ({who})"
                if comment.organization
                else str(comment.author)
            )
        section.items.append(
            DigestItem(
                title=comment.contribution.title,
                url=reverse("contributions:detail", args=[comment.contribution_id])
                + f"#comment-{comment.pk}",
                detail=f"{who}: {' '.join(comment.text.split())[:200]}",
            )
        )
    return section


def digest_build(person: Any, since: datetime, *, until: datetime | None = None) -> Digest:
    """Everything new for this person since `since`, by section (nothing is marked seen)."""
    until = until or timezone.now()
    digest = Digest(person=person, since=since, until=until)
    organizations = _organizations(person)
    digest.sections = [
        _events(person, organizations, since, until),
        _opportunities(organizations, since),
        _saved_searches(person, digest),
        _agenda_consultations(person, since, until),
        _replies(person, since),
    ]
    return digest


def digest_since(preference: DigestPreference, now: datetime) -> datetime:
    """The start of the next digest's period: the last one sent, else one period ago."""
    period = PERIODS.get(DigestFrequency(preference.frequency), PERIODS[DigestFrequency.WEEKLY])
    return preference.last_sent_at or now - period


def is_due(preference: DigestPreference, now: datetime) -> bool:
    period = PERIODS.get(DigestFrequency(preference.frequency))
    if period is None:
        return False
    return preference.last_sent_at is None or now - preference.last_sent_at >= period - SLACK


def preferences_due(now: datetime) -> list[DigestPreference]:
    """The preferences of people who consented and whose period has passed."""
    consented = Consent.objects.filter(
        purpose=ConsentPurpose.DIGEST, withdrawn_at__isnull=True
    ).values("person_id")
    candidates = (
        DigestPreference.objects.filter(
            frequency__in=list(PERIODS),
            person__is_active=True,
            person_id__in=consented,
        )
        .select_related("person")
        .order_by("person_id")
    )
    return [preference for preference in candidates if is_due(preference, now)]


# --- Sending --------------------------------------------------------------------------------


def site_url() -> str:
    """Where the links of an email point: CLUSTERHUB_SITE_URL (read when sending)."""
    return env_str("CLUSTERHUB_SITE_URL", "http://localhost:8000").rstrip("/")


def _absolute(base: str, url: str) -> str:
    return url if url.startswith(("http://", "https://")) or not url else base + url


def digest_email(digest: Digest, *, base_url: str) -> EmailMultiAlternatives:
    """The email of a digest: text and HTML, with the unsubscribe link and headers."""
    person = digest.person
    unsubscribe = base_url + reverse("digest:unsubscribe", args=[unsubscribe_token(person)])
    with translation.override(person.language or settings.LANGUAGE_CODE):
        sections = [
            DigestSection(
                s.key,
                s.title,
                [
                    DigestItem(i.title, _absolute(base_url, i.url), i.detail, i.reasons)
                    for i in s.items
                ],
                s.intro,
            )
            for s in digest.filled_sections
        ]
        context = {
            "person": person,
            "digest": digest,
            "sections": sections,
            "unsubscribe_url": unsubscribe,
            "settings_url": base_url + reverse("digest:settings"),
            "site_url": base_url,
        }
        subject = ngettext(
            "Your clusterhub digest: %(count)d new item",
            "Your clusterhub digest: %(count)d new items",
            digest.item_count,
        ) % {"count": digest.item_count}
        text = render_to_string("digest/email.txt", context)
        html = render_to_string("digest/email.html", context)
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        to=[person.email],
        headers={
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    message.attach_alternative(html, "text/html")
    return message


@dataclass
class SendReport:
    due: int = 0
    sent: int = 0
    empty: int = 0
    failed: int = 0

    def summary(self) -> str:
        return (
            f"{self.sent} digests sent, {self.empty} empty ones skipped, {self.failed} failed "
            f"({self.due} people due)."
        )


def digest_send(*, preference: DigestPreference, now: datetime, base_url: str) -> bool:
    """Build and send one person's digest; True when an email went out.

    After sending, the saved searches' new matches count as reported and `last_sent_at`
    moves to now. An empty digest sends nothing and moves nothing (the next run looks again
    from the same start)."""
    person = preference.person
    if not has_digest_consent(person):
        return False
    digest = digest_build(person, digest_since(preference, now), until=now)
    if digest.is_empty:
        return False
    digest_email(digest, base_url=base_url).send()
    from clusterhub.matchmaking.services import saved_search_mark_seen

    with transaction.atomic():
        for saved, ids in digest.saved_search_reports:
            saved_search_mark_seen(saved_search=saved, organization_ids=ids)
        preference.last_sent_at = now
        preference.save(update_fields=["last_sent_at", "updated_at"])
    return True


def send_digests(*, now: datetime | None = None, base_url: str | None = None) -> SendReport:
    """Send every digest that is due. One person's failure never stops the others."""
    now = now or timezone.now()
    base = (base_url or site_url()).rstrip("/")
    report = SendReport()
    for preference in preferences_due(now):
        report.due += 1
        try:
            sent = digest_send(preference=preference, now=now, base_url=base)
        except Exception:
            logger.exception("The digest of person %s could not be sent", preference.person_id)
            report.failed += 1
            continue
        if sent:
            report.sent += 1
        else:
            report.empty += 1
    logger.info("Digests: %s", report.summary())
    return report
