"""The permission matrix, built from the routes: every HTML route from the URL resolver and every
API operation from the OpenAPI schema, as the anonymous, an outsider, a reader and a permitted
user, with the answer each gets declared once, below.

A new route with no line here fails `test_every_html_route_is_declared` (or the API's); a line
for a route that is gone fails it too. Who stands for each persona depends on what the route is
about: `matrix_world.PERSONAS`. The answers: a status code, or L for a 302 to the sign-in page
with ?next= the page asked for. A page that writes declares its POST (an empty form: 200 or 422
with the form's errors, or 302 when there is nothing to fill in) after its GET.

What the policy says, and this table shows: what a user may not see does not exist (404); 403 is
for a user who may see the object but not change it, or whose role never does this at all; the
anonymous are sent to sign in (pages) or get 401 (API).
"""

import pytest

from retorno.tests import matrix_harness as harness
from retorno.tests.matrix_harness import ROLES, E
from retorno.tests.matrix_world import world_in_transaction

HTML = {
    "accessibility": E("200 200 200 200", who="public"),
    "account_change_password": E("L 200 200 200", "L 200 200 200", who="public"),
    "account_confirm_email": E("200 200 200 200", "404 404 404 404", who="public"),
    "account_confirm_login_code": E("302 302 302 302", "302 302 302 302", who="public"),
    "account_confirm_reauthentication_code": E("L 302 302 302", "L 302 302 302", who="public"),
    "account_email": E("L 200 200 200", "L 302 302 302", who="public"),
    "account_email_verification_sent": E("200 200 200 200", who="public"),
    "account_inactive": E("200 200 200 200", who="public"),
    "account_login": E("200 302 302 302", "200 302 302 302", who="public"),
    "account_logout": E("302 200 200 200", "302 302 302 302", who="public"),
    "account_reauthenticate": E("L 200 200 200", "L 200 200 200", who="public"),
    "account_request_reauthentication_code": E("L 302 302 302", "L 302 302 302", who="public"),
    "account_reset_password": E("200 200 200 200", "200 200 200 200", who="public"),
    "account_reset_password_done": E("200 200 200 200", who="public"),
    "account_reset_password_from_key": E("200 200 200 200", "200 200 200 200", who="public"),
    "account_reset_password_from_key_done": E("200 200 200 200", who="public"),
    "account_set_password": E("L 302 302 302", "L 302 302 302", who="public"),
    "account_signup": E("200 302 302 302", "200 302 302 302", who="public"),
    "accounts:membership_add": E("L 403 403 200", "L 403 403 200", who="admin"),
    "accounts:membership_deactivate": E("L 404 403 200", "L 404 403 200", who="admin"),
    "accounts:membership_reactivate": E("L 405 403 405", "L 404 403 302", who="admin"),
    "accounts:organisation": E("L 403 403 200", who="admin"),
    "accounts:organisation_create": E("L 403 403 200", "L 403 403 200", who="admin"),
    "accounts:organisation_edit": E("L 403 403 200", "L 403 403 200", who="admin"),
    "accounts:organisations": E("L 403 403 200", who="admin"),
    "accounts:profile": E("L 200 200 200", "L 200 200 200", who="own"),
    "accounts:switch_desk": E("L 200 200 200", "L 200 200 200", who="own"),
    "accounts:token_create": E("L 405 405 405", "L 422 422 422", who="own"),
    "accounts:token_revoke": E("L 405 405 405", "L 404 404 302", who="own"),
    "accounts:user": E("L 404 403 200", who="admin"),
    "accounts:user_deactivate": E("L 403 403 200", "L 403 403 200", who="admin"),
    "accounts:user_invite": E("L 200 403 200", "L 200 403 200", who="admin"),
    "accounts:users": E("L 200 403 200", who="admin"),
    # Anything else under /api/ answers 404 in the error shape, to everyone, whatever the method.
    "api-unknown-path": E("404 404 404 404", "404 404 404 404", who="public", path="v1/nope/"),
    "api-docs": E("200 200 200 200", who="public"),
    "api-schema": E("200 200 200 200", who="public"),
    "audit:events": E("L 403 200 200", who="admin"),
    "audit:export": E("L 403 200 200", who="admin"),
    "cases:assessment_add": E("L 404 403 200", "L 404 403 200", who="case"),
    "cases:assign": E("L 404 403 200", "L 404 403 200", who="case"),
    "cases:case": E("L 404 200 200", who="case"),
    "cases:case@sensitive": E("L 404 200 200", who="sensitive", case_id="sensitive"),
    "cases:close": E("L 404 403 200", "L 404 403 200", who="case"),
    "cases:consent": E("L 404 404 200", who="case"),
    "cases:consent_record": E("L 404 403 200", "L 404 403 200", who="case"),
    "cases:consent_withdraw": E("L 404 403 200", "L 404 403 200", who="case"),
    # Monitoring (_monitoring_pages_world): the Lima case, proposed for closing as lost contact
    # after three failed attempts at its first follow-up, with its baseline survey started.
    "monitoring:attempt": E("L 404 404 200", "L 404 404 422", who="case"),
    "monitoring:case": E("L 404 404 200", who="case"),
    "monitoring:decide": E("L 404 403 200", "L 404 403 422", who="case_coordinator"),
    "monitoring:desk": E("L 403 403 302", who="monitoring_desk"),
    "monitoring:desk_of": E("L 404 403 200", who="monitoring_desk_of"),
    "monitoring:instrument": E("L 200 200 200", who="public"),
    "monitoring:record": E("L 404 404 200", "L 404 404 422", who="case"),
    "monitoring:schedule": E("L 403 403 200", "L 403 403 422", who="monitoring_schedule"),
    "monitoring:survey": E("L 404 404 200", "L 404 404 302", who="case"),
    # The campaign and its sessions (_outreach_sessions_world): a Milan session next week. A
    # role with no part in the campaign (a partner) is refused before anything is looked up.
    "outreach:campaign": E("L 403 200 200", who="outreach_campaign"),
    "outreach:campaign_create": E("L 403 403 200", "L 403 403 422", who="outreach_campaign"),
    "outreach:campaign_edit": E(
        "L 403 403 200", "L 403 403 422", who="outreach_campaign", campaign_id="outreach_campaign"
    ),
    "outreach:counts": E(
        "L 403 403 200", "L 403 403 422", who="outreach_session", session_id="outreach_session"
    ),
    "outreach:figures": E("L 403 403 200", who="outreach_figures"),
    "outreach:figures_export": E("L 403 403 200", who="outreach_figures"),
    "outreach:material": E(
        "L 403 200 200",
        who="outreach_session",
        session_id="outreach_session",
        material_id="outreach_material",
    ),
    "outreach:materials": E(
        "L 403 403 200", "L 403 403 422", who="outreach_session", session_id="outreach_session"
    ),
    "outreach:organisations": E("L 403 200 200", "L 403 403 422", who="outreach_campaign"),
    "outreach:session": E("L 403 200 200", who="outreach_session", session_id="outreach_session"),
    # Cancelling asks for nothing but the confirmation; marking a session not yet started as
    # held says why not on the session's page.
    "outreach:session_cancel": E(
        "L 403 403 200", "L 403 403 302", who="outreach_session", session_id="outreach_session"
    ),
    "outreach:session_create": E("L 403 403 200", "L 403 403 422", who="outreach_campaign"),
    "outreach:session_edit": E(
        "L 403 403 200", "L 403 403 422", who="outreach_session", session_id="outreach_session"
    ),
    "outreach:session_held": E(
        "L 403 403 302", "L 403 403 302", who="outreach_session", session_id="outreach_session"
    ),
    "outreach:session_organisations": E(
        "L 403 403 200", "L 403 403 302", who="outreach_session", session_id="outreach_session"
    ),
    "outreach:signups": E(
        "L 404 200 200", "L 404 403 422", who="outreach_signups", session_id="outreach_session"
    ),
    "monitoring:survey_start": E("L 405 405 405", "L 404 404 302", who="case"),
    # The public site's editors (_outreach_content_world): a page, Italian version 1 published,
    # Spanish version 1 a draft. Only outreach officers edit it; a partner and a caseworker 403.
    "outreach:content": E("L 403 403 200", who="public_content"),
    "outreach:content_create": E("L 403 403 200", "L 403 403 422", who="public_content"),
    "outreach:content_page": E(
        "L 403 403 200", "L 403 403 422", who="public_content", page_id="content_page"
    ),
    "outreach:content_preview": E(
        "L 403 403 200", who="public_content", page_id="content_page", language="es"
    ),
    "outreach:content_publish": E(
        "L 403 403 200",
        "L 403 403 422",
        who="public_content",
        page_id="content_page",
        language="es",
    ),
    "outreach:content_restore": E(
        "L 403 403 405",
        "L 403 403 422",
        who="public_content",
        page_id="content_page",
        language="it",
        number=1,
    ),
    "outreach:content_versions": E(
        "L 403 403 200", who="public_content", page_id="content_page", language="es"
    ),
    "programmes:cycle": E("L 403 403 200", "L 403 403 200", who="admin"),
    "programmes:cycle_create": E("L 403 403 200", "L 403 403 200", who="admin"),
    "cases:document_download": E("L 404 404 200", who="case"),
    "cases:document_number_add": E("L 404 403 200", "L 404 403 200", who="case"),
    "cases:document_upload": E("L 404 403 302", "L 404 403 422", who="case"),
    "cases:documents": E("L 404 404 200", who="case"),
    "cases:duplicates": E("L 403 403 200", who="desk_coordinator"),
    "cases:handover": E("L 404 200 200", who="handover"),
    "cases:handover_accept": E("L 404 403 200", "L 404 403 200", who="handover"),
    "cases:handover_check": E("L 404 403 302", "L 404 403 302", who="case"),
    "cases:handover_return": E("L 404 403 200", "L 404 403 200", who="handover"),
    "cases:handover_sent": E("L 404 200 200", who="handover"),
    "cases:handover_start": E("L 404 403 200", "L 404 403 200", who="case"),
    "cases:handovers": E("L 200 200 200", who="handover"),
    "cases:household": E("L 404 404 200", who="case"),
    "cases:household_add": E("L 404 403 200", "L 404 403 200", who="case"),
    "cases:household_remove": E("L 404 403 200", "L 404 403 302", who="case"),
    "cases:import": E("L 403 403 200", "L 403 403 200", who="desk_coordinator"),
    "cases:import_cancel": E("L 403 403 302", "L 403 403 302", who="desk_coordinator"),
    "cases:import_preview": E("L 403 403 302", "L 403 403 302", who="desk_coordinator"),
    "cases:import_run": E("L 403 403 302", "L 403 403 302", who="desk_coordinator"),
    "cases:journal": E("L 404 404 200", who="case"),
    "cases:journal_add": E("L 404 403 200", "L 404 403 200", who="case"),
    "cases:journal_amend": E("L 404 403 200", "L 404 403 200", who="case"),
    "cases:list": E("L 403 403 200", who="desk"),
    "cases:merge": E("L 403 403 404", "L 403 403 404", who="desk_coordinator"),
    "cases:not_duplicate": E("L 403 403 302", "L 403 403 404", who="desk_coordinator"),
    "cases:person_edit": E("L 404 403 200", "L 404 403 200", who="case"),
    "cases:phase": E("L 404 403 200", "L 404 403 200", who="case"),
    "programmes:detail": E("L 403 403 200", who="admin"),
    "programmes:create": E("L 403 403 200", "L 403 403 200", who="admin"),
    "programmes:list": E("L 403 403 200", who="admin"),
    "cases:register": E("L 403 403 200", "L 403 403 200", who="desk"),
    "cases:register_hints": E("L 403 403 200", "L 403 403 200", who="desk"),
    "cases:reopen": E("L 404 403 302", "L 404 403 302", who="case_coordinator"),
    "cases:sensitive_remove": E(
        "L 403 403 200", "L 403 403 200", who="sensitive_coordinator", case_id="sensitive"
    ),
    "cases:task_add": E("L 404 403 200", "L 404 403 200", who="case"),
    "cases:task_done": E("L 404 404 302", "L 404 404 302", who="case"),
    "cases:tasks": E("L 403 403 200", who="desk"),
    "cases:timeline": E("L 404 404 200", who="case"),
    "cases:vulnerability": E("L 404 403 200", "L 404 403 200", who="case"),
    "cases:work_add": E("L 404 403 200", "L 404 403 200", who="case"),
    "cookies": E("200 200 200 200", who="public"),
    "directory:export": E("L 200 403 200", who="directory"),
    "directory:export_download": E("L 200 403 200", who="directory"),
    "directory:import": E("L 200 403 200", "L 200 403 200", who="directory"),
    "directory:import_preview": E("L 302 403 302", "L 302 403 302", who="directory"),
    "directory:import_run": E("L 405 405 405", "L 302 403 302", who="directory"),
    "directory:location_create": E("L 403 403 200", "L 403 403 200", who="directory"),
    "directory:location_edit": E("L 403 403 200", "L 403 403 200", who="directory"),
    "directory:location_status": E("L 403 403 200", "L 403 403 302", who="directory"),
    "directory:organization": E("L 200 200 200", who="directory"),
    "directory:organization_create": E("L 200 403 200", "L 200 403 200", who="directory"),
    "directory:organization_edit": E("L 403 403 200", "L 403 403 200", who="directory"),
    "directory:organization_status": E("L 403 403 200", "L 403 403 302", who="directory"),
    "directory:organizations": E("L 200 200 200", who="directory"),
    "directory:our_services": E("L 403 403 200", who="inbox"),
    "directory:program_create": E("L 403 403 200", "L 403 403 200", who="directory"),
    "directory:program_edit": E("L 403 403 200", "L 403 403 200", who="directory"),
    "directory:service": E("L 200 200 200", who="directory"),
    "directory:service_create": E("L 403 403 200", "L 403 403 200", who="directory"),
    "directory:service_edit": E("L 403 403 200", "L 403 403 200", who="directory"),
    "directory:service_status": E("L 403 403 200", "L 403 403 200", who="directory"),
    "directory:services": E("L 200 200 200", who="directory"),
    "grants:budget": E("L 403 302 302", who="budget"),
    "grants:budget_desk": E("L 404 200 200", who="budget"),
    "grants:budget_export": E("L 404 200 200", who="budget"),
    "grants:cancel": E("L 404 403 200", "L 404 403 422", who="grant"),
    "grants:case": E("L 404 404 200", who="case"),
    "grants:close": E(
        "L 404 403 200", "L 404 403 422", who="grant_coordinator", grant_id="approved_grant"
    ),
    "grants:create": E("L 404 404 200", "L 404 404 422", who="case"),
    "grants:decide": E(
        "L 404 403 200", "L 404 403 422", who="grant_coordinator", grant_id="submitted_grant"
    ),
    "grants:detail": E("L 404 200 200", who="grant"),
    "grants:document": E("L 404 200 200", who="grant", document_id="quote_document"),
    "grants:edit": E("L 404 403 200", "L 404 403 422", who="grant"),
    "grants:envelopes": E("L 404 403 200", "L 404 403 422", who="envelope"),
    "grants:instalments": E("L 404 403 200", "L 404 403 422", who="grant"),
    "grants:list": E("L 403 403 200", who="desk"),
    "grants:pay": E("L 404 403 200", "L 404 403 422", who="grant", grant_id="approved_grant"),
    "grants:policy": E("L 403 200 200", "L 403 403 422", who="policy", cycle_id="grant_cycle"),
    "grants:quote_add": E("L 404 403 200", "L 404 403 422", who="grant"),
    "grants:quote_remove": E(
        "L 404 403 302", "L 404 403 302", who="grant", document_id="quote_document"
    ),
    "grants:receipt": E("L 404 403 200", "L 404 403 422", who="grant", grant_id="approved_grant"),
    "grants:submit": E("L 404 403 302", "L 404 403 302", who="grant"),
    "home": E("302 302 200 200", who="public"),
    "mfa_activate_totp": E("L 302 302 302", "L 302 302 302", who="public"),
    "mfa_authenticate": E("302 302 302 302", "302 302 302 302", who="public"),
    "mfa_deactivate_totp": E("L 404 404 404", "L 404 404 404", who="public"),
    "mfa_download_recovery_codes": E("L 404 404 404", who="public"),
    "mfa_generate_recovery_codes": E("L 302 302 302", "L 302 302 302", who="public"),
    "mfa_index": E("L 200 200 200", who="public"),
    "mfa_reauthenticate": E("L 302 302 302", "L 302 302 302", who="public"),
    "mfa_view_recovery_codes": E("L 404 404 404", who="public"),
    "plans:action_add": E("L 404 403 302", "L 404 403 302", who="case"),
    "plans:action_edit": E("L 404 403 302", "L 404 403 302", who="case"),
    "plans:action_status": E("L 404 403 302", "L 404 403 302", who="case"),
    "plans:agreement": E("L 404 403 200", "L 404 403 200", who="case"),
    "plans:approve": E("L 404 403 302", "L 404 403 302", who="case_coordinator"),
    "plans:compare": E("L 404 404 302", who="case"),
    "plans:goal_add": E("L 404 403 302", "L 404 403 302", who="case"),
    "plans:goal_edit": E("L 404 403 302", "L 404 403 302", who="case"),
    "plans:new_version": E("L 404 403 302", "L 404 403 302", who="case"),
    "plans:pdf": E("L 404 404 200", who="case"),
    "plans:plan": E("L 404 404 200", who="case"),
    "plans:send_back": E("L 404 403 200", "L 404 403 200", who="case_coordinator"),
    "plans:start": E("L 404 403 302", "L 404 403 302", who="case"),
    "plans:submit": E("L 404 403 302", "L 404 403 302", who="case"),
    "plans:summary": E("L 404 403 302", "L 404 403 302", who="case"),
    "plans:version": E("L 404 404 200", who="case"),
    # The public site (outreach/views/public.py): the same to everyone, signed in or not. Its
    # forms sent empty are refused as spam (400): no time token.
    "outreach:public_cancel": E(
        "200 200 200 200",
        "302 302 302 302",
        who="public",
        lang="es",
        public_id="public_signup",
        secret="public_signup_secret",
    ),
    "outreach:public_contact": E("200 200 200 200", "400 400 400 400", who="public", lang="es"),
    "outreach:public_contact_thanks": E("200 200 200 200", who="public", lang="es"),
    "outreach:public_guide": E("200 200 200 200", who="public", lang="es", country="pe"),
    "outreach:public_guides": E("200 200 200 200", who="public", lang="es"),
    "outreach:public_home": E("200 200 200 200", who="public", lang="es"),
    "outreach:public_not_found": E("404 404 404 404", who="public", lang="es", rest="nowhere/"),
    "outreach:public_page": E("200 200 200 200", who="public", lang="es", key="offer"),
    "outreach:public_refer": E("200 200 200 200", "400 400 400 400", who="public", lang="es"),
    "outreach:public_refer_thanks": E("200 200 200 200", who="public", lang="es"),
    "outreach:public_session": E(
        "200 200 200 200", "400 400 400 400", who="public", lang="es", public_id="public_session"
    ),
    "outreach:public_session_calendar": E(
        "200 200 200 200", who="public", lang="es", public_id="public_session"
    ),
    "outreach:public_sessions": E("200 200 200 200", who="public", lang="es"),
    "outreach:public_sessions_calendar": E("200 200 200 200", who="public", lang="es"),
    "outreach:public_signed_up": E(
        "200 200 200 200",
        who="public",
        lang="es",
        public_id="public_signup",
        secret="public_signup_secret",
    ),
    "privacy": E("200 200 200 200", who="public"),
    # Leads (_outreach_leads_world): a new lead for Milan, and one Milan closed as not interested.
    # Nobody reads a lead without being able to triage it, so the reader is the outsider: Darío,
    # at Madrid, for whom Milan's leads do not exist. A closed lead is read-only: 403 to a change.
    "outreach:lead": E("L 404 404 200", "L 404 404 422", who="lead"),
    "outreach:lead@closed": E("L 404 404 200", "L 404 404 403", who="lead", lead_id="closed_lead"),
    "outreach:lead_settings": E("L 403 200 200", "L 403 403 422", who="lead_settings"),
    "outreach:leads": E("L 403 200 200", who="leads"),
    "referrals:answer": E("L 404 403 302", "L 404 403 302", who="inbox"),
    "referrals:case": E("L 404 404 200", who="case"),
    "referrals:consent": E("L 404 403 200", "L 404 403 200", who="case"),
    "referrals:detail": E("L 404 404 200", who="case"),
    "referrals:inbox": E("L 403 403 200", who="inbox"),
    "referrals:inbox_detail": E("L 403 403 200", who="inbox"),
    "referrals:letter": E("L 404 404 200", who="case"),
    "referrals:new": E("L 404 403 200", "L 404 403 200", who="case"),
    "referrals:outcome": E("L 404 403 302", "L 404 403 302", who="inbox"),
    "referrals:prepare_consent": E("L 404 403 302", "L 404 403 302", who="case"),
    "referrals:update": E("L 404 302 302", "L 404 302 302", who="inbox"),
    "robots_txt": E("200 200 200 200", who="public"),
    "session_ended": E("200 200 200 200", who="public"),
    "session_keepalive": E("L 204 204 204", "L 204 204 204", who="public"),
    "set_language": E("302 302 302 302", "302 302 302 302", who="public"),
    "sitemap_xml": E("200 200 200 200", who="public"),
}

