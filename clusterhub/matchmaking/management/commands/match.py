"""manage.py match "need" [--cluster SLUG] [--kind KIND] [--province NUTS3] [--htn] [-k N]"""

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core.management.base import BaseCommand, CommandError, CommandParser

from clusterhub.matchmaking.models import QUERY_MAX_LENGTH
from clusterhub.matchmaking.selectors import MAX_K, MatchFilters, match_organizations
from clusterhub.people.models import Person
from clusterhub.regions.models import Cluster, Territory
from clusterhub.registry.models import OrganizationKind

SIGNALS = {"both": "words+meaning", "lexical": "words", "semantic": "meaning"}


class Command(BaseCommand):
    help = (
        "Rank organizations for a need written in Italian or English and print why each "
        "matched. Sees what an anonymous visitor sees, or what --as EMAIL may see."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("query", help="The need, in words.")
        parser.add_argument("--cluster", default="", help="Only active members of this cluster.")
        parser.add_argument("--kind", default="", choices=["", *OrganizationKind.values])
        parser.add_argument("--province", default="", help="NUTS-3 code of a province.")
        parser.add_argument(
            "--htn", action="store_true", help="Only High Technology Network accredited labs."
        )
        parser.add_argument("-k", type=int, default=10, help=f"How many (1-{MAX_K}).")
        parser.add_argument("--as", dest="viewer", default="", help="Search as this person.")

    def handle(self, *args: Any, **options: Any) -> None:
        query = options["query"]
        if len(query) > QUERY_MAX_LENGTH:
            raise CommandError(
                f"The need is {len(query)} characters long; at most {QUERY_MAX_LENGTH}."
            )
        if not 1 <= options["k"] <= MAX_K:
            raise CommandError(f"-k must be between 1 and {MAX_K}.")
        if options["cluster"] and not Cluster.objects.filter(slug=options["cluster"]).exists():
            slugs = ", ".join(Cluster.objects.values_list("slug", flat=True))
            raise CommandError(f"No cluster {options['cluster']!r}; the clusters are: {slugs}.")
        if options["province"] and not Territory.objects.filter(nuts3=options["province"]).exists():
            codes = ", ".join(Territory.objects.values_list("nuts3", flat=True))
            raise CommandError(
                f"No province {options['province']!r}; the NUTS-3 codes are: {codes}."
            )
        viewer: Any = AnonymousUser()
        if options["viewer"]:
            viewer = Person.objects.filter(email__iexact=options["viewer"]).first()
            if viewer is None:
                raise CommandError(f"No person with email {options['viewer']!r}.")
        found = match_organizations(
            viewer=viewer,
            query=query,
            filters=MatchFilters(
                cluster=options["cluster"],
                kind=options["kind"],
                province=options["province"],
                htn=True if options["htn"] else None,
            ),
            k=options["k"],
        )
        if not found.results:
            self.stdout.write(found.message)
            return
        for result in found.results:
            organization = result.organization
            place = organization.city or (
                organization.territory.name if organization.territory else ""
            )
            self.stdout.write(
                f"{result.rank:>2}. {organization.name} [{organization.get_kind_display()}"
                f"{', HTN' if organization.htn_accredited else ''}] {place}"
                f"  score {result.score:.3f} ({SIGNALS.get(result.signal, result.signal)})"
            )
            for reason in result.reasons:
                text = "".join(
                    f"[{segment.text}]" if segment.marked else segment.text
                    for segment in reason.segments
                )
                self.stdout.write(f"      {reason.label}: {text}")
        self.stderr.write(f"{len(found.results)} results in {found.elapsed_ms:.0f} ms.")
