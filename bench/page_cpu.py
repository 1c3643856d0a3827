"""CPU time per request of the public pages, served from a copy and rendered, in one process.

    .venv/bin/python bench/page_cpu.py --db FILE [--rounds 5] [--requests 50]

Uses a copy of an SQLite database with the demo data (FILE is never written) and Django's
WSGI handler directly (no server, no network): each page is requested by an anonymous
visitor that keeps its cookies, first with the page cache on (after one request that makes
the copy), then off. The figure is the process CPU time per request, median of --rounds
rounds of --requests requests; the ceiling, /healthz/, is measured in the same run. CPU time
hardly depends on what else the machine runs, unlike throughput (bench/load.py). Ends with
one JSON line of figures.
"""

import argparse
import io
import json
import os
import sqlite3
import statistics
import sys
import tempfile
import time
from http.cookies import SimpleCookie
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", required=True, help="SQLite database with the demo data")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--requests", type=int, default=50)
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="clusterhub-page-cpu-"))
    copy = workdir / "clusterhub.sqlite3"
    source = sqlite3.connect(f"file:{args.db}?mode=ro", uri=True)
    target = sqlite3.connect(copy)
    source.backup(target)
    target.close()
    source.close()
    os.environ.pop("DATABASE_URL", None)
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "clusterhub.settings",
            "CLUSTERHUB_SQLITE_PATH": str(copy),
            "CLUSTERHUB_RATELIMIT_DIR": str(workdir / "ratelimit"),
            "CLUSTERHUB_ALLOWED_HOSTS": "127.0.0.1",
            "CLUSTERHUB_DEBUG": "0",
        }
    )
    import django

    django.setup()
    from django.conf import settings
    from django.core.handlers.wsgi import WSGIHandler
    from django.core.management import call_command

    from clusterhub.registry.models import Organization

    call_command("migrate", verbosity=0)
    handler = WSGIHandler()
    cookies: dict[str, str] = {}

    def get(path: str) -> bytes:
        route, _sep, query = path.partition("?")
        environ = {
            "REQUEST_METHOD": "GET",
            "PATH_INFO": route,
            "QUERY_STRING": query,
            "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "80",
            "HTTP_HOST": "127.0.0.1",
            "HTTP_ACCEPT_LANGUAGE": "en",
            "HTTP_COOKIE": "; ".join(f"{k}={v}" for k, v in cookies.items()),
            "wsgi.url_scheme": "http",
            "wsgi.input": io.BytesIO(),
            "wsgi.errors": io.StringIO(),
        }
        status_headers: list = []
        body = b"".join(handler(environ, lambda s, h, e=None: status_headers.extend([s, h])))
        if not status_headers[0].startswith("200"):
            sys.exit(f"GET {path}: {status_headers[0]}")
        for name, value in status_headers[1]:
            if name.lower() == "set-cookie":
                for morsel in SimpleCookie(value).values():
                    cookies[morsel.key] = morsel.value
        return body

    def cpu_ms(path: str) -> float:
        get(path)  # the copy, the templates, the connection
        rounds = []
        for _ in range(args.rounds):
            started = time.process_time()
            for _ in range(args.requests):
                get(path)
            rounds.append((time.process_time() - started) / args.requests * 1000)
        return statistics.median(rounds)

    profile = Organization.objects.filter(is_public=True).order_by("pk").first()
    pages = {
        "ceiling": "/healthz/",
        "directory": "/organizations/",
        "profile": f"/organizations/{profile.pk}/",
        "search": "/organizations/?q=lab",
    }
    figures: dict[str, dict[str, float]] = {}
    for name, path in pages.items():
        settings.CLUSTERHUB_PAGE_CACHE = True
        copied = cpu_ms(path)
        settings.CLUSTERHUB_PAGE_CACHE = False
        rendered = cpu_ms(path)
        figures[name] = {"copy_ms": round(copied, 3), "rendered_ms": round(rendered, 3)}

    print(f"{'page':<10} {'from copy':>10} {'rendered':>10}  CPU ms per request, median")
    for name, row in figures.items():
        print(f"{name:<10} {row['copy_ms']:>10.2f} {row['rendered_ms']:>10.2f}  {pages[name]}")
    print(json.dumps({"bench": "page_cpu", "rounds": args.rounds, "requests": args.requests,
                      "pages": figures}))  # fmt: skip


if __name__ == "__main__":
    main()
