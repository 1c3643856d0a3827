"""Factories of the projects app."""

import factory

from clusterhub.projects.models import ParticipantMatch, Participation, Project
from tests.factories import OrganizationFactory


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Project

    cordis_id = factory.Sequence(lambda n: str(900000 + n))
    framework = "H2020"
    acronym = factory.Sequence(lambda n: f"PROJ{n}")
    title = factory.Sequence(lambda n: f"Example project {n}")


class ParticipationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Participation

    project = factory.SubFactory(ProjectFactory)
    name = factory.Sequence(lambda n: f"PARTICIPANT {n} SRL")
    participant_key = factory.LazyAttribute(lambda p: p.pic or f"name:{p.name.lower()}")
    pic = ""
    country = "IT"
    city = "Bologna"
    in_region = True


class ParticipantMatchFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ParticipantMatch

    participation = factory.SubFactory(ParticipationFactory)
    candidate = factory.SubFactory(OrganizationFactory)
    score = 0.8
    reason = "similar_name"
