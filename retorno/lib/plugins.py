"""How an app plugs into the rest: one declaration per app, one loop that reads them all.

Each app of the project has a module `plugin.py` with `PLUGIN = AppPlugin(...)`, saying what it
contributes: navigation sections, case-page tabs, audit verbs, timeline kinds, "My work" items,
links under the actions of a reintegration plan, consent-withdrawal and phase-change
handlers, which of its
models hold personal data, what it holds about a person (for an access request) and how it
anonymises its records of a person. `registry()` imports the plugin of every installed
`retorno.*` app once and merges the declarations; the navigation, the audit labels, the
timeline, the case page, the plan page, consent withdrawal and My work read from it. Adding an
app is its own `plugin.py` and a line in INSTALLED_APPS: no other app is edited.

This module sits in the bottom layer: it imports no app. The plugins import their own app.
"""

import functools
import importlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from django.apps import apps
from django.db import transaction

# Installed apps of the project that contribute nothing and hold no models, so have no plugin:
# - lib: the model-free helpers at the bottom, this loader among them;
# - api: the wiring of /api/v1/ on top (URLs, schema), whose endpoints belong to the apps;
# - demo: the demo data, built with the apps' own actions.
WITHOUT_PLUGIN = frozenset({"retorno.lib", "retorno.api", "retorno.demo"})


@dataclass(frozen=True)
class NavSection:
    """A section of the primary navigation. Sections are shown by ascending position."""

    label: str
    url_name: str
    capability: str | None  # None: every signed-in member of staff
    position: int
    badge: Callable | None = None  # badge(user) -> how many things wait there (0: no badge)


@dataclass(frozen=True)
class CaseTab:
    """A tab of the case page (shown to users with full access), by ascending position."""

    key: str
    label: str
    url_name: str  # reversed with the case's public_id
    position: int
    visible: Callable | None = None  # visible(case) -> bool; None: always


@dataclass(frozen=True)
class TimelineKinds:
    """Event kinds an app writes on a case's timeline, in one of the timeline's filter groups,
    each with its describer: describe(params) -> (title, text)."""

    group: str
    describers: Mapping[str, Callable]


@dataclass(frozen=True)
class MyWorkItem:
    """One kind of thing under "Needs your attention" on My work, by ascending position.

    context(user, today) -> dict for the template, or None when there is nothing to show; one
    query (or a fixed few), whatever the number of rows. The template is included with the
    dict as `item`.
    """

    key: str
    position: int
    template: str
    context: Callable


@dataclass(frozen=True)
class PlanActionLink:
    """A line shown under an action of a reintegration plan by an app built on the plan (a grant
    requested for it, the link to request one): a label, where it leads, and a state (or "")."""

    label: str
    url: str
    state: str = ""


@dataclass(frozen=True)
class PersonDataSection:
    """Part of what an app holds about a person: a title and rows of (label, value)."""

    title: str
    rows: tuple = ()


def no_person_data(person) -> list:
    """For an app that holds nothing about a person."""
    return []


def nothing_to_anonymise(person, *, actor) -> int:
    """For an app that holds nothing about a person."""
    return 0


@dataclass(frozen=True, kw_only=True)
class AppPlugin:
    """What an app contributes. The last three say what it holds about persons: they have no
    default, so an app that holds nothing says so (`()`, `no_person_data`,
    `nothing_to_anonymise`)."""

    # The app's URL module (its namespace), included at url_prefix by the project's urls.py.
    urls: str | None = None
    url_prefix: str = ""
    navigation: tuple[NavSection, ...] = ()
    tabs: tuple[CaseTab, ...] = ()
    audit_verbs: Mapping[str, str] = field(default_factory=dict)
    timeline_kinds: tuple[TimelineKinds, ...] = ()
    my_work: tuple[MyWorkItem, ...] = ()
    # plan_action_links(user, plan, actions) -> {action.lineage: [PlanActionLink, ...]}: what the
    # app shows under the plan's actions (the plans app reads it without importing the app).
    # One query (or a fixed few) for all the actions, whatever their number.
    plan_action_links: Callable | None = None
    # handler(consent, *, actor) -> list of sentences saying what stopped
    consent_withdrawn: tuple[Callable, ...] = ()
    # handler(case, *, actor, previous) after a case changed phase (case.phase is the new one,
    # previous the old, None for a case just opened), in the same transaction: monitoring plans
    # the follow-ups of a case that enters reception.
    phase_changed: tuple[Callable, ...] = ()
    # Names of the app's models that hold personal data, and of those that hold none: every
    # model of the app is in exactly one of the two (the access-policy test checks it).
    personal_data_models: tuple[str, ...]
    other_models: tuple[str, ...] = ()
    # person_data(person) -> list of PersonDataSection: what the app holds about the person.
    person_data: Callable
    # anonymise(person, *, actor) -> number of records changed; atomic and audited.
    anonymise: Callable


