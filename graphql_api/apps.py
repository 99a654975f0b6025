from django.apps import AppConfig


class GraphqlApiConfig(AppConfig):
    """GraphQL over the workflows and accounts services: an API layer like `*/api/` (nothing imports it)."""

    name = "graphql_api"
    verbose_name = "GraphQL API"
