"""Demo data: the preset's curated EU projects (presets/<region>/projects/), imported with the
project import so that their regional participants are linked to the demo registry.

Called by `core.demo` (`manage.py load_demo`) after the demo organizations are loaded.
Importing again changes nothing.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings

from clusterhub.projects.importing import ProjectImportReport, import_projects

DEMO_DIRECTORY = "projects"
SUFFIXES = (".csv", ".json")


class ProjectDemoError(ValueError):
    """The preset's project files cannot be imported; the message names each problem."""


def demo_project_files(preset_path: Path | None = None) -> list[Path]:
    preset = Path(preset_path or settings.CLUSTERHUB_REGION_PRESET)
    directory = preset.parent / DEMO_DIRECTORY
    if not directory.is_dir():
        return []
    return sorted(p for p in directory.iterdir() if p.suffix.lower() in SUFFIXES)


def load_demo_projects(*, preset_path: Path | None = None) -> ProjectImportReport | None:
    """Import the preset's project files (all together); None when the preset has none.

    All or nothing: a problem raises ProjectDemoError and nothing is stored.
    """
    files = demo_project_files(preset_path)
    if not files:
        return None
    report = import_projects(files, dry_run=False)
    if not report.ok:
        problems = "; ".join(
            f"{e.file} line {e.line}, {e.column}: {e.message}" for e in report.errors[:10]
        )
        raise ProjectDemoError(
            f"Demo projects not loaded ({report.error_count} problems): {problems}"
        )
    return report
