"""Every audit verb an action records is asserted by a test, through `assert_audited`."""

import re
from pathlib import Path

from retorno.lib.plugins import registry

# Verbs recorded elsewhere than by an action, or only by an action that is dead code, and why.
NOT_ACTIONS = {
    # Two-factor: the sign-in adapter records them from allauth's emails (accounts/adapter.py).
    "mfa.totp_activated": "two-factor",
    "mfa.totp_deactivated": "two-factor",
    "mfa.recovery_codes_generated": "two-factor",
    # Reads recorded by their page or command, and tested there.
    "audit.exported": "audit/views.py",
    "directory.exported": "directory/views/transfer.py, export_directory command",
    "duplicates.reported": "duplicate_report command",
    "user.viewed": "no longer recorded",
    # Recorded only by actions nothing calls (issue 9 removes them).
    "case.marked_sensitive": "mark_sensitive",
    "person.document_removed": "remove_identity_document",
    "person.work_removed": "remove_work_experience",
    "task.reopened": "reopen_task",
    "organisation.deactivated": "set_organisation_active",
    "organisation.reactivated": "set_organisation_active",
}


def asserted_verbs() -> set[str]:
    root = Path(__file__).resolve().parents[1]
    text = "".join(path.read_text() for path in root.glob("**/tests/test_*.py"))
    return set(re.findall(r'assert_audited\(\s*"([\w.]+)"', text))


def test_every_action_verb_has_a_test_asserting_its_event():
    LABELS = registry().audit_verbs
    asserted = asserted_verbs()
    assert sorted(set(LABELS) - set(NOT_ACTIONS) - asserted) == []
    assert sorted(set(NOT_ACTIONS) & asserted) == [], "asserted now: remove from NOT_ACTIONS"
    assert sorted(set(NOT_ACTIONS) - set(LABELS)) == [], "no longer a verb"
