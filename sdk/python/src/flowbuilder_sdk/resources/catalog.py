"""Forms, credentials, connections, integrations, webhooks, functions, knowledge bases, node types and chat channels."""

from __future__ import annotations

import builtins
from collections.abc import Mapping
from typing import Any, ClassVar, Generic, TypeVar

from flowbuilder_sdk._pagination import SyncPager
from flowbuilder_sdk.models import (
    AskAnswer,
    Channel,
    ChannelMetrics,
    Check,
    Connection,
    ConnectionQueryAnswer,
    Conversation,
    ConversationDetail,
    Credential,
    CredentialType,
    DatabaseSchema,
    Dataset,
    DatasetPreview,
    Delivery,
    Document,
    Form,
    Function,
    FunctionTestResult,
    FunctionVersion,
    Integration,
    KnowledgeBase,
    NodeType,
    Passage,
    Submission,
    Webhook,
)
from flowbuilder_sdk.resources._resource import Resource, if_match, merge_body

T = TypeVar("T")


class CrudResource(Resource, Generic[T]):
    """list / create / get / update (PATCH) / delete of one resource; `prefix` names its operations."""

    prefix: ClassVar[str]

    def list(self, *, limit: int | None = None, project_id: str | None = None, **filters: Any) -> SyncPager[T]:
        """Every item, lazily; filters are the list's query parameters (a list value repeats it)."""
        return self._list(f"{self.prefix}_list", params={"limit": limit, **filters}, project_id=project_id)

    def create(self, body: Mapping[str, Any] | None = None, /, *, project_id: str | None = None, **fields: Any) -> T:
        return self._call(f"{self.prefix}_create", body=merge_body(body, fields), project_id=project_id)

    def get(self, id: str, *, project_id: str | None = None) -> T:
        return self._call(f"{self.prefix}_retrieve", path={"id": id}, project_id=project_id)

    def update(self, id: str, body: Mapping[str, Any] | None = None, /, *, etag: str | None = None,
               project_id: str | None = None, **fields: Any) -> T:  # fmt: skip
        """A partial update; `etag` makes it conditional (412 PreconditionFailed when stale)."""
        return self._call(f"{self.prefix}_partial_update", path={"id": id}, body=merge_body(body, fields),
                          headers=if_match(etag), project_id=project_id)  # fmt: skip

    def delete(self, id: str, *, etag: str | None = None, project_id: str | None = None) -> None:
        return self._call(f"{self.prefix}_destroy", path={"id": id}, headers=if_match(etag), project_id=project_id)


class Forms(CrudResource[Form]):
    """`client.forms`, with their submissions."""

    prefix = "forms"

    def submissions(self, form_id: str, *, limit: int | None = None, project_id: str | None = None,
                    **filters: Any) -> SyncPager[Submission]:  # fmt: skip
        """The form's submissions, lazily (items are Submission)."""
        return self._list("forms_submissions_list", path={"id": form_id}, params={"limit": limit, **filters},
                          project_id=project_id)  # fmt: skip

    def submit(self, form_id: str, data: Mapping[str, Any], *, project_id: str | None = None) -> Submission:
        """A submission, checked against the form's fields (may start its workflow)."""
        return self._call("forms_submissions_create", path={"id": form_id}, body={"data": dict(data)},
                          project_id=project_id)  # fmt: skip


class Credentials(CrudResource[Credential]):
    """`client.credentials` (secrets are write-only); `types()` lists the credential types."""

    prefix = "credentials"

    def types(self, *, project_id: str | None = None) -> builtins.list[CredentialType]:
        return self._call("credential_types_list", project_id=project_id)


class Connections(CrudResource[Connection]):
    """`client.connections` (PostgreSQL, MySQL, REST), with `test`, `schema` and `ask`."""

    prefix = "connections"

    def test(self, id: str, *, project_id: str | None = None) -> Check:
        return self._call("connections_test_create", path={"id": id}, project_id=project_id)

    def schema(self, id: str, *, project_id: str | None = None) -> DatabaseSchema:
        return self._call("connections_schema_retrieve", path={"id": id}, project_id=project_id)

    def ask(self, id: str, question: str, *, project_id: str | None = None, **options: Any) -> AskAnswer:
        """A question in plain words → `{question, sql, columns, rows, answer, …}` (options: credential_id,
        model, answer_in_words, rows_as, refresh_schema)."""
        return self._call("connections_ask_create", path={"id": id}, body={"question": question, **options},
                          project_id=project_id)  # fmt: skip

    def query(self, id: str, sql: str, *, params: Any = None, project_id: str | None = None,
              **options: Any) -> ConnectionQueryAnswer:  # fmt: skip
        """One read-only statement → `{columns, rows, row_count, truncated, elapsed_ms}` (options: row_limit,
        rows_as); `params` fill %s (a list) or %(name)s (a mapping) placeholders."""
        body = {"sql": sql, **options, **({"params": params} if params is not None else {})}
        return self._call("connections_query_create", path={"id": id}, body=body, project_id=project_id)


