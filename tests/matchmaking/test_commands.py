"""`manage.py match` and `manage.py rebuild_match_index`."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from clusterhub.matchmaking.indexing import current_index, index_exists

pytestmark = pytest.mark.django_db

NEED = "cerchiamo materiali compostabili per vaschette alimentari con barriera all'ossigeno"


def test_rebuild_indexes_every_organization_with_a_progress_bar(corpus):
    out, err = StringIO(), StringIO()

    call_command("rebuild_match_index", stdout=out, stderr=err)

    assert index_exists()
    assert len(current_index()) == len(corpus)
    assert f"{len(corpus)}/{len(corpus)} organizations" in err.getvalue()
    assert "0 stored vectors reused" in out.getvalue()
    call_command("rebuild_match_index", stdout=(again := StringIO()), stderr=StringIO())
    assert "0 computed" in again.getvalue()


def test_match_prints_ranked_organizations_with_their_reasons(corpus):
    out = StringIO()

    call_command("match", NEED, "--kind", "research_lab", "-k", "2", stdout=out, stderr=StringIO())

    lines = out.getvalue().splitlines()
    assert lines[0].startswith(" 1. Laboratorio Materiali Compostabili [Research lab, HTN] Parma")
    assert any("[compostabili]" in line.lower() for line in lines)
    # An anonymous caller never sees the hidden lab.
    assert "Riservato" not in out.getvalue()


def test_match_searches_as_a_person_when_asked(corpus, officer):
    out = StringIO()

    call_command("match", NEED, "--as", officer.email, "-k", "5", stdout=out, stderr=StringIO())

    assert "Laboratorio Riservato Imballaggi" in out.getvalue()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["x" * 1001], "at most 1000"),
        (["robot", "--cluster", "nope"], "No cluster 'nope'"),
        (["robot", "--province", "XX"], "No province 'XX'"),
        (["robot", "-k", "0"], "-k must be between"),
        (["robot", "--as", "nobody@example.org"], "No person"),
    ],
)
def test_match_names_what_is_wrong(corpus, args, message):
    with pytest.raises(CommandError, match=message):
        call_command("match", *args, stdout=StringIO(), stderr=StringIO())


def test_match_says_when_the_need_has_no_words(corpus):
    out = StringIO()

    call_command("match", "?!", stdout=out, stderr=StringIO())

    assert "Describe what you are looking for" in out.getvalue()