API = {
    "cases_close_create": E("401 404 403 400", who="case"),  # POST /api/v1/cases/{id}/close/
    "cases_consents_create": E("401 404 403 400", who="case"),  # POST /api/v1/cases/{id}/consents/
    "cases_consents_list": E("401 404 404 200", who="case"),  # GET /api/v1/cases/{id}/consents/
    "cases_consents_withdraw_create": E(
        "401 404 403 200", who="case"
    ),  # POST /api/v1/cases/{id}/consents/{consent_id}/withdraw/
    "cases_create": E("401 403 403 400", who="desk"),  # POST /api/v1/cases/
    "cases_documents_create": E(
        "401 404 403 415", who="case"
    ),  # POST /api/v1/cases/{id}/documents/
    "cases_documents_download": E(
        "401 404 404 200", who="case"
    ),  # GET /api/v1/cases/{id}/documents/{document_id}/download/
    "cases_documents_list": E("401 404 404 200", who="case"),  # GET /api/v1/cases/{id}/documents/
    "cases_handover_create": E("401 404 403 400", who="case"),  # POST /api/v1/cases/{id}/handover/
    "cases_household_create": E(
        "401 404 403 400", who="case"
    ),  # POST /api/v1/cases/{id}/household/
    "cases_household_list": E("401 404 404 200", who="case"),  # GET /api/v1/cases/{id}/household/
    "cases_journal_amend_create": E(
        "401 404 403 400", who="case"
    ),  # POST /api/v1/cases/{id}/journal/{entry_id}/amend/
    "cases_journal_create": E("401 404 403 400", who="case"),  # POST /api/v1/cases/{id}/journal/
    "cases_journal_list": E("401 404 404 200", who="case"),  # GET /api/v1/cases/{id}/journal/
    "cases_list": E("401 403 403 200", who="desk"),  # GET /api/v1/cases/
    "cases_partial_update": E("401 404 403 400", who="case"),  # PATCH /api/v1/cases/{id}/
    "cases_phase_create": E("401 404 403 400", who="case"),  # POST /api/v1/cases/{id}/phase/
    "cases_plan_actions_destroy": E(
        "401 404 403 400", who="case"
    ),  # DELETE /api/v1/cases/{id}/plan/actions/{action_id}/
    "cases_plan_actions_partial_update": E(
        "401 404 403 400", who="case"
    ),  # PATCH /api/v1/cases/{id}/plan/actions/{action_id}/
    "cases_plan_actions_status_create": E(
        "401 404 403 400", who="case"
    ),  # POST /api/v1/cases/{id}/plan/actions/{action_id}/status/
    "cases_plan_agreement_create": E(
        "401 404 403 400", who="case"
    ),  # POST /api/v1/cases/{id}/plan/agreement/
    "cases_plan_approve_create": E(
        "401 404 403 409", who="case_coordinator"
    ),  # POST /api/v1/cases/{id}/plan/approve/
    "cases_plan_compare_retrieve": E(
        "401 404 404 400", who="case"
    ),  # GET /api/v1/cases/{id}/plan/compare/
    "cases_plan_create": E("401 404 403 400", who="case"),  # POST /api/v1/cases/{id}/plan/
    "cases_plan_goals_actions_create": E(
        "401 404 403 400", who="case"
    ),  # POST /api/v1/cases/{id}/plan/goals/{goal_id}/actions/
    "cases_plan_goals_create": E(
        "401 404 403 400", who="case"
    ),  # POST /api/v1/cases/{id}/plan/goals/
    "cases_plan_goals_destroy": E(
        "401 404 403 400", who="case"
    ),  # DELETE /api/v1/cases/{id}/plan/goals/{goal_id}/
    "cases_plan_goals_partial_update": E(
        "401 404 403 400", who="case"
    ),  # PATCH /api/v1/cases/{id}/plan/goals/{goal_id}/
    "cases_plan_new_version_create": E(
        "401 404 403 201", who="case"
    ),  # POST /api/v1/cases/{id}/plan/new-version/
    "cases_plan_partial_update": E("401 404 403 400", who="case"),  # PATCH /api/v1/cases/{id}/plan/
    "cases_plan_retrieve": E("401 404 404 200", who="case"),  # GET /api/v1/cases/{id}/plan/
    "cases_plan_send_back_create": E(
        "401 404 403 400", who="case_coordinator"
    ),  # POST /api/v1/cases/{id}/plan/send-back/
    "cases_plan_submit_create": E(
        "401 404 403 400", who="case"
    ),  # POST /api/v1/cases/{id}/plan/submit/
    "cases_plan_versions_list": E(
        "401 404 404 200", who="case"
    ),  # GET /api/v1/cases/{id}/plan/versions/
    "cases_plan_versions_pdf": E(
        "401 404 404 200", who="case"
    ),  # GET /api/v1/cases/{id}/plan/versions/{number}/pdf/
    "cases_plan_versions_retrieve": E(
        "401 404 404 200", who="case"
    ),  # GET /api/v1/cases/{id}/plan/versions/{number}/
    "cases_referrals_create": E(
        "401 404 403 400", who="case"
    ),  # POST /api/v1/cases/{id}/referrals/
    "cases_referrals_list": E("401 404 404 200", who="case"),  # GET /api/v1/cases/{id}/referrals/
    "cases_reopen_create": E(
        "401 404 403 409", who="case_coordinator"
    ),  # POST /api/v1/cases/{id}/reopen/
    "cases_retrieve": E("401 404 200 200", who="case"),  # GET /api/v1/cases/{id}/
    "cases_tasks_create": E("401 404 403 400", who="case"),  # POST /api/v1/cases/{id}/tasks/
    "budget_retrieve": E("401 403 400 400", who="api_budget"),  # GET /api/v1/budget/
    "cases_grants_create": E("401 404 403 400", who="case"),  # POST /api/v1/cases/{id}/grants/
    "cycles_grant_policy_retrieve": E(
        "401 403 200 200", who="api_policy"
    ),  # GET /api/v1/cycles/{id}/grant-policy/
    "cycles_grant_policy_update": E(
        "401 403 403 400", who="api_policy"
    ),  # PUT /api/v1/cycles/{id}/grant-policy/
    "envelopes_list": E("401 403 200 200", who="api_budget"),  # GET /api/v1/envelopes/
    # The information campaign: the public part answers everyone, without a token.
    "public_pages_list": E("200 200 200 200", who="public"),  # GET /api/v1/public/pages/
    "public_pages_retrieve": E(
        "200 200 200 200", who="public", key="public_page_key"
    ),  # GET /api/v1/public/pages/{key}/
    "public_sessions_list": E("200 200 200 200", who="public"),  # GET /api/v1/public/sessions/
    "public_sessions_retrieve": E(
        "200 200 200 200", who="public"
    ),  # GET /api/v1/public/sessions/{id}/
    "public_sessions_signups_create": E(
        "400 400 400 400", who="public"
    ),  # POST /api/v1/public/sessions/{id}/signups/
    "public_signups_cancel_create": E(
        "400 400 400 400", who="public"
    ),  # POST /api/v1/public/signups/{id}/cancel/
    "leads_list": E("401 200 403 200", who="api_leads"),  # GET /api/v1/leads/
    "leads_retrieve": E("401 404 403 200", who="api_leads"),  # GET /api/v1/leads/{id}/
    "leads_contacted_create": E(
        "401 404 403 400", who="api_leads"
    ),  # POST /api/v1/leads/{id}/contacted/
    "leads_not_interested_create": E(
        "401 404 403 400", who="api_leads"
    ),  # POST /api/v1/leads/{id}/not-interested/
    "leads_duplicate_create": E(
        "401 404 403 400", who="api_leads"
    ),  # POST /api/v1/leads/{id}/duplicate/
    "leads_convert_create": E(
        "401 404 403 400", who="api_leads"
    ),  # POST /api/v1/leads/{id}/convert/
    # Attendance: Madrid's Darío reads the session but not who came, nor records it.
    "outreach_sessions_attendance_retrieve": E(
        "401 404 403 200", who="api_leads"
    ),  # GET /api/v1/outreach/sessions/{id}/attendance/
    "outreach_sessions_attendance_update": E(
        "401 403 403 200", who="api_leads"
    ),  # PUT /api/v1/outreach/sessions/{id}/attendance/
    "envelopes_update": E("401 403 403 400", who="api_budget"),  # PUT /api/v1/envelopes/
    "grants_approve_create": E(
        "401 404 403 200", who="api_grant_decision"
    ),  # POST /api/v1/grants/{id}/approve/
    "grants_cancel_create": E(
        "401 404 403 400", who="api_grant"
    ),  # POST /api/v1/grants/{id}/cancel/
    "grants_close_create": E(
        "401 404 403 400", who="api_grant_decision"
    ),  # POST /api/v1/grants/{id}/close/
    "grants_instalments_payment_create": E(
        "401 404 403 400", who="api_grant", instalment_id="api_instalment"
    ),  # POST /api/v1/grants/{id}/instalments/{instalment_id}/payment/
    "grants_instalments_receipts_create": E(
        "401 404 403 415", who="api_grant", instalment_id="api_instalment"
    ),  # POST /api/v1/grants/{id}/instalments/{instalment_id}/receipts/
    "grants_instalments_update": E(
        "401 404 403 400", who="api_grant"
    ),  # PUT /api/v1/grants/{id}/instalments/
    "grants_list": E("401 403 403 200", who="desk"),  # GET /api/v1/grants/
    "grants_partial_update": E("401 404 403 400", who="api_grant"),  # PATCH /api/v1/grants/{id}/
    "grants_quotes_create": E(
        "401 404 403 415", who="api_grant"
    ),  # POST /api/v1/grants/{id}/quotes/
    "grants_reject_create": E(
        "401 404 403 400", who="api_grant_decision"
    ),  # POST /api/v1/grants/{id}/reject/
    "grants_retrieve": E("401 404 200 200", who="api_grant"),  # GET /api/v1/grants/{id}/
    "grants_submit_create": E(
        "401 404 403 409", who="api_grant"
    ),  # POST /api/v1/grants/{id}/submit/
    "cases_follow_ups_attempts_create": E(
        "401 404 403 400", who="case"
    ),  # POST /api/v1/cases/{id}/follow-ups/{follow_up_id}/attempts/
    "cases_follow_ups_attempts_list": E(
        "401 404 404 200", who="case"
    ),  # GET /api/v1/cases/{id}/follow-ups/{follow_up_id}/attempts/
    "cases_follow_ups_list": E("401 404 404 200", who="case"),  # GET /api/v1/cases/{id}/follow-ups/
    "cases_follow_ups_record_create": E(
        "401 404 403 400", who="case"
    ),  # POST /api/v1/cases/{id}/follow-ups/{follow_up_id}/record/
    "cases_follow_ups_retrieve": E(
        "401 404 404 200", who="case"
    ),  # GET /api/v1/cases/{id}/follow-ups/{follow_up_id}/
    "cases_monitoring_lost_contact_create": E(
        "401 404 403 400", who="case_coordinator"
    ),  # POST /api/v1/cases/{id}/monitoring/lost-contact/
    "cases_monitoring_retrieve": E(
        "401 404 404 200", who="case"
    ),  # GET /api/v1/cases/{id}/monitoring/
    "cases_surveys_create": E("401 404 403 201", who="case"),  # POST /api/v1/cases/{id}/surveys/
    "cases_surveys_list": E("401 404 404 200", who="case"),  # GET /api/v1/cases/{id}/surveys/
    "cases_surveys_partial_update": E(
        "401 404 403 400", who="case"
    ),  # PATCH /api/v1/cases/{id}/surveys/{survey_id}/
    "cases_surveys_retrieve": E(
        "401 404 404 200", who="case"
    ),  # GET /api/v1/cases/{id}/surveys/{survey_id}/
    "cases_surveys_submit_create": E(
        "401 404 403 400", who="case"
    ),  # POST /api/v1/cases/{id}/surveys/{survey_id}/submit/
    "monitoring_desks_retrieve": E(
        "401 404 403 200", who="api_desk_monitoring"
    ),  # GET /api/v1/monitoring/desks/{id}/
    "monitoring_instruments_create": E(
        "401 403 403 400", who="api_schedule"
    ),  # POST /api/v1/monitoring/instruments/
    "monitoring_instruments_list": E(
        "401 200 200 200", who="api_schedule"
    ),  # GET /api/v1/monitoring/instruments/
    "monitoring_instruments_retrieve": E(
        "401 200 200 200", who="api_schedule"
    ),  # GET /api/v1/monitoring/instruments/{id}/
    "monitoring_schedules_retrieve": E(
        "401 200 200 200", who="api_schedule"
    ),  # GET /api/v1/monitoring/schedules/{id}/
    "monitoring_schedules_update": E(
        "401 403 403 400", who="api_schedule"
    ),  # PUT /api/v1/monitoring/schedules/{id}/
    "directory_locations_partial_update": E(
        "401 403 403 400", who="directory"
    ),  # PATCH /api/v1/directory/locations/{id}/
    "directory_locations_retrieve": E(
        "401 200 200 200", who="directory"
    ),  # GET /api/v1/directory/locations/{id}/
    "directory_organisations_create": E(
        "401 400 403 400", who="directory"
    ),  # POST /api/v1/directory/organisations/
    "directory_organisations_list": E(
        "401 200 200 200", who="directory"
    ),  # GET /api/v1/directory/organisations/
    "directory_organisations_locations_create": E(
        "401 403 403 400", who="directory"
    ),  # POST /api/v1/directory/organisations/{id}/locations/
    "directory_organisations_partial_update": E(
        "401 403 403 400", who="directory"
    ),  # PATCH /api/v1/directory/organisations/{id}/
    "directory_organisations_retrieve": E(
        "401 200 200 200", who="directory"
    ),  # GET /api/v1/directory/organisations/{id}/
    "directory_services_create": E(
        "401 400 400 400", who="directory"
    ),  # POST /api/v1/directory/services/
    "directory_services_list": E(
        "401 200 200 200", who="directory"
    ),  # GET /api/v1/directory/services/
    "directory_services_partial_update": E(
        "401 403 403 400", who="directory"
    ),  # PATCH /api/v1/directory/services/{id}/
    "directory_services_retrieve": E(
        "401 200 200 200", who="directory"
    ),  # GET /api/v1/directory/services/{id}/
    "handovers_accept_create": E(
        "401 404 403 400", who="handover"
    ),  # POST /api/v1/handovers/{id}/accept/
    "handovers_list": E("401 200 200 200", who="handover"),  # GET /api/v1/handovers/
    "handovers_retrieve": E("401 404 200 200", who="handover"),  # GET /api/v1/handovers/{id}/
    "handovers_return_create": E(
        "401 404 403 400", who="handover"
    ),  # POST /api/v1/handovers/{id}/return/
    "inbox_list": E("401 403 403 200", who="inbox"),  # GET /api/v1/inbox/
    "me_retrieve": E("401 200 200 200", who="desk"),  # GET /api/v1/me/
    "organisations_list": E("401 200 200 200", who="admin"),  # GET /api/v1/organisations/
    "organisations_retrieve": E("401 200 200 200", who="admin"),  # GET /api/v1/organisations/{id}/
    "persons_partial_update": E("401 404 404 400", who="case"),  # PATCH /api/v1/persons/{id}/
    "persons_retrieve": E("401 404 404 200", who="case"),  # GET /api/v1/persons/{id}/
    "referrals_letter": E("401 404 404 200", who="case"),  # GET /api/v1/referrals/{id}/letter/
    "referrals_retrieve": E("401 404 404 200", who="case"),  # GET /api/v1/referrals/{id}/
    "referrals_shareable_fields_list": E(
        "401 200 403 200", who="desk"
    ),  # GET /api/v1/referrals/shareable-fields/
    "referrals_status_create": E(
        "401 404 400 400", who="inbox"
    ),  # POST /api/v1/referrals/{id}/status/
    "referrals_updates_create": E(
        "401 404 400 400", who="inbox"
    ),  # POST /api/v1/referrals/{id}/updates/
    "tasks_complete_create": E("401 404 404 200", who="case"),  # POST /api/v1/tasks/{id}/complete/
    "tasks_list": E("401 403 403 200", who="desk"),  # GET /api/v1/tasks/
}


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    with (
        django_db_blocker.unblock(),
        world_in_transaction(tmp_path_factory.mktemp("media")) as world,
    ):
        yield world


