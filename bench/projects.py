"""Project import benchmark: throughput and memory on the real CORDIS files and on a large
synthetic bulk file, and the monitoring dashboard's time with the projects loaded.

    .venv/bin/python bench/projects.py [--rows 100000] [--data /work/shared/data]

Steps, each child process on its own copy of one prepared database (SQLite file, migrated,
with the region preset and the demo registry's 107 organizations, so that linking works as
in the demo):

1. real files: the FP7 INRAE tables (projects.csv + participants.csv), then the same projects
   as inrae_projects.json (a re-import: mostly unchanged), then the 1,732 Horizon 2020 clean-tech
   projects; rows/s of each and the peak RSS; then, with all of them loaded, the dashboard
   (`monitoring:dashboard`, as a regional officer through django.test.Client; median of 5)
   beside the home page and the project list as baselines measured in the same process;
2. synthetic: a cordis-bulk project.csv + organization.csv of `--rows` participations (and one
   of half as many), made by repeating the real FP7 projects and their participants under new
   ids (comma decimals, every cell quoted, as CORDIS publishes them); each imported, and
   separately only checked (dry run), in its own process: rows/s and peak RSS, whose ratio
   between the two sizes shows whether memory grows with the file (near 1: streaming). The
   import's RSS also holds SQLite's page cache (up to 64 MB), which grows with the database
   written; the dry run's is the importer's own.

Ends with one JSON line of figures.
"""

import argparse
import csv
import json
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DASHBOARD_ROUTE = "monitoring:dashboard"

PROJECT_HEADER = (
    "id;acronym;status;title;startDate;endDate;totalCost;ecMaxContribution;legalBasis;topics;"
    "ecSignatureDate;frameworkProgramme;masterCall;subCall;fundingScheme;nature;objective;"
    "contentUpdateDate;rcn;grantDoi"
).split(";")
ORGANIZATION_HEADER = (
    "projectID;projectAcronym;organisationID;vatNumber;name;shortName;SME;activityType;street;"
    "postCode;city;country;nutsCode;geolocation;organizationURL;contactForm;contentUpdateDate;"
    "rcn;order;role;ecContribution;netEcContribution;totalCost;endOfParticipation;active"
).split(";")


def _comma(value: str) -> str:
    return value.replace(".", ",") if value else ""


