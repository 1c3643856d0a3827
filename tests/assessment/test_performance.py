"""Feedback after events and the yearly performance account, counted by hand."""

import csv
import io

import pytest
from django.test import Client
from django.utils import timezone

from clusterhub.assessment.models import FeedbackResponse
from clusterhub.assessment.selectors import performance_account
from clusterhub.assessment.services import feedback_submit
from clusterhub.events.models import EventStatus
from tests.assessment.helpers import attend, event, member

pytestmark = pytest.mark.django_db

YEAR = timezone.localdate().year


def client_for(person):
    client = Client()
    client.force_login(person)
    return client


def answer(registration, satisfaction, *outcomes):
    return feedback_submit(
        registration=registration, satisfaction=satisfaction, outcomes=set(outcomes)
    )


@pytest.fixture
def year_of_events(agrifood, mech):
    """Firm A sends two people (one per event), lab B one, firm C one who does not answer.

    A's people report: ideas + contacts (first event), ideas + products (second event).
    B reports competences + ideas. A draft event's and a mech event's answers do not count.
    """
    firm_a = member(agrifood, "Alfa Srl", size="small")
    lab_b = member(agrifood, "Laboratorio Beta", kind="research_lab")
    firm_c = member(agrifood, "Gamma Spa", size="large")
    first, second = event(agrifood, "Workshop"), event(agrifood, "Camp", days=-5)
    answer(attend(first, firm_a), 5, "new_ideas", "new_contacts")
    answer(attend(second, firm_a), 4, "new_ideas", "new_products")
    answer(attend(first, lab_b), 3, "new_competences", "new_ideas")
    attend(second, firm_c)
    answer(attend(event(agrifood, "Draft", status=EventStatus.DRAFT), firm_c), 1, "new_ideas")
    answer(attend(event(mech, "Mech day"), member(mech, "Delta Srl")), 1, "new_products")


def test_the_account_counts_organizations_once_per_outcome(year_of_events, agrifood):
    account = performance_account(agrifood, YEAR)

    assert (account.events, account.participants) == (2, 4)
    assert (account.organizations, account.firms) == (3, 2)  # A, B, C took part; A, C firms
    assert account.responding_organizations == 2  # A and B answered
    rows = {row.code: (row.organizations, row.firms, row.share) for row in account.outcomes}
    assert rows == {
        "knowledge_of_trends": (0, 0, 0.0),
        "new_competences": (1, 0, 50.0),  # B
        "new_contacts": (1, 1, 50.0),  # A
        "new_ideas": (2, 1, 100.0),  # A (twice, counted once) and B
        "new_products": (1, 1, 50.0),  # A
    }
    assert account.satisfaction_mean == 4.0  # (5 + 4 + 3) / 3
    assert account.satisfaction == {1: 0, 2: 0, 3: 1, 4: 1, 5: 1}


def test_the_page_and_the_csv_show_the_same_figures(year_of_events, manager):
    client = client_for(manager)

    page = client.get(f"/clusters/agrifood/performance/{YEAR}/")
    download = client.get(f"/clusters/agrifood/performance/{YEAR}.csv")

    assert page.status_code == 200
    assert 'data-testid="took-part">3<' in page.content.decode()
    assert download["Content-Disposition"] == (
        f'attachment; filename="performance-agrifood-{YEAR}.csv"'
    )
    rows = list(csv.DictReader(io.StringIO(download.content.decode())))
    ideas = next(row for row in rows if row["measure"] == "new_ideas")
    assert (ideas["organizations"], ideas["firms"], ideas["share_percent"]) == ("2", "1", "100.0")


def test_a_future_year_has_no_account(manager):
    assert client_for(manager).get(f"/clusters/agrifood/performance/{YEAR + 1}/").status_code == 404


def test_only_a_checked_in_participant_gives_feedback_and_a_second_answer_replaces_it(agrifood):
    firm = member(agrifood, "Alfa Srl")
    workshop = event(agrifood)
    present = attend(workshop, firm)
    absent = attend(workshop, firm, checked_in=False)
    url = f"/feedback/{workshop.pk}/"

    assert client_for(absent.person).get(url).status_code == 404
    as_present = client_for(present.person)
    assert as_present.get("/feedback/").content.decode().count(url) == 1
    response = as_present.post(url, {"new_ideas": "on", "satisfaction": "4"})
    assert response.status_code == 302
    as_present.post(url, {"new_contacts": "on", "satisfaction": "5", "comment": "<i>Grazie</i>"})

    saved = FeedbackResponse.objects.get()
    assert (saved.new_ideas, saved.new_contacts, saved.satisfaction) == (False, True, 5)
    assert saved.organization == firm
    assert url not in as_present.get("/feedback/").content.decode()


def test_a_missing_or_wrong_satisfaction_is_named_and_nothing_is_stored(agrifood):
    workshop = event(agrifood)
    present = attend(workshop, member(agrifood, "Alfa Srl"))

    for data in ({"new_ideas": "on"}, {"satisfaction": "9"}):
        response = client_for(present.person).post(f"/feedback/{workshop.pk}/", data)
        assert response.status_code == 422
        assert "errorlist" in response.content.decode()
    assert not FeedbackResponse.objects.exists()


def test_the_self_assessment_reads_the_share_of_events_with_feedback(year_of_events, agrifood):
    from clusterhub.assessment.models import Answer
    from clusterhub.assessment.services import assessment_create

    workshop = event(agrifood, "A third one, without feedback", days=-2)
    attend(workshop, member(agrifood, "Epsilon Srl"))

    assessment = assessment_create(cluster=agrifood, year=YEAR, actor=None)

    answer = Answer.objects.get(assessment=assessment, indicator="V5")
    # Two of the three published events have feedback: 66.7% -> reaches 60 -> level 3.
    assert (float(answer.value), answer.level) == (66.7, 3)
    assert answer.evidence["url"] == f"/clusters/agrifood/performance/{YEAR}/"
