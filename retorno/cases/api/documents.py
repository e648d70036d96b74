"""Documents of a case: upload and download."""

from django.http import FileResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiResponse,
    extend_schema,
)
from rest_framework import serializers, status
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from retorno.cases import access, actions
from retorno.cases.models import (
    Document,
)
from retorno.lib.api.fields import (
    UserRef,
    enum_field,
    text_field,
)
from retorno.lib.api.views import (
    CaseAPIView,
    validated_data,
)


class DocumentOutput(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    kind = enum_field("DocumentKind", Document.Kind.choices)
    title = serializers.CharField()
    original_name = serializers.CharField()
    content_type = serializers.CharField()
    size = serializers.IntegerField()
    sha256 = serializers.CharField()
    uploaded_by = UserRef()
    uploaded_at = serializers.DateTimeField()


class DocumentInput(serializers.Serializer):
    file = serializers.FileField(
        help_text="PDF, image (JPG, PNG, WEBP, HEIC) or office document; 10 MB at most."
    )
    kind = enum_field("DocumentKind", Document.Kind.choices)
    title = text_field(200)


class CaseDocuments(CaseAPIView):
    parser_classes = [MultiPartParser]

    @extend_schema(operation_id="cases_documents_list", responses=DocumentOutput(many=True))
    def get(self, request, id):
        case = access.get_case_for_user(request.user, id)
        actions.record_case_view(case, actor=request.user, page="documents")
        documents = (
            access.documents_visible_to(request.user, case)
            .select_related("uploaded_by")
            .order_by("-uploaded_at", "-pk")
        )
        return self.paginate(documents, DocumentOutput)

    @extend_schema(
        operation_id="cases_documents_create",
        request=DocumentInput,
        responses={201: DocumentOutput},
        description="Upload a file (multipart/form-data). Its real type is read from its content.",
    )
    def post(self, request, id):
        case = access.get_case_for_user(request.user, id, write=True)
        data = validated_data(DocumentInput, request)
        document = actions.upload_document(
            case,
            actor=request.user,
            uploaded_file=data["file"],
            kind=data["kind"],
            title=data.get("title", ""),
        )
        return Response(DocumentOutput(document).data, status=status.HTTP_201_CREATED)


class DocumentDownload(CaseAPIView):
    pagination_class = None

    def perform_content_negotiation(self, request, force=False):
        # The file comes in its own type whatever the client accepts; errors stay JSON.
        return super().perform_content_negotiation(request, force=True)

    @extend_schema(
        operation_id="cases_documents_download",
        responses={
            (200, "application/octet-stream"): OpenApiResponse(
                OpenApiTypes.BINARY, description="The file, in its own content type."
            )
        },
    )
    def get(self, request, id, document_id):
        case = access.get_case_for_user(request.user, id)
        document = access.get_document_for_user(request.user, case, document_id)
        actions.record_document_download(document, actor=request.user)
        extension = actions.ALLOWED_DOCUMENT_TYPES.get(document.content_type, "bin")
        response = FileResponse(
            document.file.open("rb"),
            as_attachment=True,
            filename=f"{case.reference}-{document.kind}-{document.public_id.hex[:8]}.{extension}",
            content_type=document.content_type,
        )
        response["Cache-Control"] = "no-store"
        response["X-Content-Type-Options"] = "nosniff"
        return response
