"""Rows of the access matrix (tests/access/matrix.py) for the trends routes.

A cluster's radar, runs and topics: its managers, the people of its member organizations
(read only) and the officers; another cluster's answer 404. The region's radar and runs:
officers (others are sent to their cluster's radar). Training needs and reported
opportunities: the cluster's managers and officers. Starting a run: managers of the cluster,
officers (the region too).
"""

from tests.access.rows import AGRIFOOD, MANAGERS, MANAGERS_OF_MECH, MECH, Row

READERS = (302, 200, 200, 200, 200)
READERS_OF_MECH = (302, 404, 404, 404, 200)


def _run(slug):
    def make(world):
        from clusterhub.regions.models import Cluster
        from tests.trends.builders import stored_run

        cluster = Cluster.objects.get(slug=slug) if slug else None
        return {"run_id": stored_run(cluster).pk}

    return make


def _topic(slug):
    def make(world):
        from clusterhub.regions.models import Cluster
        from tests.trends.builders import topic_of

        cluster = Cluster.objects.get(slug=slug) if slug else None
        return {"topic_id": topic_of(cluster).pk}

    return make


def _with_latest_run(slug):
    def make(world):
        _run(slug)(world)
        return {"cluster": slug}

    return make


HTML: list[Row] = [
    # Officers get the region's radar; the others are sent to their (only) cluster's.
    Row("trends:radar", "GET", (302, 302, 302, 302, 200)),
    Row("trends:cluster_radar", "GET", READERS, AGRIFOOD),
    Row("trends:cluster_radar", "GET", READERS_OF_MECH, MECH, note="mech"),
    Row(
        "trends:region_run_start",
        "POST",
        (302, 403, 403, 403, 302),
        data=lambda w: {"period": "year"},
    ),
    Row(
        "trends:region_run_start",
        "POST",
        (302, 403, 403, 403, 400),
        data=lambda w: {"period": "decade"},
        note="bad period",
    ),
    Row(
        "trends:cluster_run_start",
        "POST",
        (302, 403, 403, 302, 302),
        AGRIFOOD,
        lambda w: {"period": "quarter"},
    ),
    Row(
        "trends:cluster_run_start",
        "POST",
        (302, 403, 403, 404, 302),
        MECH,
        lambda w: {"period": "quarter"},
        note="mech",
    ),
    Row("trends:run", "GET", READERS, _run("agrifood")),
    Row("trends:run", "GET", READERS_OF_MECH, _run("mech"), note="mech"),
    Row("trends:run", "GET", READERS_OF_MECH, _run(""), note="region"),
    Row("trends:run_topics_csv", "GET", READERS, _run("agrifood")),
    Row("trends:run_topics_csv", "GET", READERS_OF_MECH, _run("mech"), note="mech"),
    Row("trends:topic", "GET", READERS, _topic("agrifood")),
    Row("trends:topic", "GET", READERS_OF_MECH, _topic("mech"), note="mech"),
    Row("trends:topic", "GET", READERS_OF_MECH, _topic(""), note="region"),
    Row("trends:topic_labs", "GET", READERS, _topic("agrifood")),
    Row("trends:topic_labs", "GET", READERS_OF_MECH, _topic("mech"), note="mech"),
    Row("trends:topic_evidence_csv", "GET", READERS, _topic("agrifood")),
    Row("trends:topic_evidence_csv", "GET", READERS_OF_MECH, _topic("mech"), note="mech"),
    Row("trends:training", "GET", MANAGERS, AGRIFOOD),
    Row("trends:training", "GET", MANAGERS_OF_MECH, MECH, note="mech"),
    Row("trends:training_csv", "GET", MANAGERS, AGRIFOOD),
    Row("trends:training_csv", "GET", MANAGERS_OF_MECH, MECH, note="mech"),
    Row("trends:opportunities", "GET", MANAGERS, AGRIFOOD),
    Row("trends:opportunities", "GET", MANAGERS_OF_MECH, MECH, note="mech"),
    Row("trends:opportunities_csv", "GET", MANAGERS, AGRIFOOD),
    Row("trends:opportunities_csv", "GET", MANAGERS_OF_MECH, MECH, note="mech"),
]

API: list[Row] = [
    Row(
        "api:list_trend_runs",
        "GET",
        (401, 200, 200, 200, 200),
        data=lambda w: {"cluster": "agrifood"},
    ),
    Row(
        "api:list_trend_runs",
        "GET",
        (401, 404, 404, 404, 200),
        data=lambda w: {"cluster": "mech"},
        note="mech",
    ),
    Row("api:list_trend_runs", "GET", (401, 403, 403, 403, 200), note="region"),
    Row(
        "api:latest_trend_run",
        "GET",
        (401, 200, 200, 200, 200),
        data=_with_latest_run("agrifood"),
    ),
    Row(
        "api:latest_trend_run",
        "GET",
        (401, 404, 404, 404, 200),
        data=_with_latest_run("mech"),
        note="mech",
    ),
    Row("api:get_trend_run", "GET", (401, 200, 200, 200, 200), _run("agrifood")),
    Row("api:get_trend_run", "GET", (401, 404, 404, 404, 200), _run("mech"), note="mech"),
    Row("api:get_trend_topic", "GET", (401, 200, 200, 200, 200), _topic("agrifood")),
    Row("api:get_trend_topic", "GET", (401, 404, 404, 404, 200), _topic("mech"), note="mech"),
    Row(
        "api:start_trend_run",
        "POST",
        (401, 403, 403, 202, 202),
        data=lambda w: {"cluster": "agrifood"},
    ),
    Row(
        "api:start_trend_run",
        "POST",
        (401, 403, 403, 404, 202),
        data=lambda w: {"cluster": "mech"},
        note="mech",
    ),
    Row(
        "api:start_trend_run",
        "POST",
        (401, 403, 403, 403, 202),
        data=lambda w: {"cluster": ""},
        note="region",
    ),
]
