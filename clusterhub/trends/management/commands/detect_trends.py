"""Detect trends in the region's (or one cluster's) projects and contributions, now.

The run is stored like one started from the web page (same service), with its parameters
and data snapshot; the radar shows it at once.
"""

import json
import time
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from clusterhub.core.progress import ProgressBar
from clusterhub.regions.models import Cluster
from clusterhub.trends.models import Period, RunStatus
from clusterhub.trends.services import trend_run_create, trend_run_execute


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--cluster", metavar="SLUG", help="One cluster (default: the region)")
        parser.add_argument("--period", choices=Period.values, default=Period.QUARTER)
        parser.add_argument(
            "--params",
            metavar="JSON",
            default="{}",
            help='Detection parameters, e.g. \'{"min_topic_size": 5, "window": 8}\'',
        )
        parser.add_argument(
            "--no-progress", action="store_true", help="Do not draw the progress bar."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        cluster = None
        if options["cluster"]:
            cluster = Cluster.objects.filter(slug=options["cluster"]).first()
            if cluster is None:
                known = ", ".join(Cluster.objects.values_list("slug", flat=True))
                raise CommandError(f"Unknown cluster {options['cluster']!r}; known: {known}")
        try:
            params = json.loads(options["params"])
        except json.JSONDecodeError as exc:
            raise CommandError(f"--params is not JSON: {exc}") from exc
        if not isinstance(params, dict):
            raise CommandError("--params must be a JSON object")
        try:
            run = trend_run_create(
                actor=None, cluster=cluster, period=options["period"], params=params
            )
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        bar = None if options["no_progress"] else ProgressBar(self.stderr._out)
        started = time.monotonic()
        run = trend_run_execute(run_id=run.pk, progress=bar)
        if bar:
            bar.finish()
        seconds = time.monotonic() - started
        if run.status != RunStatus.DONE:
            raise CommandError(f"Trend run #{run.pk} failed: {run.error}")
        emerging = list(run.topics.filter(status="emerging").values_list("label", flat=True))
        self.stdout.write(
            f"Trend run #{run.pk}: {run.topics.count()} topics in {run.document_count} documents "
            f"({len(run.periods)} periods), {seconds:.1f} s."
        )
        for label in emerging:
            self.stdout.write(f"  emerging: {label}")
