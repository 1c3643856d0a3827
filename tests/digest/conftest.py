import pytest

from clusterhub.digest.services import digest_subscribe


@pytest.fixture
def subscribed(member):
    """The member, who chose a weekly digest (and so consented)."""
    digest_subscribe(person=member, frequency="weekly")
    return member


@pytest.fixture
def immediate_tasks(settings):
    """Index updates run at once (as a worker would), so a new profile is searchable."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def new_lab(immediate_tasks, django_capture_on_commit_callbacks, agrifood):
    """Make a lab join agrifood after a search was saved, indexed as in production."""
    from clusterhub.registry.models import OrganizationKind
    from clusterhub.registry.services import membership_upsert, organization_create

    def make(name, description):
        with django_capture_on_commit_callbacks(execute=True):
            lab = organization_create(
                name=name, kind=OrganizationKind.RESEARCH_LAB, description=description
            )
            membership_upsert(organization=lab, cluster=agrifood)
        return lab

    return make
