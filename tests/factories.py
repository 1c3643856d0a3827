"""Factories for tests. Region configuration comes from the real preset (see conftest)."""

import factory
from django.conf import settings
from django.core.management import call_command

from analytics.textnorm import normalize_name
from clusterhub.people.models import ClusterRole, OrganizationRole, Person
from clusterhub.registry.models import Membership, Organization, OrganizationKind

PASSWORD = "correct-horse-battery"  # every person's, so that tests can sign in


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    full_name = factory.Faker("name")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):  # noqa: N805
        if create:
            obj.save()


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"Example Organization {n}")
    normalized_name = factory.LazyAttribute(lambda o: normalize_name(o.name))
    kind = OrganizationKind.FIRM
    city = "Bologna"
    postcode = "40126"


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    organization = factory.SubFactory(OrganizationFactory)


class ClusterRoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ClusterRole

    person = factory.SubFactory(PersonFactory)


class OrganizationRoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrganizationRole

    person = factory.SubFactory(PersonFactory)
    organization = factory.SubFactory(OrganizationFactory)


def load_region_preset():
    """The real region preset (clusters, taxonomies), loaded again: idempotent."""
    call_command("load_region", settings.CLUSTERHUB_REGION_PRESET, verbosity=0)
