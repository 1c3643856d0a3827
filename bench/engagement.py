"""Engagement benchmark: a cluster of 2,000 members with two years of synthetic activity.

    .venv/bin/python bench/engagement.py [--members 2000] [--repeat 5]

Builds a fresh database (SQLite file in a temporary folder, or a throw-away PostgreSQL
database when DATABASE_URL is set) with the region preset, one cluster of N active members
of mixed kinds, one person each, and activity spread over the last 24 months: sign-in days,
check-ins at 60 past events, contributions, endorsements and comments (about 30 activities
per member on average, a quarter of the members silent).

Times, each the median of --repeat runs: `cluster_engagement` (every member's score,
status and the funnel), the CSV export and the cluster API operation through the real HTTP
stack (Django test client, as the cluster's manager), and one organization's page. Counts
the SQL queries of `cluster_engagement`, which must not grow with the number of members.
Ends with one JSON line of figures.
"""

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

KINDS = ["firm"] * 5 + ["final_user"] * 2 + ["research_lab", "university", "association"]


def _setup(db_path: str) -> None:
    if not os.environ.get("DATABASE_URL"):
        os.environ["CLUSTERHUB_SQLITE_PATH"] = db_path
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clusterhub.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    if connection.vendor == "postgresql":
        connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    else:
        call_command("migrate", verbosity=0)
    call_command("load_region", verbosity=0)


def _populate(members: int, seed: int = 11) -> dict[str, int]:
    from django.contrib.auth.hashers import make_password
    from django.db import transaction
    from django.utils import timezone

    from analytics.textnorm import normalize_name
    from clusterhub.contributions.models import Comment, Contribution, Endorsement
    from clusterhub.engagement.models import LoginEvent
    from clusterhub.events.models import Event, Registration
    from clusterhub.people.models import ClusterRole, OrganizationRole, Person
    from clusterhub.regions.models import Cluster
    from clusterhub.registry.models import Membership, Organization

    rng = random.Random(seed)
    now = timezone.now()
    cluster = Cluster.objects.get(slug="agrifood")

    def ago() -> timezone.datetime:
        return now - timedelta(days=rng.randrange(0, 730), hours=rng.randrange(24))

    # Activities keep their synthetic dates: no auto_now_add while populating.
    for model in (Contribution, Endorsement, Comment):
        model._meta.get_field("created_at").auto_now_add = False
    counts = dict.fromkeys(("logins", "check_ins", "contributions", "endorsements", "comments"), 0)
    with transaction.atomic():
        organizations = Organization.objects.bulk_create(
            Organization(
                name=f"Bench Member {n}",
                normalized_name=normalize_name(f"Bench Member {n}"),
                kind=rng.choice(KINDS),
            )
            for n in range(members)
        )
        Membership.objects.bulk_create(
            Membership(organization=organization, cluster=cluster) for organization in organizations
        )
        password = make_password("bench-password")
        people = Person.objects.bulk_create(
            Person(email=f"bench{n}@example.org", password=password) for n in range(members)
        )
        OrganizationRole.objects.bulk_create(
            OrganizationRole(person=person, organization=organization)
            for person, organization in zip(people, organizations, strict=True)
        )
        manager = Person.objects.create_user("bench-manager@example.org", "bench-password")
        ClusterRole.objects.create(person=manager, cluster=cluster)
        events = []
        for n in range(60):
            start = now - timedelta(days=12 * n + 1)
            events.append(
                Event(
                    title=f"Event {n}",
                    kind="workshop",
                    starts_at=start,
                    ends_at=start + timedelta(hours=3),
                    status="published",
                )
            )
        events = Event.objects.bulk_create(events)
        logins, registrations, contributions = [], [], []
        for person, organization in zip(people, organizations, strict=True):
            if rng.random() < 0.25:
                continue  # silent members
            days = {timezone.localdate(ago()) for _ in range(rng.randrange(0, 40))}
            for day in days:
                at = timezone.make_aware(timezone.datetime(day.year, day.month, day.day, 9))
                logins.append(LoginEvent(person=person, organization=organization, at=at, day=day))
            for event in rng.sample(events, rng.randrange(0, 6)):
                registrations.append(
                    Registration(
                        event=event,
                        person=person,
                        organization=organization,
                        checked_in_at=event.starts_at + timedelta(minutes=10),
                    )
                )
            for _ in range(rng.randrange(0, 4)):
                contributions.append(
                    Contribution(
                        kind="need",
                        title="A need",
                        text="Synthetic need.",
                        organization=organization,
                        author=person,
                        created_at=ago(),
                    )
                )
        LoginEvent.objects.bulk_create(logins, batch_size=2000)
        Registration.objects.bulk_create(registrations, batch_size=2000)
        contributions = Contribution.objects.bulk_create(contributions, batch_size=2000)
        endorsements, comments = [], []
        for organization in rng.sample(organizations, members // 2):
            for contribution in rng.sample(contributions, min(3, len(contributions))):
                endorsements.append(
                    Endorsement(
                        contribution=contribution, organization=organization, created_at=ago()
                    )
                )
                comments.append(
                    Comment(
                        contribution=contribution,
                        organization=organization,
                        text="Synthetic comment.",
                        created_at=ago(),
                    )
                )
        Endorsement.objects.bulk_create(endorsements, batch_size=2000, ignore_conflicts=True)
        Comment.objects.bulk_create(comments, batch_size=2000)
    counts.update(
        logins=len(logins),
        check_ins=len(registrations),
        contributions=len(contributions),
        endorsements=len(endorsements),
        comments=len(comments),
    )
    counts["organization_id"] = organizations[0].pk
    return counts


def _median_ms(call, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        call()
        times.append((time.perf_counter() - start) * 1000)
    return round(statistics.median(times), 1)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--members", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="clusterhub-bench-") as tmp:
        _setup(str(Path(tmp) / "bench.sqlite3"))
        from django.db import connection
        from django.test import Client
        from django.test.utils import CaptureQueriesContext

        from clusterhub.engagement.selectors import cluster_engagement
        from clusterhub.people.models import Person
        from clusterhub.regions.models import Cluster

        started = time.perf_counter()
        counts = _populate(args.members)
        populate_s = round(time.perf_counter() - started, 1)
        cluster = Cluster.objects.get(slug="agrifood")
        with CaptureQueriesContext(connection) as captured:
            engagement = cluster_engagement(cluster)
        client = Client()
        client.force_login(Person.objects.get(email="bench-manager@example.org"))

        def get(url: str) -> None:
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)

        result = {
            "backend": connection.vendor,
            "members": args.members,
            "activities": sum(v for k, v in counts.items() if k != "organization_id"),
            **{k: v for k, v in counts.items() if k != "organization_id"},
            "populate_s": populate_s,
            "statuses": engagement.status_counts,
            "cluster_engagement_queries": len(captured),
            "cluster_engagement_ms": _median_ms(lambda: cluster_engagement(cluster), args.repeat),
            "csv_ms": _median_ms(lambda: get("/engagement/agrifood/export.csv"), args.repeat),
            "api_cluster_ms": _median_ms(
                lambda: get("/api/engagement/clusters/agrifood"), args.repeat
            ),
            "organization_page_ms": _median_ms(
                lambda: get(f"/engagement/organizations/{counts['organization_id']}/"),
                args.repeat,
            ),
        }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
