"""The public site's editors, under /outreach/content/ (names in the "outreach" namespace)."""

from django.urls import path

from retorno.outreach.views import content

page = "<uuid:page_id>/"
language = page + "<str:language>/"

urlpatterns = [
    path("", content.content_list, name="content"),
    path("new/", content.content_create, name="content_create"),
    path(page, content.content_page, name="content_page"),
    path(language + "preview/", content.content_preview, name="content_preview"),
    path(language + "publish/", content.content_publish, name="content_publish"),
    path(language + "versions/", content.content_versions, name="content_versions"),
    path(
        language + "versions/<int:number>/restore/",
        content.content_restore,
        name="content_restore",
    ),
]
