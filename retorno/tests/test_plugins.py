"""One way to plug in: every app declares what it contributes in its plugin.py, one loop reads
them all, and what users see is built from it."""

from types import SimpleNamespace

import pytest
from django.apps import apps
from django.urls import reverse

from retorno.cases.tests.factories import register
from retorno.lib.plugins import (
    WITHOUT_PLUGIN,
    AppPlugin,
    CaseTab,
    MyWorkItem,
    NavSection,
    PlanActionLink,
    build,
    no_person_data,
    nothing_to_anonymise,
    plugin_of,
    project_apps,
    registry,
)


def test_every_installed_app_of_the_project_has_a_plugin():
    names = {config.name for config in project_apps()}
    assert names == {
        "retorno.accounts",
        "retorno.audit",
        "retorno.cases",
        "retorno.directory",
        "retorno.grants",
        "retorno.monitoring",
        "retorno.outreach",
        "retorno.plans",
        "retorno.programmes",
        "retorno.referrals",
    }
    for config in project_apps():
        assert isinstance(plugin_of(config), AppPlugin)
    assert set(registry().plugins) == names


def test_the_apps_without_a_plugin_are_only_the_helpers_the_wiring_and_the_demo():
    # They hold no models and contribute nothing: lib (this loader, helpers), api (the wiring
    # of /api/v1/), demo (demo data). A domain app cannot join them unnoticed.
    assert {"retorno.lib", "retorno.api", "retorno.demo"} == WITHOUT_PLUGIN
    for name in WITHOUT_PLUGIN:
        config = next(c for c in apps.get_app_configs() if c.name == name)
        assert list(config.get_models()) == []


def test_an_app_without_a_plugin_module_is_refused():
    with pytest.raises(LookupError, match=r"retorno\.lib has no plugin\.py"):
        plugin_of(SimpleNamespace(name="retorno.lib"))


def test_the_navigation_is_in_the_same_order_as_before():
    assert [s.url_name for s in registry().navigation] == [
        "home",
        "cases:list",
        "cases:tasks",
        "cases:handovers",
        "cases:duplicates",
        "cases:import",
        "grants:list",
        "grants:budget",
        "monitoring:desk",
        "outreach:content",
        "outreach:leads",
        "outreach:campaign",
        "directory:services",
        "directory:our_services",
        "referrals:inbox",
        "audit:events",
        "programmes:list",
        "accounts:organisations",
        "accounts:users",
    ]


def test_the_case_tabs_are_in_the_same_order_as_before(as_user, personas):
    assert [t.key for t in registry().tabs] == [
        "summary",
        "household",
        "consent",
        "journal",
        "plan",
        "grants",
        "monitoring",
        "referrals",
        "documents",
        "timeline",
    ]
    case = register(personas.ana)
    page = as_user(personas.ana).get(reverse("cases:case", args=[case.public_id]))
    assert page.status_code == 200
    html = page.content.decode()
    html = html[html.index('aria-label="Case sections"') :]
    labels = [
        "Household",
        "Journal",
        "Plan",
        "Grants",
        "Monitoring",
        "Referrals",
        "Documents",
        "Timeline",
    ]
    positions = [html.index(f">{label}</a>") for label in labels]
    assert positions == sorted(positions)


def test_audit_verbs_timeline_kinds_and_consent_handlers_come_from_every_app():
    verbs = registry().audit_verbs
    for verb in ("signin.succeeded", "audit.exported", "case.opened", "plan.approved"):
        assert verb in verbs
    assert "directory.imported" in verbs and "referral.sent" in verbs
    plan_group = registry().timeline_kinds["plan"]
    assert "plan_approved" in plan_group and "referral_sent" in plan_group
    assert set(registry().describers) >= {"plan_submitted", "referral_status"}
    from retorno.referrals.actions import close_referrals_without_consent

    assert registry().consent_withdrawn == (close_referrals_without_consent,)