def _upload(file: bytes | tuple[str, bytes], filename: str) -> dict[str, Any]:
    return {"file": file if isinstance(file, tuple) else (filename, file)}


def _upload_fields(delimiter: str | None, types: Mapping[str, str] | None) -> dict[str, Any]:
    import json

    return {"delimiter": delimiter, "types": json.dumps(dict(types)) if types else None}


class Datasets(CrudResource[Dataset]):
    """`client.datasets`: CSV or .xlsx files as queryable tables (`file` is bytes, or (filename, bytes))."""

    prefix = "datasets"

    def create(self, name: str, file: bytes | tuple[str, bytes], *, filename: str = "data.csv",  # type: ignore[override]
               delimiter: str | None = None, types: Mapping[str, str] | None = None,
               project_id: str | None = None) -> Dataset:  # fmt: skip
        """Upload a file as a new dataset; `types` corrects inferred column types ({"day": "date"})."""
        return self._call("datasets_create", body={"name": name, **_upload_fields(delimiter, types)},
                          files=_upload(file, filename), project_id=project_id)  # fmt: skip

    def preview(self, file: bytes | tuple[str, bytes], *, filename: str = "data.csv", delimiter: str | None = None,
                types: Mapping[str, str] | None = None, project_id: str | None = None) -> DatasetPreview:  # fmt: skip
        """The columns with inferred types and the first rows; nothing is stored."""
        return self._call("datasets_preview_create", body=_upload_fields(delimiter, types),
                          files=_upload(file, filename), project_id=project_id)  # fmt: skip

    def replace(self, id: str, file: bytes | tuple[str, bytes], *, filename: str = "data.csv",
                delimiter: str | None = None, types: Mapping[str, str] | None = None, etag: str | None = None,
                project_id: str | None = None) -> Dataset:  # fmt: skip
        """New rows and columns, all at once (a refused file leaves the old data)."""
        return self._call("datasets_replace_create", path={"id": id}, body=_upload_fields(delimiter, types),
                          files=_upload(file, filename), headers=if_match(etag), project_id=project_id)  # fmt: skip

    def append(
        self,
        id: str,
        file: bytes | tuple[str, bytes],
        *,
        filename: str = "data.csv",
        delimiter: str | None = None,
        etag: str | None = None,
        project_id: str | None = None,
    ) -> Dataset:
        """Add the rows of a file with the same columns (by name)."""
        return self._call("datasets_append_create", path={"id": id}, body={"delimiter": delimiter},
                          files=_upload(file, filename), headers=if_match(etag), project_id=project_id)  # fmt: skip

    def rows(self, id: str, *, limit: int | None = None, project_id: str | None = None) -> SyncPager[Any]:
        """The rows, lazily: each a model whose `to_dict()` is the row keyed by column name."""
        return self._list("datasets_rows_retrieve", path={"id": id}, params={"limit": limit}, project_id=project_id)

    def download(self, id: str, *, project_id: str | None = None) -> bytes:
        """The rows as CSV (UTF-8, the original headers)."""
        return self._call("datasets_download_retrieve", path={"id": id}, raw=True, project_id=project_id)


class Webhooks(CrudResource[Webhook]):
    """`client.webhooks` (outbound subscriptions) and their deliveries; `create` answers the secret once."""

    prefix = "webhooks"

    def test(self, id: str, *, project_id: str | None = None) -> Delivery:
        """Send a `webhook.test` event to the subscription now."""
        return self._call("webhooks_test_create", path={"id": id}, project_id=project_id)

    def deliveries(self, id: str, *, status: str | None = None, limit: int | None = None,
                   project_id: str | None = None) -> SyncPager[Delivery]:  # fmt: skip
        """The subscription's deliveries, lazily (items are Delivery)."""
        return self._list("webhooks_deliveries_list", path={"id": id}, params={"status": status, "limit": limit},
                          project_id=project_id)  # fmt: skip

    def retry_delivery(self, id: str, delivery_id: str, *, project_id: str | None = None) -> Delivery:
        return self._call("webhooks_deliveries_retry_create", path={"id": id, "delivery_id": delivery_id},
                          project_id=project_id)  # fmt: skip


