"""Participants of the region are linked to the registry: PIC, VAT, name, review queue, new."""

import pytest

from clusterhub.projects.importing import import_projects
from clusterhub.projects.linking import RegionLocator, name_similarity
from clusterhub.projects.models import MatchStatus, ParticipantMatch, Participation
from clusterhub.regions.models import Region
from clusterhub.registry.models import Organization
from tests.factories import OrganizationFactory
from tests.importing.sample import vat_number
from tests.projects.helpers import BULK, CLEANTECH, INRAE_CSV, INRAE_JSON

pytestmark = pytest.mark.django_db


def _linked(name):
    return Participation.objects.get(name=name)


def test_a_participant_with_the_pic_of_a_registry_organization_is_linked_to_it():
    horta = OrganizationFactory(name="Horta S.r.l.", pic="985480134", city="Piacenza")

    report = import_projects(INRAE_CSV, dry_run=False)

    participation = _linked("HORTA SRL")
    assert (participation.organization, participation.match_method) == (horta, "pic")
    assert participation.in_region
    assert report.linked == {"pic": 1, "created": 1}  # VINIDEA had no registry organization
    assert not Organization.objects.filter(name="HORTA SRL").exists()


def test_a_participant_with_the_vat_number_of_a_registry_organization_is_linked(copy_file):
    vat = vat_number(80062590)
    region = OrganizationFactory(name="Regione Emilia-Romagna", vat_number=vat, city="Bologna")
    organizations = copy_file(
        "bulk_organization.csv",
        (
            '"999482375";"";"REGIONE EMILIA ROMAGNA"',
            f'"999482375";"IT{vat}";"REGIONE EMILIA ROMAGNA"',
        ),
    )

    import_projects([BULK[0], organizations], dry_run=False)

    participation = _linked("REGIONE EMILIA ROMAGNA")
    assert (participation.organization, participation.match_method) == (region, "vat")


def test_the_same_name_in_the_same_city_links_and_a_new_organization_is_created_otherwise():
    unibo = OrganizationFactory(
        name="Alma Mater Studiorum - Università di Bologna", city="Bologna", postcode="40126"
    )

    report = import_projects(INRAE_JSON, dry_run=False)

    assert _linked("ALMA MATER STUDIORUM - UNIVERSITA DI BOLOGNA").organization == unibo
    assert _linked("ALMA MATER STUDIORUM - UNIVERSITA DI BOLOGNA").match_method == "name"
    rinova = _linked("RI.NOVA SOCIETA COOPERATIVA")
    assert rinova.match_method == "created"
    created = rinova.organization
    assert (created.source, created.kind, created.pic, created.city, created.nuts3) == (
        "cordis",
        "firm",
        "972429463",
        "Cesena",
        "ITH58",
    )
    assert created.normalized_name == "ri nova"
    assert report.organizations_created == 1


def test_the_same_name_in_another_city_goes_to_the_review_queue():
    elsewhere = OrganizationFactory(name="Ri.Nova Soc. Coop.", city="Parma", postcode="43121")

    report = import_projects(INRAE_JSON, dry_run=False)

    match = ParticipantMatch.objects.get()
    assert (match.participation.name, match.candidate, match.reason, match.score) == (
        "RI.NOVA SOCIETA COOPERATIVA",
        elsewhere,
        "same_name_other_city",
        1.0,
    )
    assert match.status == MatchStatus.PENDING
    # Until reviewed, the participant keeps an organization of its own.
    assert match.participation.organization.source == "cordis"
    assert report.matches_queued == 1


