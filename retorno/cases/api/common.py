"""What the case API modules share."""

from django.core.exceptions import ValidationError as DjangoValidationError


def error_messages(error: DjangoValidationError) -> list[str]:
    return [str(m) for m in error.messages]
