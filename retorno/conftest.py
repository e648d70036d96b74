"""Fixtures shared by every test: the demo's personas, signed-in clients, API clients."""

import os

import pytest
from django.contrib.auth.hashers import make_password

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # live_server + Playwright

pytest_plugins = ["retorno.testing.browser"]


@pytest.fixture(autouse=True)
def _test_settings(settings):
    # Argon2 is deliberately slow; tests that check hashing restore it themselves.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Two-factor is required per role in production; the tests that check it switch it on.
    settings.RETORNO_MFA_REQUIRED_ROLES = []
    from retorno.cases.forms import _FILTER_CHOICES

    _FILTER_CHOICES.clear()  # choices kept a minute per process must not cross tests
    from retorno.cases.timeline import _DESKS

    _DESKS.clear()  # nor the desks' names the timeline keeps a minute
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    yield
    # A language a test activated (a request in Spanish, say) must not cross into the next.
    from django.utils import translation

    translation.deactivate()


@pytest.fixture(autouse=True)
def _shipped_data(request):
    """What the migrations load (the default survey instrument), back after a transactional
    test's flush emptied the database: the tests with live_server run after such a flush."""
    if not {"transactional_db", "live_server"} & set(request.fixturenames):
        return
    request.getfixturevalue("transactional_db")
    from retorno.monitoring.actions import load_instrument_version
    from retorno.monitoring.tests.factories import default_definition

    load_instrument_version(default_definition())


class Personas(dict):
    """The demo's accounts and organisations by name: personas.ana, personas.org("LIM")."""

    def __getattr__(self, name):
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None

    def org(self, code):
        return self.organisations[code]


@pytest.fixture
def personas(db):
    from retorno.demo.foundation import DEMO_PASSWORD, ensure_foundation

    organisations, users = ensure_foundation(
        password_hash=make_password(DEMO_PASSWORD, hasher="md5")
    )
    people = Personas({name.split(".")[0]: user for name, user in users.items()})
    people["organisations"] = organisations
    return people


def acting(user):
    """The user with the membership they act under, as the middleware would set it."""
    from retorno.accounts.middleware import act_as

    return act_as(user)


@pytest.fixture
def as_user(client):
    """as_user(personas.ana) -> a test client signed in as Ana."""

    def sign_in(user):
        client.force_login(user)
        return client

    return sign_in


@pytest.fixture
def api_as():
    """api_as(personas.ana) -> a DRF client authenticating with a fresh token of Ana's."""
    from rest_framework.test import APIClient

    from retorno.accounts.actions import create_token

    def make(user, membership=None):
        user = acting(user)
        _token, key = create_token(
            user, actor=user, name="test", membership=membership or user.membership
        )
        api = APIClient()
        api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
        return api

    return make