class Functions(CrudResource[Function]):
    """`client.functions`: code, AI and HTTP functions called by name; `test` and `versions`."""

    prefix = "functions"

    def test(self, id: str, input: Mapping[str, Any] | None = None, *, project_id: str | None = None,
             **fields: Any) -> FunctionTestResult:  # fmt: skip
        return self._call("functions_test_create", path={"id": id}, body={"input": dict(input or {}), **fields},
                          project_id=project_id)  # fmt: skip

    def versions(self, id: str, *, limit: int | None = None, project_id: str | None = None
                 ) -> SyncPager[FunctionVersion]:  # fmt: skip
        """The function's versions, lazily (items are FunctionVersion)."""
        return self._list("functions_versions_list", path={"id": id}, params={"limit": limit}, project_id=project_id)


class KnowledgeBases(CrudResource[KnowledgeBase]):
    """`client.knowledge_bases`: documents an `ai.chat` node answers from; upload, list, delete, search."""

    prefix = "knowledge_bases"

    def documents(self, id: str, *, limit: int | None = None, project_id: str | None = None
                  ) -> SyncPager[Document]:  # fmt: skip
        """The knowledge base's documents, lazily (items are Document)."""
        return self._list("knowledge_bases_documents_list", path={"id": id}, params={"limit": limit},
                          project_id=project_id)  # fmt: skip

    def upload(self, id: str, content: bytes | str, *, filename: str, title: str | None = None,
               project_id: str | None = None) -> Document:  # fmt: skip
        """Upload a .txt, .md or .html document (UTF-8): parsed, cut into passages and indexed."""
        data = content.encode() if isinstance(content, str) else content
        return self._call("knowledge_bases_documents_create", path={"id": id}, body={"title": title},
                          files={"file": (filename, data)}, project_id=project_id)  # fmt: skip

    def delete_document(self, id: str, document_id: str, *, project_id: str | None = None) -> None:
        return self._call("knowledge_bases_documents_destroy", path={"id": id, "document_id": document_id},
                          project_id=project_id)  # fmt: skip

    def search(self, id: str, q: str, *, limit: int | None = None, project_id: str | None = None
               ) -> builtins.list[Passage]:  # fmt: skip
        """The passages an `ai.chat` node would get for the question `q`, best first."""
        return self._call("knowledge_bases_search_list", path={"id": id}, params={"q": q, "limit": limit},
                          project_id=project_id)  # fmt: skip


class Integrations(Resource):
    """`client.integrations`: what is connected (credentials and connections), and a test of each."""

    def list(self, *, limit: int | None = None, project_id: str | None = None) -> SyncPager[Integration]:
        return self._list("integrations_list", params={"limit": limit}, project_id=project_id)

    def test(self, id: str, *, project_id: str | None = None) -> Check:
        return self._call("integrations_test_create", path={"id": id}, project_id=project_id)


class NodeTypes(Resource):
    """`client.node_types`: every node type with its config's JSON Schema, ports and an example."""

    def list(self, *, category: str | None = None, project_id: str | None = None) -> SyncPager[NodeType]:
        """Lazily, like every list (the API answers them in one page); items are NodeType."""
        return self._list("node_types_retrieve", params={"category": category}, project_id=project_id)


class Channels(CrudResource[Channel]):
    """`client.channels`: web, generic and WhatsApp channels; `create` answers a generic channel's secret once."""

    prefix = "channels"

    def metrics(self, id: str, *, project_id: str | None = None) -> ChannelMetrics:
        """Conversations, messages in and out, and runs started on the channel."""
        return self._call("channels_metrics_retrieve", path={"id": id}, project_id=project_id)


class Conversations(Resource):
    """`client.conversations`: filter by channel, customer and status; `get` has the messages."""

    def list(self, *, limit: int | None = None, project_id: str | None = None, **filters: Any
             ) -> SyncPager[Conversation]:  # fmt: skip
        return self._list("conversations_list", params={"limit": limit, **filters}, project_id=project_id)

    def get(self, id: str, *, project_id: str | None = None) -> ConversationDetail:
        return self._call("conversations_retrieve", path={"id": id}, project_id=project_id)
