"""The dashboard and its CSV exports, as each role sees them."""

import csv
import io
from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from tests.monitoring.factories import member, project

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("monitoring:dashboard")


def client_for(person):
    client = Client()
    client.force_login(person)
    return client


def csv_rows(response):
    return list(csv.reader(io.StringIO(response.content.decode())))


def export(client, table, **params):
    return client.get(reverse("monitoring:export_csv", args=[table]), params)


def test_an_officer_compares_every_cluster(world, officer):
    response = client_for(officer).get(DASHBOARD, {"year_from": 2020, "year_to": 2022})

    assert response.status_code == 200
    comparison = response.context["tables"]["comparison"]
    names = [str(row[0]) for row in comparison.rows]
    assert len(names) == 7  # every cluster of the preset
    assert {world.agrifood.name, world.mech.name} <= set(names)
    assert 'src="/static/vendor/plotly/plotly.min.js"' in response.content.decode()


def test_a_manager_sees_their_own_cluster_only(world, manager):
    client = client_for(manager)

    response = client.get(DASHBOARD, {"year_from": 2020, "year_to": 2022})
    assert [c.slug for c in response.context["scope"].clusters] == ["agrifood"]
    assert world.mech.name not in response.content.decode()

    assert client.get(DASHBOARD, {"cluster": "mech"}).status_code == 404
    assert client.get(DASHBOARD, {"cluster": ["agrifood", "mech"]}).status_code == 404
    assert export(client, "indicators", cluster="mech").status_code == 404
    assert client.get(reverse("monitoring:network"), {"cluster": "mech"}).status_code == 404


def test_members_and_org_admins_are_refused(world, member, org_admin):
    assert client_for(member).get(DASHBOARD).status_code == 403
    assert client_for(org_admin).get(DASHBOARD).status_code == 403


def test_the_filters_narrow_the_clusters_and_years(world, officer):
    response = client_for(officer).get(
        DASHBOARD, {"cluster": "mech", "year_from": 2021, "year_to": 2021}
    )

    rows = response.context["tables"]["indicators"].rows
    assert [(str(r[0]), r[1]) for r in rows] == [(world.mech.name, 2021)]
    assert response.context["export_query"] == "cluster=mech&year_from=2021&year_to=2021"


def test_a_wrong_year_range_is_explained_and_the_default_years_shown(world, officer):
    response = client_for(officer).get(DASHBOARD, {"year_from": 2022, "year_to": 2020})

    assert response.status_code == 200
    assert "The last year comes before the first one." in response.content.decode()
    scope = response.context["scope"]
    assert scope.year_to - scope.year_from == 4


def test_a_wrong_year_range_refuses_the_csv_naming_the_field(world, officer):
    response = export(client_for(officer), "indicators", year_from="20x0")

    assert response.status_code == 400
    assert "year_from" in response.content.decode()


def test_the_csv_has_the_rows_of_the_table(world, officer):
    params = {"cluster": ["agrifood", "mech"], "year_from": 2020, "year_to": 2022}
    client = client_for(officer)
    table = client.get(DASHBOARD, params).context["tables"]["indicators"]

    response = export(client, "indicators", **params)

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "indicators-agrifood-mech-2020-2022.csv" in response["Content-Disposition"]
    header, *rows = csv_rows(response)
    assert header == [column.key for column in table.columns]
    expected = [["" if v is None else str(v) for v in row] for row in table.rows]
    assert rows == expected
    agrifood_2021 = dict(zip(header, rows[1], strict=True))
    assert agrifood_2021["projects"] == "3"
    assert agrifood_2021["eu_funding"] == "350000.00"
    assert agrifood_2021["sme_share"] == "66.7"


@pytest.mark.parametrize(
    "table",
    [
        "comparison",
        "members",
        "new_members",
        "members_by_kind",
        "shares",
        "projects",
        "funding",
        "lab_firm",
        "provinces",
    ],
)
def test_every_chart_table_is_exported_as_shown(world, officer, table):
    params = {"year_from": 2020, "year_to": 2022}
    client = client_for(officer)
    shown = client.get(DASHBOARD, params).context["tables"][table]

    header, *rows = csv_rows(export(client, table, **params))

    assert header == [column.key for column in shown.columns]
    assert rows == [["" if v is None else str(v) for v in row] for row in shown.rows]
    assert f'data-mchart="{table}"' in client.get(DASHBOARD, params).content.decode() or (
        table == "comparison"
    )


def test_text_cells_are_defused_for_spreadsheets(officer, agrifood):
    evil = member(agrifood, "=HYPERLINK(1)", "research_lab", since=date(2020, 1, 1))
    firm = member(agrifood, "@Firm", since=date(2020, 1, 1))
    project(date(2020, 5, 1), (evil, 1), (firm, 1))

    rows = csv_rows(export(client_for(officer), "collaborations", cluster="agrifood"))

    assert rows[1][0] == "'=HYPERLINK(1)"
    assert rows[1][2] == "'@Firm"


def test_an_unknown_table_is_not_found(officer):
    assert export(client_for(officer), "passwords").status_code == 404


def test_the_monitoring_link_is_in_the_menu_of_officers_and_managers_only(
    world, officer, manager, member
):
    link = f'href="{DASHBOARD}"'
    assert link in client_for(officer).get("/").content.decode()
    assert link in client_for(manager).get("/").content.decode()
    assert link not in client_for(member).get("/").content.decode()
    assert link not in Client().get("/").content.decode()


def test_the_page_offers_the_years_that_have_project_data(world, officer):
    response = client_for(officer).get(DASHBOARD, {"year_from": 2030, "year_to": 2031})

    # Projects start from 2019 to 2022 (P6 to P5).
    assert response.context["data_years_query"] == "year_from=2019&year_to=2022"


def test_the_dashboard_speaks_italian(world, officer):
    client = client_for(officer)
    client.cookies["django_language"] = "it"

    response = client.get(DASHBOARD, headers={"accept-language": "it"})

    assert response.status_code == 200
    assert '<html lang="it"' in response.content.decode()
