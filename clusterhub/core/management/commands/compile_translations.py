import re
from pathlib import Path

import polib
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

# Placeholders that must survive translation, or rendering the string fails at run time.
# Python %-formatting (named or not, with flags and precision), str.format fields.
PLACEHOLDER = re.compile(r"%\([^)]+\)[-#0 +]*\d*(?:\.\d+)?[sdifr]|%[sd]|\{[a-z_][a-z0-9_]*\}")


def placeholder_problems(catalogue: polib.POFile) -> list[str]:
    """Translations whose placeholders differ from the original's.

    A plural form may leave out a placeholder (Italian "Un risultato"), never add one.
    """
    problems = []
    for entry in catalogue.translated_entries():
        expected = set(PLACEHOLDER.findall(entry.msgid + " " + (entry.msgid_plural or "")))
        translations = list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]
        for text in translations:
            found = set(PLACEHOLDER.findall(text))
            if not found <= expected or (not entry.msgid_plural and found != expected):
                problems.append(
                    f"line {entry.linenum}: {entry.msgid!r} has placeholders {sorted(expected)}, "
                    f"its translation {text!r} has {sorted(found)}"
                )
    return problems


class Command(BaseCommand):
    help = (
        "Compile every locale/*/LC_MESSAGES/*.po into .mo with polib "
        "(pure Python: no GNU gettext needed)."
    )
    # Runs first in `make`, before the project need be importable as a whole.
    requires_system_checks: list[str] = []

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        catalogues = sorted(
            po for base in settings.LOCALE_PATHS for po in Path(base).glob("*/LC_MESSAGES/*.po")
        )
        problems = []
        for po_path in catalogues:
            try:
                catalogue = polib.pofile(str(po_path))
            except (OSError, ValueError) as exc:
                raise CommandError(f"{po_path}: cannot read catalogue ({exc})") from exc
            found = placeholder_problems(catalogue)
            if found:
                problems += [f"{po_path} {problem}" for problem in found]
                continue
            catalogue.save_as_mofile(str(po_path.with_suffix(".mo")))
            self.stdout.write(
                f"{po_path}: "
                f"{len(catalogue.translated_entries())} of "
                f"{len([e for e in catalogue if not e.obsolete])} strings translated"
            )
        if problems:
            raise CommandError("Broken translations:\n" + "\n".join(problems))
