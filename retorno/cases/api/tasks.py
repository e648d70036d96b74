"""Tasks, on a case and across the desk."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
)
from rest_framework import serializers, status
from rest_framework.response import Response

from retorno.cases import access, actions
from retorno.cases.forms import desk_staff
from retorno.cases.models import (
    Task,
)
from retorno.lib.api.fields import (
    CaseRef,
    UserRef,
    enum_field,
    text_field,
)
from retorno.lib.api.views import (
    CaseAPIView,
    validated_data,
)

TASK_STATUSES = [*Task.Status.choices, ("all", "all")]


class TaskOutput(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    case = CaseRef()
    title = serializers.CharField()
    notes = serializers.CharField()
    status = enum_field("TaskStatus", Task.Status.choices)
    due_on = serializers.DateField()
    assignee = UserRef()
    created_at = serializers.DateTimeField()
    completed_at = serializers.DateTimeField(allow_null=True)


class TaskInput(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    notes = text_field()
    due_on = serializers.DateField()
    assignee = serializers.UUIDField(
        required=False, help_text="Someone who works at the desk; you when left out."
    )


class TaskList(CaseAPIView):
    @extend_schema(
        operation_id="tasks_list",
        parameters=[
            OpenApiParameter(
                "status",
                enum=[code for code, _label in TASK_STATUSES],
                default="open",
                description="open (soonest due first), done, cancelled or all",
            )
        ],
        responses=TaskOutput(many=True),
        description="The tasks assigned to you.",
    )
    def get(self, request):
        wanted = request.query_params.get("status") or Task.Status.OPEN
        if wanted not in dict(TASK_STATUSES):
            raise serializers.ValidationError(
                {"status": [_("Choose open, done, cancelled or all")]}
            )
        tasks = access.tasks_visible_to(request.user).filter(assignee=request.user)
        if wanted != "all":
            tasks = tasks.filter(status=wanted)
        order = ("due_on", "pk") if wanted == Task.Status.OPEN else ("-completed_at", "-pk")
        tasks = tasks.select_related("case", "assignee").order_by(*order)
        return self.paginate(tasks, TaskOutput)


class CaseTasks(CaseAPIView):
    @extend_schema(
        operation_id="cases_tasks_create", request=TaskInput, responses={201: TaskOutput}
    )
    def post(self, request, id):
        case = access.get_case_for_user(request.user, id, write=True)
        data = validated_data(TaskInput, request)
        assignee = request.user
        if data.get("assignee"):
            assignee = desk_staff(case.owning_desk).filter(public_id=data["assignee"]).first()
            if assignee is None:
                raise serializers.ValidationError(
                    {"assignee": [_("Choose someone who works at the desk")]}
                )
        task = actions.create_task(
            case,
            actor=request.user,
            title=data["title"],
            assignee=assignee,
            due_on=data["due_on"],
            notes=data.get("notes", ""),
        )
        return Response(TaskOutput(task).data, status=status.HTTP_201_CREATED)


class TaskComplete(CaseAPIView):
    @extend_schema(operation_id="tasks_complete_create", request=None, responses={200: TaskOutput})
    def post(self, request, id):
        task = access.get_task_for_user(request.user, id, write=True)
        task = actions.complete_task(task, actor=request.user)
        task = access.get_task_for_user(request.user, id)
        return Response(TaskOutput(task).data)
