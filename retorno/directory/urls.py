from django.urls import path

from retorno.directory.views import lists, records, transfer

app_name = "directory"

organization = "directory/organisations/<uuid:organization_id>/"
service = "directory/services/<uuid:service_id>/"
location = "directory/locations/<uuid:location_id>/"

urlpatterns = [
    path("directory/", lists.service_list, name="services"),
    path("directory/our-services/", lists.our_services, name="our_services"),
    path(service, records.service_detail, name="service"),
    path(service + "edit/", records.service_edit, name="service_edit"),
    path(service + "status/", records.service_status, name="service_status"),
    path("directory/organisations/", lists.organization_list, name="organizations"),
    path("directory/organisations/new/", records.organization_create, name="organization_create"),
    path(organization, records.organization_detail, name="organization"),
    path(organization + "edit/", records.organization_edit, name="organization_edit"),
    path(organization + "status/", records.organization_status, name="organization_status"),
    path(organization + "services/new/", records.service_create, name="service_create"),
    path(organization + "locations/new/", records.location_create, name="location_create"),
    path(organization + "programmes/new/", records.program_create, name="program_create"),
    path(location + "edit/", records.location_edit, name="location_edit"),
    path(location + "status/", records.location_status, name="location_status"),
    path("directory/programmes/<uuid:program_id>/edit/", records.program_edit, name="program_edit"),
    path("directory/import/", transfer.import_upload, name="import"),
    path("directory/import/check/", transfer.import_preview, name="import_preview"),
    path("directory/import/run/", transfer.import_run, name="import_run"),
    path("directory/export/", transfer.export_page, name="export"),
    path("directory/export/<str:file_format>/", transfer.export_download, name="export_download"),
]
