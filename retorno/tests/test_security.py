"""Security settings and headers, checked the way a deployment and a browser meet them."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]

PRODUCTION_ENV = {
    "SECRET_KEY": "x7!k2#production-like-secret-key-with-enough-entropy-9q$w3e",
    "ALLOWED_HOSTS": "retorno.example.org",
    "DATABASE_URL": "sqlite:////tmp/retorno-check.sqlite3",
}
TEST_ONLY_ENV = {"DEBUG", "PYTEST_VERSION", "DJANGO_ALLOW_ASYNC_UNSAFE", "RETORNO_DEMO"}


def test_check_deploy_reports_nothing_with_production_settings():
    env = {k: v for k, v in os.environ.items() if k not in TEST_ONLY_ENV}
    env.update(PRODUCTION_ENV)
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    # --deploy checks HSTS, secure cookies, the HTTPS redirect, DEBUG and the secret key.
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_without_a_secret_key_production_refuses_to_start():
    env = {k: v for k, v in os.environ.items() if k not in TEST_ONLY_ENV | {"SECRET_KEY"}}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


@pytest.mark.django_db
def test_pages_carry_the_security_headers(client):
    response = client.get(reverse("account_login"))
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.django_db
def test_signed_in_pages_are_not_stored_by_the_browser(as_user, personas):
    response = as_user(personas.ana).get("/")
    assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
def test_no_page_has_inline_script(as_user, personas):
    for who, url in [("ana", "/"), ("ana", "/account/"), ("pia", "/audit/"), ("admin", "/users/")]:
        page = as_user(personas[who]).get(url).content.decode()
        assert "<script>" not in page and "<script >" not in page
        assert " onclick=" not in page and " style=" not in page
