"""The deployment checks `make test` runs, as tests: production settings and migrations."""

import os
import secrets
import subprocess
import sys

from django.conf import settings


def manage(*args, env):
    return subprocess.run(
        [sys.executable, str(settings.BASE_DIR / "manage.py"), *args],
        env=env,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=120,
    )


def production_env(tmp_path):
    # Nothing of the test run's own configuration (DJANGO_ALLOW_ASYNC_UNSAFE from the browser
    # tests, DJANGO_SETTINGS_MODULE, DEBUG) leaks into the production-like process.
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CLUSTERHUB_", "DJANGO_"))}
    env.update(
        CLUSTERHUB_SECRET_KEY=secrets.token_urlsafe(50),
        CLUSTERHUB_SSL_REDIRECT="1",
        CLUSTERHUB_ALLOWED_HOSTS="example.org",
        CLUSTERHUB_SQLITE_PATH=str(tmp_path / "deploy.sqlite3"),
    )
    return env


def test_the_deploy_check_is_clean_under_production_settings(tmp_path, monkeypatch):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=production_env(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_the_deploy_check_fails_with_the_development_secret_key(tmp_path):
    env = production_env(tmp_path)
    del env["CLUSTERHUB_SECRET_KEY"]
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr + result.stdout


def test_the_migrations_match_the_models(tmp_path):
    result = manage("makemigrations", "--check", "--dry-run", env=production_env(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