def generate_bulk(data: Path, workdir: Path, participations: int, seed: int = 5) -> list[Path]:
    """A cordis-bulk pair of files with about `participations` rows, from the real FP7 rows."""
    rng = random.Random(seed)
    source = data / "cordis-fp7-inrae"
    with open(source / "projects.csv", encoding="utf-8", newline="") as handle:
        projects = list(csv.DictReader(handle))
    by_project: dict[str, list[dict[str, str]]] = {}
    with open(source / "participants.csv", encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            by_project.setdefault(row["projectID"], []).append(row)
    project_path = workdir / f"project-{participations}.csv"
    organization_path = workdir / f"organization-{participations}.csv"
    written = 0
    number = 0
    with (
        open(project_path, "w", encoding="utf-8", newline="") as project_file,
        open(organization_path, "w", encoding="utf-8", newline="") as organization_file,
    ):
        project_writer = csv.writer(project_file, delimiter=";", quoting=csv.QUOTE_ALL)
        organization_writer = csv.writer(organization_file, delimiter=";", quoting=csv.QUOTE_ALL)
        project_writer.writerow(PROJECT_HEADER)
        organization_writer.writerow(ORGANIZATION_HEADER)
        while written < participations:
            real = rng.choice(projects)
            number += 1
            cordis_id = str(900_000_000 + number)
            project_writer.writerow(
                [
                    cordis_id,
                    f"{real['acronym']}-{number}"[:60],
                    real["status"],
                    real["title"],
                    real["startDate"],
                    real["endDate"],
                    _comma(real["totalCost"]),
                    _comma(real["ecMaxContribution"]),
                    real["legalBasis"],
                    real["topics"],
                    "",
                    "FP7",
                    "",
                    "",
                    real["fundingScheme"],
                    "",
                    real["objective"],
                    "",
                    "",
                    "",
                ]
            )
            for order, p in enumerate(by_project.get(real["id"], []), start=1):
                organization_writer.writerow(
                    [
                        cordis_id,
                        real["acronym"],
                        p["pic"],
                        "",
                        p["name"],
                        p["shortName"],
                        "",
                        p["activityType"],
                        "",
                        "",
                        p["city"],
                        p["country"],
                        "",
                        "",
                        "",
                        "",
                        "",
                        "",
                        order,
                        p["role"],
                        _comma(p["ecContribution"]),
                        _comma(p["ecContribution"]),
                        "",
                        "false",
                        "true",
                    ]
                )
                written += 1
    return [project_path, organization_path]


# --- Children ------------------------------------------------------------------------------


def _setup_django(db_path: str) -> None:
    os.environ["CLUSTERHUB_SQLITE_PATH"] = db_path
    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clusterhub.settings")
    import django

    django.setup()


def child_prepare(db_path: str) -> None:
    """Migrate, load the region and the demo registry's organizations."""
    _setup_django(db_path)
    from django.conf import settings
    from django.core.management import call_command

    from clusterhub.core import demo

    call_command("migrate", verbosity=0)
    call_command("load_region", verbosity=0)
    preset = Path(settings.CLUSTERHUB_REGION_PRESET)
    section = demo._demo_section(preset)
    clusters = demo._Clusters(section["competence_clusters"])
    demo._load_organizations(
        preset.parent / section["organizations_file"], clusters, demo.DemoSummary()
    )
    print(json.dumps({"ok": True}))


def _peak_rss_mib() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def _import(paths: list[str], dry_run: bool = False) -> dict:
    from clusterhub.projects.importing import import_projects

    started = time.perf_counter()
    report = import_projects([Path(p) for p in paths], dry_run=dry_run)
    seconds = time.perf_counter() - started
    return {
        "files": [Path(p).name for p in paths],
        "rows": report.rows,
        "errors": report.error_count,
        "first_error": str(report.errors[0]) if report.errors else "",
        "seconds": round(seconds, 2),
        "rows_per_s": round(report.rows / seconds, 1) if seconds else 0.0,
        # Projects and participations handled (a cordis-2020 row holds a project and its list).
        "records_per_s": round(
            (
                report.projects_created
                + report.projects_updated
                + report.projects_unchanged
                + report.participations_created
                + report.participations_updated
                + report.participations_unchanged
            )
            / seconds,
            1,
        )
        if seconds
        else 0.0,
        "projects_created": report.projects_created,
        "projects_unchanged": report.projects_unchanged,
        "participations_created": report.participations_created,
        "in_region": report.participants_in_region,
        "linked": sum(report.linked.values()),
        "organizations_created": report.organizations_created,
        "matches_queued": report.matches_queued,
    }


def _median_ms(client, url: str, times: int = 5) -> float:
    client.get(url)  # warm caches and the template loader
    timings = []
    for _ in range(times):
        started = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            raise RuntimeError(f"{url} answered {response.status_code}")
    return round(statistics.median(timings), 1)


def time_dashboard() -> dict:
    """The dashboard's GET as a regional officer, median of 5, beside two baselines.

    Returns {"dashboard_ms": None, "dashboard_note": ...} when the route does not exist."""
    from django.test import Client
    from django.urls import NoReverseMatch, reverse

    from clusterhub.people.models import Person

    try:
        # Every year of the CORDIS files: the default (last five years) holds none of them.
        dashboard = reverse(DASHBOARD_ROUTE) + "?year_from=2007&year_to=2020"
    except NoReverseMatch:
        return {"dashboard_ms": None, "dashboard_note": f"no route {DASHBOARD_ROUTE}"}
    officer = Person.objects.create_user(
        "bench-officer@example.org", "bench-password", is_regional_officer=True
    )
    client = Client()
    client.force_login(officer)
    figures = {
        "home_ms": _median_ms(client, reverse("core:home")),
        "project_list_ms": _median_ms(client, reverse("projects:list")),
    }
    try:
        figures["dashboard_ms"] = _median_ms(client, dashboard)
        figures["network_ms"] = _median_ms(client, reverse("monitoring:network"))
    except Exception as exc:  # another app's page: report, do not hide the other figures
        figures.update(dashboard_ms=None, dashboard_note=f"{type(exc).__name__}: {exc}")
    return figures


def child_real(db_path: str, data: str) -> None:
    _setup_django(db_path)
    base = Path(data)
    fp7 = base / "cordis-fp7-inrae"
    steps = [
        [str(fp7 / "projects.csv"), str(fp7 / "participants.csv")],
        [str(fp7 / "inrae_projects.json")],
        [str(base / "cordis-h2020-cleantech" / "cleantechtag_joint_results.csv")],
    ]
    figures = {"imports": [_import(step) for step in steps], "peak_rss_mib": _peak_rss_mib()}
    from clusterhub.projects.models import Participation, Project

    figures["projects"] = Project.objects.count()
    figures["participations"] = Participation.objects.count()
    figures.update(time_dashboard())
    print(json.dumps(figures))


def child_bulk(db_path: str, project: str, organization: str, mode: str) -> None:
    """Import (mode "commit") or only check (mode "dry") a synthetic pair of files.

    The dry run writes nothing, so its peak RSS is Python's own (the commit's includes
    SQLite's page cache, up to the 64 MB `cache_size` of the settings)."""
    _setup_django(db_path)
    from clusterhub.projects import importing, linking  # noqa: F401  (loaded before measuring)

    baseline = _peak_rss_mib()
    figures = _import([project, organization], dry_run=mode == "dry")
    figures["peak_rss_mib"] = _peak_rss_mib()
    figures["baseline_rss_mib"] = baseline
    print(json.dumps(figures))


def _child(*args: str) -> dict:
    out = subprocess.run(
        [sys.executable, __file__, *args], check=True, capture_output=True, text=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000, help="synthetic participations")
    parser.add_argument("--data", default="/work/shared/data")
    args = parser.parse_args()
    data = Path(args.data)
    with tempfile.TemporaryDirectory(prefix="clusterhub-bench-projects-") as tmp:
        workdir = Path(tmp)
        template = workdir / "template.sqlite3"
        _child("_prepare", str(template))

        def fresh(name: str) -> str:
            target = workdir / f"{name}.sqlite3"
            shutil.copy(template, target)
            return str(target)

        real = _child("_real", fresh("real"), str(data))
        for step in real["imports"]:
            print(
                f"{' + '.join(step['files'])}: {step['rows']} rows, {step['rows_per_s']} rows/s, "
                f"{step['errors']} errors",
                file=sys.stderr,
            )
        sizes, dry = {}, {}
        for rows in (args.rows // 2, args.rows):
            files = [str(f) for f in generate_bulk(data, workdir, rows)]
            sizes[rows] = _child("_bulk", fresh(f"bulk-{rows}"), *files, "commit")
            dry[rows] = _child("_bulk", fresh(f"dry-{rows}"), *files, "dry")
            print(
                f"synthetic {rows} participations: {sizes[rows]['rows_per_s']} rows/s, "
                f"peak RSS {sizes[rows]['peak_rss_mib']} MiB (dry run: "
                f"{dry[rows]['rows_per_s']} rows/s, {dry[rows]['peak_rss_mib']} MiB; "
                f"{sizes[rows]['baseline_rss_mib']} MiB before reading)",
                file=sys.stderr,
            )
    small, large = sizes[args.rows // 2], sizes[args.rows]
    dry_small, dry_large = dry[args.rows // 2], dry[args.rows]
    real_rows = sum(step["rows"] for step in real["imports"])
    real_seconds = sum(step["seconds"] for step in real["imports"])
    result = {
        "backend": "sqlite",
        "real_rows": real_rows,
        "real_errors": sum(step["errors"] for step in real["imports"]),
        "real_rows_per_s": round(real_rows / real_seconds, 1) if real_seconds else 0.0,
        "real_steps_rows_per_s": [step["rows_per_s"] for step in real["imports"]],
        "real_steps_records_per_s": [step["records_per_s"] for step in real["imports"]],
        "real_peak_rss_mib": real["peak_rss_mib"],
        "real_projects": real["projects"],
        "real_participations": real["participations"],
        "real_in_region": real["imports"][0]["in_region"] + real["imports"][2]["in_region"],
        "real_linked": sum(step["linked"] for step in real["imports"]),
        "real_organizations_created": sum(s["organizations_created"] for s in real["imports"]),
        "real_matches_queued": sum(step["matches_queued"] for step in real["imports"]),
        "dashboard_ms": real.get("dashboard_ms"),
        "dashboard_note": real.get("dashboard_note", ""),
        "home_ms": real.get("home_ms"),
        "project_list_ms": real.get("project_list_ms"),
        "bulk_rows": large["rows"],
        "bulk_errors": large["errors"],
        "bulk_rows_per_s": large["rows_per_s"],
        "bulk_peak_rss_mib": large["peak_rss_mib"],
        "bulk_half_rows": small["rows"],
        "bulk_half_rows_per_s": small["rows_per_s"],
        "bulk_half_peak_rss_mib": small["peak_rss_mib"],
        "memory_ratio_full_vs_half": round(large["peak_rss_mib"] / small["peak_rss_mib"], 2),
        "bulk_baseline_rss_mib": large["baseline_rss_mib"],
        "bulk_dry_rows_per_s": dry_large["rows_per_s"],
        "bulk_dry_peak_rss_mib": dry_large["peak_rss_mib"],
        "bulk_half_dry_peak_rss_mib": dry_small["peak_rss_mib"],
        "dry_memory_ratio_full_vs_half": round(
            dry_large["peak_rss_mib"] / dry_small["peak_rss_mib"], 2
        ),
    }
    print(json.dumps(result))


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "_prepare":
        child_prepare(sys.argv[2])
    elif len(sys.argv) > 1 and sys.argv[1] == "_real":
        child_real(sys.argv[2], sys.argv[3])
    elif len(sys.argv) > 1 and sys.argv[1] == "_bulk":
        child_bulk(sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5])
    else:
        main()