def test_a_similar_name_of_unknown_place_goes_to_the_queue_and_creates_nothing():
    dtm = OrganizationFactory(name="DTM", city="Modena", postcode="41122")
    unibo = OrganizationFactory(name="ALMA MATER STUDIORUM - UNIVERSITA DI BOLOGNA")

    report = import_projects(CLEANTECH, dry_run=False)

    assert report.ok
    assert _linked("ALMA MATER STUDIORUM - UNIVERSITA DI BOLOGNA").organization == unibo
    match = ParticipantMatch.objects.get()
    assert match.candidate == dtm
    assert match.reason == "same_short_name"  # "... MECHANICS (DTM) SRL"
    assert match.participation.organization is None
    assert report.organizations_created == 0
    assert not Organization.objects.filter(source="cordis").exists()


def test_participants_outside_the_region_stay_on_their_participation_only():
    import_projects(INRAE_CSV, dry_run=False)

    milano = Participation.objects.get(name="UNIVERSITA DEGLI STUDI DI MILANO")
    assert (milano.in_region, milano.organization, milano.nuts3) == (False, None, "")
    assert Organization.objects.filter(source="cordis").count() == 2  # HORTA, VINIDEA


def test_the_region_comes_from_the_region_configuration():
    Region.objects.update(nuts2="ITC4")  # as if the preset were Lombardy's

    import_projects(BULK, dry_run=False)

    region = Participation.objects.get(pic="999482375")
    assert (region.in_region, region.organization) == (False, None)  # NUTS ITH55 is elsewhere


def test_a_rejected_candidate_is_never_proposed_again():
    OrganizationFactory(name="DTM", city="Modena")
    import_projects(CLEANTECH, dry_run=False)
    ParticipantMatch.objects.update(status=MatchStatus.REJECTED)

    again = import_projects(CLEANTECH, dry_run=False)

    assert again.matches_queued == 0
    assert ParticipantMatch.objects.count() == 1


def test_re_importing_queues_nothing_twice():
    OrganizationFactory(name="DTM", city="Modena")
    import_projects(CLEANTECH, dry_run=False)

    again = import_projects(CLEANTECH, dry_run=False)

    assert (again.matches_queued, ParticipantMatch.objects.count()) == (0, 1)


@pytest.mark.parametrize(
    ("city", "nuts3", "cleaned"),
    [
        ("SAN LAZZARO DI SAVENA BO", "ITH55", "SAN LAZZARO DI SAVENA"),
        ("Ponte Dell Olio Piacenza", "ITH51", "Ponte Dell Olio"),
        ("FAENZA RAVENNA", "ITH57", "FAENZA"),
        ("Casalecchio  Di Reno", "ITH55", "Casalecchio  Di Reno"),
        ("Reggio Emilia", "ITH53", "Reggio Emilia"),
    ],
)
def test_cities_are_placed_with_or_without_a_trailing_province(city, nuts3, cleaned):
    location = RegionLocator().locate(country="IT", nuts="", postcode="", city=city)

    assert (location.in_region, location.nuts3, location.city) == (True, nuts3, cleaned)


@pytest.mark.parametrize(
    ("where", "expected"),
    [
        ({"country": "IT", "nuts": "ITH54", "postcode": "", "city": ""}, (True, "ITH54")),
        ({"country": "IT", "nuts": "ITC4C", "postcode": "", "city": "Bologna"}, (False, "")),
        ({"country": "IT", "nuts": "", "postcode": "40126", "city": ""}, (True, "ITH55")),
        ({"country": "IT", "nuts": "", "postcode": "20121", "city": "Milano"}, (False, "")),
        ({"country": "FR", "nuts": "", "postcode": "", "city": "Paris"}, (False, "")),
        ({"country": "", "nuts": "", "postcode": "", "city": ""}, (None, "")),
    ],
)
def test_nuts_code_then_postcode_then_city_decide(where, expected):
    location = RegionLocator().locate(**where)

    assert (location.in_region, location.nuts3) == expected


def test_name_similarity_weighs_distinctive_words():
    assert name_similarity("fondazione crpa studi ricerche", "crpa") > 0.6
    assert name_similarity("universita studi di milano", "universita studi di parma") < 0.6
    assert name_similarity("comune di modena", "comune di parma") < 0.6
