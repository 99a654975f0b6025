from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularSwaggerView

from flowbuilder.api.views import SchemaView, api_not_found
from graphql_api.views import GraphQLView, graphiql_page
from webhooks.views_inbound import receive_hook
from workflows.views_resume import resume_link

handler400 = "flowbuilder.api.exceptions.handler400"
handler403 = "flowbuilder.api.exceptions.handler403"
handler404 = "flowbuilder.api.exceptions.handler404"
handler500 = "flowbuilder.api.exceptions.handler500"

api_v1 = [
    path("schema/", SchemaView.as_view(), name="schema"),
    path("graphql", GraphQLView.as_view(), name="graphql"),
    path("", include("accounts.api.urls")),
    path("", include("workflows.api.urls")),
    path("", include("forms_app.api.urls")),
    path("", include("webhooks.api.urls")),
    path("", include("integrations.api.urls")),
    path("", include("functions_app.api.urls")),
    path("", include("knowledge.api.urls")),
    path("", include("datasets.api.urls")),
    path("", include("chat.api.urls")),
]

urlpatterns = [
    # First: the busiest public path. Each include tried before a match costs its patterns'
    # "tried" list (~2 ms of a sync webhook's CPU when it came last, D19 addendum (2)).
    path("hooks/<str:token>", receive_hook, name="inbound-hook"),
    path("api/v1/", include(api_v1)),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="api-docs"),
    path("api/<path:rest>", api_not_found),
    path("admin/", admin.site.urls),
    path("graphiql/", graphiql_page, name="graphiql"),
    path("f/", include("forms_app.public_urls")),
    path("", include("forms_app.urls")),
    path("", include("webhooks.urls")),
    path("", include("integrations.urls")),
    path("", include("functions_app.urls")),
    path("", include("knowledge.urls")),
    path("", include("dashboards.urls")),
    path("", include("chat.urls")),
    path("", include("datasets.urls")),
    path("system/queue/", include("workflows.views_system")),
    path("resume/<str:token>/", resume_link, name="resume-link"),
    path("", include("workflows.urls")),
    path("", include("chat.inbound_urls")),
    path("", include("accounts.urls")),
]
