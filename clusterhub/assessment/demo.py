"""Demo data of the assessment app: submitted self-assessments of two clusters, so that the
comparison is not empty, and the demo manager's skill self-assessment (called by `load_demo`).

This year's, because the demo registry's memberships start when it is loaded. The demo
manager's own cluster (agrifood) is left without one: starting it is the journey to try.
"""

from datetime import timedelta

from django.utils import timezone

from clusterhub.assessment import services
from clusterhub.assessment.framework import assessment_framework, skill_framework
from clusterhub.assessment.models import Assessment, AssessmentStatus, SkillAssessment
from clusterhub.core.demo import MANAGER_EMAIL, OFFICER_EMAIL
from clusterhub.people.models import Person
from clusterhub.regions.models import Cluster

# Manual answers (levels 0-4) per cluster, in the order of the framework's manual indicators.
DEMO_LEVELS = {
    "mech": [3, 3, 2, 2, 3, 3, 1, 1, 2, 2, 3, 3, 2],
    "greentech": [2, 2, 3, 3, 2, 2, 3, 3, 3, 2, 2, 3, 3],
}
# The demo manager's own levels: weak in funding and project development.
DEMO_SKILLS = {
    "strategy-analysis": 3,
    "strategy-agenda": 3,
    "facilitation-meetings": 4,
    "facilitation-trust": 3,
    "funding-scouting": 1,
    "funding-proposals": 1,
    "international-networks": 2,
    "international-missions": 1,
    "scouting-trends": 2,
    "scouting-transfer": 2,
    "communication-members": 3,
    "communication-public": 2,
}


def load_demo() -> str:
    """Idempotent: clusters that already have this year's assessment are left as they are."""
    year = timezone.localdate().year
    actor = Person.objects.filter(email=OFFICER_EMAIL).first()
    framework = assessment_framework()
    created = 0
    for slug, levels in DEMO_LEVELS.items():
        cluster = Cluster.objects.filter(slug=slug).first()
        if cluster is None or Assessment.objects.filter(cluster=cluster, year=year).exists():
            continue
        assessment = services.assessment_create(cluster=cluster, year=year, actor=actor)
        answers = {a.indicator: a for a in assessment.answers.all()}
        manual = iter(levels)
        for area in framework.areas:
            entries = {}
            for indicator in area.indicators:
                if answers[indicator.code].prefilled or indicator.is_numeric:
                    continue
                entries[indicator.code] = services.AnswerInput(
                    level=str(next(manual, 2)), note="Demo answer."
                )
            services.answers_save(
                assessment=assessment, area=area.code, entries=entries, actor=actor
            )
        services.assessment_set_status(
            assessment=assessment, status=AssessmentStatus.SUBMITTED, actor=actor
        )
        created += 1
    manager = Person.objects.filter(email=MANAGER_EMAIL).first()
    skills = 0
    if manager is not None:
        for role in manager.cluster_roles.select_related("cluster"):
            if not SkillAssessment.objects.filter(person=manager, cluster=role.cluster).exists():
                codes = {c.code for c in skill_framework().competences()}
                services.skill_assessment_create(
                    person=manager,
                    cluster=role.cluster,
                    levels={k: str(v) for k, v in DEMO_SKILLS.items() if k in codes},
                )
                skills += 1
    events = _training_events(actor)
    answers = _feedback()
    return (
        f"{created} self-assessments, {skills} skill self-assessments, "
        f"{events} training events, {answers} event feedback answers"
    )


# Coming events on funding and project development: the demo manager's gap, so the
# training plan has something to propose.
TRAINING_EVENTS = (
    (
        "Clinica dei bandi: scrivere una proposta Horizon Europe",
        "Dal bando alla proposta: consorzio, impatto, budget. Con esempi di progetti finanziati.",
        21,
    ),
    (
        "Info day: bandi regionali FESR per progetti di ricerca e innovazione",
        "I bandi in uscita, chi può partecipare, come costruire il progetto con i laboratori.",
        35,
    ),
)


def _training_events(actor: Person | None) -> int:
    from clusterhub.events.models import Event, EventKind, EventStatus
    from clusterhub.events.services import event_save

    if actor is None:
        return 0
    made = 0
    start = timezone.localtime().replace(hour=10, minute=0, second=0, microsecond=0)
    for title, description, days in TRAINING_EVENTS:
        if Event.objects.filter(title=title).exists():
            continue
        starts = start + timedelta(days=days)
        event_save(
            event=None,
            actor=actor,
            clusters=Cluster.objects.filter(slug="agrifood"),
            title=title,
            description=description,
            kind=EventKind.WORKSHOP,
            starts_at=starts,
            ends_at=starts + timedelta(hours=3),
            location="Bologna, Tecnopolo",
            status=EventStatus.PUBLISHED,
        )
        made += 1
    return made


def _feedback() -> int:
    """Answers of the people checked in at past events (every second one answers)."""
    from clusterhub.assessment.models import FeedbackResponse
    from clusterhub.events.models import Registration

    answered = FeedbackResponse.objects.values("event_id", "person_id")
    done = {(row["event_id"], row["person_id"]) for row in answered}
    made = 0
    registrations = Registration.objects.filter(checked_in_at__isnull=False).order_by("id")
    for index, registration in enumerate(registrations):
        if index % 2 or (registration.event_id, registration.person_id) in done:
            continue
        outcomes = {services.OUTCOMES[k] for k in range(5) if (index // 2 + k) % 3 == 0}
        services.feedback_submit(
            registration=registration, satisfaction=3 + index % 3, outcomes=outcomes
        )
        made += 1
    return made