@dataclass(frozen=True)
class Registry:
    plugins: Mapping[str, AppPlugin]  # app name -> plugin, in INSTALLED_APPS order
    urls: tuple[tuple[str, str], ...]  # (prefix, URL module)
    navigation: tuple[NavSection, ...]
    tabs: tuple[CaseTab, ...]
    audit_verbs: Mapping[str, str]
    timeline_kinds: Mapping[str, list]  # group -> kinds
    describers: Mapping[str, Callable]
    my_work: tuple[MyWorkItem, ...]
    plan_action_links: tuple[Callable, ...]
    consent_withdrawn: tuple[Callable, ...]
    phase_changed: tuple[Callable, ...]
    personal_data_models: frozenset


def project_apps() -> list:
    """The installed apps of the project that must have a plugin."""
    return [
        config
        for config in apps.get_app_configs()
        if config.name.startswith("retorno.") and config.name not in WITHOUT_PLUGIN
    ]


def plugin_of(config) -> AppPlugin:
    try:
        module = importlib.import_module(f"{config.name}.plugin")
    except ModuleNotFoundError as error:
        if error.name != f"{config.name}.plugin":
            raise
        raise LookupError(
            f"{config.name} has no plugin.py: declare what it contributes (retorno/lib/plugins.py)"
        ) from error
    plugin = getattr(module, "PLUGIN", None)
    if not isinstance(plugin, AppPlugin):
        raise LookupError(f"{config.name}.plugin has no PLUGIN = AppPlugin(...)")
    return plugin


def build(plugins: Mapping[str, AppPlugin]) -> Registry:
    by_position = functools.partial(sorted, key=lambda item: item.position)
    verbs, groups, describers = {}, {}, {}
    for plugin in plugins.values():
        verbs.update(plugin.audit_verbs)
        for kinds in plugin.timeline_kinds:
            describers.update(kinds.describers)
            group = groups.setdefault(kinds.group, [])
            group.extend(k for k in kinds.describers if k not in group)
    every = list(plugins.values())
    return Registry(
        plugins=dict(plugins),
        urls=tuple((p.url_prefix, p.urls) for p in every if p.urls),
        navigation=tuple(by_position(s for p in every for s in p.navigation)),
        tabs=tuple(by_position(t for p in every for t in p.tabs)),
        audit_verbs=verbs,
        timeline_kinds=groups,
        describers=describers,
        my_work=tuple(by_position(i for p in every for i in p.my_work)),
        plan_action_links=tuple(p.plan_action_links for p in every if p.plan_action_links),
        consent_withdrawn=tuple(h for p in every for h in p.consent_withdrawn),
        phase_changed=tuple(h for p in every for h in p.phase_changed),
        personal_data_models=frozenset(m for p in every for m in p.personal_data_models),
    )


@functools.cache
def registry() -> Registry:
    """The merged declarations of every installed app, built once per process."""
    return build({config.name: plugin_of(config) for config in project_apps()})


def load() -> None:
    """Build the registry now, so a missing or broken plugin stops the start-up."""
    registry()


def plan_action_links(user, plan, actions) -> dict:
    """What every app shows under the plan's actions: action lineage -> [PlanActionLink, ...],
    the apps in INSTALLED_APPS order."""
    merged: dict = {}
    if plan is None or not actions:
        return merged
    for links_of in registry().plan_action_links:
        for lineage, links in links_of(user, plan, actions).items():
            merged.setdefault(lineage, []).extend(links)
    return merged


def person_data(person) -> dict:
    """What every app holds about the person: app label -> list of PersonDataSection."""
    return {
        name.rpartition(".")[2]: plugin.person_data(person)
        for name, plugin in registry().plugins.items()
    }


def anonymise(person, *, actor) -> dict:
    """Anonymise the person in every app, in one transaction, the apps on top first (their
    records point at the ones below): app label -> number of records changed."""
    with transaction.atomic():
        return {
            name.rpartition(".")[2]: plugin.anonymise(person, actor=actor)
            for name, plugin in reversed(registry().plugins.items())
        }
