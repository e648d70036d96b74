"""Permissions, the base view and request helpers shared by every app's API."""

from rest_framework import permissions, serializers
from rest_framework.views import APIView

from retorno.accounts.roles import Capability
from retorno.lib.api.pagination import PageNumberPagination


class WorksOnCases(permissions.BasePermission):
    """Roles that do not work on cases (partners, M&E, DPO, administrators) get 403."""

    def has_permission(self, request, view):
        return bool(request.user and request.user.can(Capability.WORK_CASES))


class ManagesCases(permissions.BasePermission):
    """Accepting and returning handovers, reopening cases: coordinators only."""

    def has_permission(self, request, view):
        return bool(request.user and request.user.can(Capability.MANAGE_CASES))


class CaseAPIView(APIView):
    permission_classes = [permissions.IsAuthenticated, WorksOnCases]
    # Every list is paginated; the schema reads this to describe the paginated shape.
    pagination_class = PageNumberPagination

    def paginate(self, queryset, output, prepare=None):
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(queryset, self.request, view=self)
        if prepare is not None:
            prepare(page)
        return paginator.get_paginated_response(output(page, many=True).data)


def validated_data(serializer_class, request, **context):
    """The request body validated by the serializer; 400 with the field errors otherwise."""
    serializer = serializer_class(data=request.data, context={"request": request, **context})
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def query_data(serializer_class, params) -> dict:
    """A query string as serializer input: repeatable parameters as lists."""
    data = {}
    for name, field in serializer_class().fields.items():
        if name in params:
            many = isinstance(field, serializers.ListField)
            data[name] = params.getlist(name) if many else params.get(name)
    return data
