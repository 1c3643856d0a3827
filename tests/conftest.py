import pytest
from django.conf import settings
from django.core.management import call_command


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Every test database starts with the real region preset (clusters, taxonomies)."""
    with django_db_blocker.unblock():
        call_command("load_region", settings.CLUSTERHUB_REGION_PRESET, verbosity=0)
