import pytest

from tests.trends.journey import journey_data


@pytest.fixture
def mech_voices(mech):
    """Journey 2's data (tests/trends/journey.py)."""
    return journey_data(mech)
