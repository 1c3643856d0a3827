"""The regional officer's audit trail: a filterable, paginated table and its CSV export.

Read-only: no view here writes anything, and the model refuses updates and deletes.
"""

from collections.abc import Iterator
from typing import Any
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_safe

from clusterhub.audit.forms import AuditFilterForm
from clusterhub.audit.selectors import CSV_COLUMNS, audit_entries, changes, csv_records
from clusterhub.core.access import Policy, access
from clusterhub.registry.exporting import csv_line_writer, spreadsheet_safe

PAGE_SIZE = 50


@access(Policy.OFFICER)
@require_safe
def entry_list(request: HttpRequest) -> HttpResponse:
    form = AuditFilterForm(request.GET or None)
    valid = not form.is_bound or form.is_valid()
    entries = audit_entries(form.filters()) if valid else audit_entries(form.filters()).none()
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [(entry, changes(entry)) for entry in page.object_list]
    query = urlencode(form.query())
    context: dict[str, Any] = {
        "form": form,
        "valid": valid,
        "page": page,
        "rows": rows,
        "page_query": query,
    }
    partial = bool(request.htmx) and not request.htmx.history_restore_request
    template = "audit/_results.html" if partial else "audit/list.html"
    response = render(request, template, context)
    patch_vary_headers(response, ("HX-Request",))
    return response


def _csv_lines(records: Iterator[list[Any]]) -> Iterator[str]:
    writer = csv_line_writer()
    yield writer.writerow(CSV_COLUMNS)
    for record in records:
        yield writer.writerow([spreadsheet_safe(v) if isinstance(v, str) else v for v in record])


@access(Policy.OFFICER)
@require_safe
def export_csv(request: HttpRequest) -> HttpResponse:
    """The entries the same filters select, every page, as CSV."""
    form = AuditFilterForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        problems = "; ".join(f"{name}: {' '.join(errors)}" for name, errors in form.errors.items())
        return HttpResponse(problems, status=400, content_type="text/plain; charset=utf-8")
    response = StreamingHttpResponse(
        _csv_lines(csv_records(audit_entries(form.filters()))),
        content_type="text/csv; charset=utf-8",
    )
    stamp = timezone.now().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="audit-{stamp}.csv"'
    return response
