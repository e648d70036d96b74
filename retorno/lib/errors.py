"""The one domain error type. Actions raise it with a translated message saying how to fix it."""


class ActionError(Exception):
    """A business rule refused an action. `field` names the form field it concerns, if any."""

    def __init__(self, message, *, field: str | None = None, code: str = "invalid"):
        super().__init__(message)
        self.message = message
        self.field = field
        self.code = code

    def __str__(self) -> str:
        return str(self.message)


class PossibleDuplicate(ActionError):
    """Someone registered already looks like the person being registered: the user checks
    `similar` (the look-alikes they may see, as (person, match) pairs best first) and whether a
    likely match exists they may not see (`hidden_match`), then confirms to register anyway."""

    def __init__(self, message, *, similar=(), hidden_match: bool = False):
        super().__init__(message, field="not_a_duplicate", code="possible_duplicate")
        self.similar = list(similar)
        self.hidden_match = hidden_match
