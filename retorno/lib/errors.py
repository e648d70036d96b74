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
