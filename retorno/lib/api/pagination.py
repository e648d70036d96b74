from django.utils.translation import gettext as _
from rest_framework import pagination, serializers


class PageNumberPagination(pagination.PageNumberPagination):
    """`count`, `next`, `previous`, `results`; 50 a page, up to 200 with ?page_size=."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200

    def get_page_size(self, request):
        # DRF quietly ignores a page size it cannot read; a client should know its own is wrong.
        text = request.query_params.get(self.page_size_query_param)
        if text is None:
            return self.page_size
        size = int(text) if text.isascii() and text.isdigit() else 0
        if not 1 <= size <= self.max_page_size:
            raise serializers.ValidationError(
                {
                    self.page_size_query_param: [
                        _("Enter a whole number from 1 to %(max)s.") % {"max": self.max_page_size}
                    ]
                }
            )
        return size

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"].update(minimum=1, maximum=self.max_page_size)
            elif parameter["name"] == self.page_query_param:
                # DRF also reads "last" as the last page, and an empty page as the first.
                parameter["schema"] = {
                    "anyOf": [
                        {"type": "integer", "minimum": 1},
                        {"type": "string", "enum": ["", *self.last_page_strings]},
                    ]
                }
        return parameters
