from datetime import timedelta

import pytest
from django.utils import timezone

from clusterhub.opportunities.services import opportunity_create


@pytest.fixture
def make_opportunity(officer):
    """An opportunity published by the officer; open for a month unless told otherwise."""

    def make(**fields):
        values = {
            "kind": "financing",
            "title": "A call",
            "programme": "Horizon Europe",
            "deadline": timezone.localdate() + timedelta(days=30),
        }
        values.update(fields)
        actor = values.pop("actor", officer)
        return opportunity_create(actor=actor, **values)

    return make