def test_every_html_route_is_declared():
    routes = set(harness.html_routes())
    declared = {key.split("@")[0] for key in HTML}
    assert sorted(routes - declared) == [], "routes with no declared answer"
    assert sorted(declared - routes) == [], "declared routes that no longer exist"


def test_every_api_operation_is_declared():
    operations = harness.api_operations()
    assert sorted(set(operations) - set(API)) == [], "operations with no declared answer"
    assert sorted(set(API) - set(operations)) == [], "declared operations that no longer exist"
    in_schema = {path for _method, path in operations.values()}
    assert sorted(harness.api_routes() - in_schema) == [], "API routes missing from the schema"


HTML_CASES = [
    pytest.param(name, role, method, id=f"{name}-{role}-{method}")
    for name, expect in HTML.items()
    for method in (("get", "post") if expect.post else ("get",))
    for role in ROLES
]


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "role", "method"), HTML_CASES)
def test_html_route(world, name, role, method):
    expect = HTML[name]
    arguments = harness.html_routes()[name.split("@")[0]]
    wanted = (expect.get if method == "get" else expect.post)[ROLES.index(role)]
    assert harness.html_answer(world, name, arguments, expect, role, method) == wanted


API_CASES = [
    pytest.param(operation, role, id=f"{operation}-{role}") for operation in API for role in ROLES
]


@pytest.mark.django_db
@pytest.mark.parametrize(("operation", "role"), API_CASES)
def test_api_operation(world, operation, role):
    method, path = harness.api_operations()[operation]
    expect = API[operation]
    status, response = harness.api_answer(world, method, path, expect.who, role, expect.ids)
    assert status == expect.get[ROLES.index(role)]
    if status >= 400:
        assert response["Content-Type"].startswith("application/json")
        assert "code" in response.json()["error"]
    if role == "anonymous" and expect.who != "public":
        assert response.json()["error"]["code"] == "not_authenticated"


# Roles that never work on cases (a partner, the M&E officer) are refused every page of a case,
# whatever the case: 403, before any case is looked up.
CASE_ROUTES = [
    pytest.param(name, who, id=f"{name}-{who}")
    for name, expect in HTML.items()
    if expect.who in ("case", "case_coordinator", "sensitive", "sensitive_coordinator")
    for who in ("carla", "eva")
]


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "who"), CASE_ROUTES)
def test_a_role_without_cases_is_refused_every_case_page(world, name, who):
    expect = HTML[name]
    arguments = harness.html_routes()[name.split("@")[0]]
    assert harness.html_answer(world, name, arguments, expect, who, "get") == 403
