"""Walking the routes: the HTML routes from the URL resolver, the API operations from the schema."""

import functools
import re
from dataclasses import dataclass, field

from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from rest_framework.test import APIClient

from retorno.tests.matrix_world import PERSONAS

LOGIN = "login"  # 302 to the sign-in page, with ?next= the page asked for
ELSEWHERE = "302"  # 302 anywhere else (a form's success, a page moved)
ROLES = ("anonymous", "outsider", "reader", "permitted")
API_PREFIX = "api/v1/"
# Served under the API's prefix but not API operations: the schema and its browser.
API_PAGES = {"api-schema", "api-docs"}


@dataclass(frozen=True)
class Expect:
    """What each persona gets: GET (and POST for a page that writes), in ROLES order."""

    get: tuple
    post: tuple | None = None
    who: str = "case"  # which people stand for the personas: matrix_world.PERSONAS
    ids: dict = field(default_factory=dict)  # route arguments other than the world's default


def _parse(answers: str) -> tuple:
    return tuple(LOGIN if a == "L" else int(a) for a in answers.split())


def E(get: str, post: str | None = None, *, who: str = "case", **ids) -> Expect:
    """E("L 404 200 200", "L 404 404 302", who="case"): L is a 302 to the sign-in page."""
    return Expect(_parse(get), _parse(post) if post else None, who, ids)


@functools.cache
def html_routes() -> dict[str, list[str]]:
    """Every named HTML route: {"cases:case": ["case_id"], ...} (the API's operations aside)."""
    found = {}

    def walk(patterns, prefix, namespace, outer=frozenset()):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = namespace
                if pattern.namespace:
                    inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
                # The groups of an including pattern (the public site's /<lang>/) count too.
                groups = outer | set(pattern.pattern.regex.groupindex)
                walk(pattern.url_patterns, prefix + str(pattern.pattern), inner, groups)
                continue
            assert isinstance(pattern, URLPattern)
            assert pattern.name, f"an unnamed route: {prefix}{pattern.pattern}"
            name = f"{namespace}:{pattern.name}" if namespace else pattern.name
            if (prefix + str(pattern.pattern)).startswith(API_PREFIX) and name not in API_PAGES:
                continue
            regex = pattern.pattern.regex
            found[name] = sorted(outer | set(regex.groupindex))

    walk(get_resolver().url_patterns, "", None)
    return found


def api_routes() -> set[str]:
    """The paths the resolver serves under /api/v1/, as the schema spells them."""
    paths = set()

    def walk(patterns, prefix):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, prefix + str(pattern.pattern))
            elif pattern.name not in API_PAGES:
                route = prefix + str(pattern.pattern)
                if route.startswith(API_PREFIX):
                    paths.add("/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route))

    walk(get_resolver().url_patterns, "")
    return paths


@functools.cache
def api_operations() -> dict[str, tuple[str, str]]:
    """{operationId: (method, path)} from the OpenAPI schema."""
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(public=True)
    return {
        operation["operationId"]: (method, path)
        for path, operations in schema["paths"].items()
        for method, operation in operations.items()
    }


def person(world, who: str, role: str):
    """The user standing for a persona (or named outright: "carla")."""
    if role == "anonymous":
        return None
    if role not in ROLES:
        return world["people"][role]
    return world["people"][PERSONAS[who][ROLES.index(role) - 1]]


def observe(response):
    if response.status_code == 302 and response["Location"].startswith("/accounts/login/?next="):
        return LOGIN
    return response.status_code


def html_answer(world, name: str, arguments: list[str], expect: Expect, role: str, method: str):
    ids = {**world["ids"], **{k: world["ids"].get(v, v) for k, v in expect.ids.items()}}
    url = reverse(name.split("@")[0], kwargs={a: ids[a] for a in arguments})
    client = Client()
    user = person(world, expect.who, role)
    if user is not None:
        client.force_login(user)
    return observe(getattr(client, method)(url))


def api_url(world, path: str, overrides=None) -> str:
    collection = re.match(r"/api/v1/(.*?)/\{id\}", path)
    ids = {**world["ids"], **{k: world["ids"].get(v, v) for k, v in (overrides or {}).items()}}
    if collection:
        ids["id"] = ids[collection.group(1)]
    return re.sub(r"\{(\w+)\}", lambda m: str(ids[m.group(1)]), path)


def api_answer(world, method: str, path: str, who: str, role: str, ids=None):
    client = APIClient()
    user = person(world, who, role)
    if user is not None:
        name = PERSONAS[who][ROLES.index(role) - 1]
        client.credentials(HTTP_AUTHORIZATION=f"Token {world['keys'][name]}")
    body = {} if method in ("post", "patch", "put") else None
    response = getattr(client, method)(api_url(world, path, ids), body, format="json")
    return response.status_code, response