def test_my_work_items_come_in_the_order_the_apps_declare():
    assert [item.key for item in registry().my_work] == [
        "newly_assigned",
        "handovers",
        "at_risk",
        "lost_contact",
        "leads",
        "approvals",
        "grant_approvals",
        "overdue_referrals",
        "instalments_due",
        "tasks",
    ]


def test_adding_an_app_is_its_plugin_alone():
    """A new app (grants, say) takes its place in every registry from its own declaration."""
    grants = AppPlugin(
        navigation=(NavSection("Grants", "grants:list", None, position=150),),
        tabs=(CaseTab("grants", "Grants", "grants:case", position=55),),
        audit_verbs={"grant.approved": "Grant approved"},
        my_work=(MyWorkItem("grants", 35, "grants/my_work.html", lambda user, today: None),),
        personal_data_models=("Grant",),
        other_models=("Budget",),
        person_data=no_person_data,
        anonymise=nothing_to_anonymise,
    )
    merged = build({**registry().plugins, "retorno.grants": grants})
    urls = [s.url_name for s in merged.navigation]
    assert urls.index("grants:list") == urls.index("cases:import") + 1
    tabs = [t.key for t in merged.tabs]
    assert tabs[tabs.index("plan") : tabs.index("plan") + 2] == ["plan", "grants"]
    assert merged.audit_verbs["grant.approved"] == "Grant approved"
    items = [i.key for i in merged.my_work]
    assert items[items.index("approvals") + 1] == "grants"
    assert "Grant" in merged.personal_data_models


def test_an_app_must_say_what_it_holds_about_persons():
    with pytest.raises(TypeError):
        AppPlugin(audit_verbs={})


def test_every_apps_pages_are_included_from_its_plugin():
    assert registry().urls == (
        ("", "retorno.accounts.urls"),
        ("audit/", "retorno.audit.urls"),
        ("", "retorno.programmes.urls"),
        ("", "retorno.cases.urls"),
        ("", "retorno.directory.urls"),
        ("", "retorno.plans.urls"),
        ("", "retorno.referrals.urls"),
        ("grants/", "retorno.grants.urls"),
        ("monitoring/", "retorno.monitoring.urls"),
        ("", "retorno.outreach.urls"),
    )
    assert reverse("grants:list") == "/grants/"
    assert reverse("audit:events") == "/audit/"
    assert reverse("plans:plan", args=["00000000-0000-0000-0000-000000000000"]).startswith("/")


def test_the_plan_shows_what_other_apps_attach_to_its_actions(as_user, personas):
    """plans (layer 6) shows grants (layer 7) under its actions through the plug-in hook alone:
    the grant asked for an action, and the link to ask for one."""
    from retorno.grants.tests import factories as grants

    assert len(registry().plan_action_links) == 1
    case = grants.funded_case(personas)
    grant = grants.draft(case, personas)
    page = as_user(personas.lucia).get(reverse("plans:plan", args=[case.public_id]))
    html = page.content.decode()
    assert reverse("grants:detail", args=[grant.public_id]) in html
    assert reverse("grants:create", args=[grants.economic_action(case).public_id]) in html


def test_plan_action_links_merge_every_apps_links_in_app_order():
    first = AppPlugin(
        plan_action_links=lambda user, plan, actions: {"a": [PlanActionLink("One", "/1/")]},
        personal_data_models=(),
        person_data=no_person_data,
        anonymise=nothing_to_anonymise,
    )
    second = AppPlugin(
        plan_action_links=lambda user, plan, actions: {
            "a": [PlanActionLink("Two", "/2/", "sent")],
            "b": [PlanActionLink("Three", "/3/")],
        },
        personal_data_models=(),
        person_data=no_person_data,
        anonymise=nothing_to_anonymise,
    )
    merged = build({"one": first, "two": second})
    assert len(merged.plan_action_links) == 2
    links = {}
    for links_of in merged.plan_action_links:
        for key, found in links_of(None, None, []).items():
            links.setdefault(key, []).extend(found)
    assert [link.label for link in links["a"]] == ["One", "Two"]
    assert links["b"][0].url == "/3/"
