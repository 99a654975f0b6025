"""Models and operations of the Flowbuilder API, generated from /api/v1/schema/. Do not edit.

Regenerate with `make sdk-generate` (sdk/python/scripts/generate_models.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar, Literal, Union

from flowbuilder_sdk._model import Model, Operation

BlankEnum = Literal['']
CategoryEnum = Literal['credential', 'connection']
ChannelTypeEnum = Literal['web', 'generic', 'whatsapp']
ChatDirectionEnum = Literal['in', 'out']
ConversationStatusEnum = Literal['open', 'waiting', 'closed']
DataFromEnum = Literal['pinned', 'run', 'none']
DatasetColumnTypeEnum = Literal['integer', 'decimal', 'boolean', 'date', 'timestamp', 'text']
DelimiterEnum = Literal[',', ';', '\t']
DeliveryStatusEnum = Literal['pending', 'succeeded', 'failed']
DocumentContentTypeEnum = Literal['text/plain', 'text/markdown', 'text/html']
EventsEnum = Literal['workflow.executed', 'execution.failed', 'form.submitted', 'workflow.published']
FormFieldTypeEnum = Literal['text', 'textarea', 'email', 'number', 'select', 'checkbox', 'date']
FormatEnum = Literal['nodes', 'states', 'configuration']
GranularityEnum = Literal['hour', 'day', 'week', 'month']
Kind39aEnum = Literal['postgresql', 'mysql', 'rest', 'datasets']
Kind4cfEnum = Literal['code', 'ai', 'http']
LanguageEnum = Literal['python']
LevelEnum = Literal['debug', 'info', 'warning', 'error']
RoleEnum = Literal['viewer', 'editor', 'admin']
RowsAsEnum = Literal['objects', 'arrays']
SourceEnum = Literal['page', 'api']
SslModeEnum = Literal['disable', 'prefer', 'require', 'verify-full']
Status32dEnum = Literal['pending', 'running', 'waiting', 'completed', 'failed', 'cancelled']
StatusC7dEnum = Literal['draft', 'active', 'inactive']
SuccessEnum = Literal[True]
Type6e9Enum = Literal['api_key', 'bearer', 'basic', 'oauth2_token', 'smtp', 'database', 'llm', 'hmac_secret']

@dataclass(frozen=True)
class AiModelUsage(Model):
    model: str
    input_tokens: int
    output_tokens: int
    estimated_cost_usd: float | None = None
    extra: dict[str, Any] = field(default_factory=dict, repr=False)
    __wire_names__: ClassVar[dict[str, str]] = {'model': 'model', 'input_tokens': 'input_tokens', 'output_tokens': 'output_tokens', 'estimated_cost_usd': 'estimated_cost_usd'}
    __nested__: ClassVar[dict[str, str]] = {}


@dataclass(frozen=True)
class AiWorkflowUsage(Model):
    workflow_name: str
    input_tokens: int
    output_tokens: int
    workflow_id: str | None = None
    estimated_cost_usd: float | None = None
    extra: dict[str, Any] = field(default_factory=dict, repr=False)
    __wire_names__: ClassVar[dict[str, str]] = {'workflow_name': 'workflow_name', 'input_tokens': 'input_tokens', 'output_tokens': 'output_tokens', 'workflow_id': 'workflow_id', 'estimated_cost_usd': 'estimated_cost_usd'}
    __nested__: ClassVar[dict[str, str]] = {}


@dataclass(frozen=True)
class ApiKey(Model):
    id: str
    name: str
    prefix: str
    role: RoleEnum
    status: str
    created_at: str
    created_by: str | None = None
    expires_at: str | None = None
    revoked_at: str | None = None
    last_used_at: str | None = None
    extra: dict[str, Any] = field(default_factory=dict, repr=False)
    __wire_names__: ClassVar[dict[str, str]] = {'id': 'id', 'name': 'name', 'prefix': 'prefix', 'role': 'role', 'status': 'status', 'created_at': 'created_at', 'created_by': 'created_by', 'expires_at': 'expires_at', 'revoked_at': 'revoked_at', 'last_used_at': 'last_used_at'}
    __nested__: ClassVar[dict[str, str]] = {}


@dataclass(frozen=True)
class ApiKeyCreateRequest(Model):
    name: str
    role: RoleEnum | None = None
    expires_at: str | None = None
    extra: dict[str, Any] = field(default_factory=dict, repr=False)
    __wire_names__: ClassVar[dict[str, str]] = {'name': 'name', 'role': 'role', 'expires_at': 'expires_at'}
    __nested__: ClassVar[dict[str, str]] = {}


@dataclass(frozen=True)
class ApiKeyCreated(Model):
    id: str
    name: str
    prefix: str
    role: RoleEnum
    status: str
    created_at: str
    key: str
    created_by: str | None = None
    expires_at: str | None = None
    revoked_at: str | None = None
    last_used_at: str | None = None
    extra: dict[str, Any] = field(default_factory=dict, repr=False)
    __wire_names__: ClassVar[dict[str, str]] = {'id': 'id', 'name': 'name', 'prefix': 'prefix', 'role': 'role', 'status': 'status', 'created_at': 'created_at', 'key': 'key', 'created_by': 'created_by', 'expires_at': 'expires_at', 'revoked_at': 'revoked_at', 'last_used_at': 'last_used_at'}
    __nested__: ClassVar[dict[str, str]] = {}


@dataclass(frozen=True)
class ApiKeyCredentialRequest(Model):
    """API key: A key sent in a header or a query parameter."""

    name: str
    type: Literal['api_key']
    secret: dict[str, Any]
    metadata: dict[str, Any] | None = None
    extra: dict[str, Any] = field(default_factory=dict, repr=False)
    __wire_names__: ClassVar[dict[str, str]] = {'name': 'name', 'type': 'type', 'secret': 'secret', 'metadata': 'metadata'}
    __nested__: ClassVar[dict[str, str]] = {}


@dataclass(frozen=True)
class AskAnswer(Model):
    question: str
    sql: str
    columns: list[AskColumn]
    rows: list[Any]
    row_count: int
    truncated: bool
    answer: str
    repaired: bool
    model: str
    usage: AskUsage
    extra: dict[str, Any] = field(default_factory=dict, repr=False)
    __wire_names__: ClassVar[dict[str, str]] = {'question': 'question', 'sql': 'sql', 'columns': 'columns', 'rows': 'rows', 'row_count': 'row_count', 'truncated': 'truncated', 'answer': 'answer', 'repaired': 'repaired', 'model': 'model', 'usage': 'usage'}
    __nested__: ClassVar[dict[str, str]] = {'columns': '[AskColumn]', 'usage': 'AskUsage'}


@dataclass(frozen=True)
class AskColumn(Model):
    name: str
    type: str
    extra: dict[str, Any] = field(default_factory=dict, repr=False)
    __wire_names__: ClassVar[dict[str, str]] = {'name': 'name', 'type': 'type'}
    __nested__: ClassVar[dict[str, str]] = {}


@dataclass(frozen=True)
class AskRequest(Model):
    question: str
    credential_id: str | None = None
    model: str | None = None
    answer_in_words: bool | None = None
    rows_as: RowsAsEnum | None = None
    refresh_schema: bool | None = None
    extra: dict[str, Any] = field(default_factory=dict, repr=False)
    __wire_names__: ClassVar[dict[str, str]] = {'question': 'question', 'credential_id': 'credential_id', 'model': 'model', 'answer_in_words': 'answer_in_words', 'rows_as': 'rows_as', 'refresh_schema': 'refresh_schema'}
    __nested__: ClassVar[dict[str, str]] = {}


@dataclass(frozen=True)
class AskUsage(Model):
    input_tokens: int
    output_tokens: int
    calls: int
    extra: dict[str, Any] = field(default_factory=dict, repr=False)
    __wire_names__: ClassVar[dict[str, str]] = {'input_tokens': 'input_tokens', 'output_tokens': 'output_tokens', 'calls': 'calls'}
    __nested__: ClassVar[dict[str, str]] = {}


@dataclass(frozen=True)
class AuditEvent(Model):
    id: str
    actor: str
    action: str
    created_at: str | None = None
    api_key_id: str | None = None
    project_id: str | None = None
    target_type: str | None = None
    target_id: str | None = None
    details: Any | None = None
    extra: dict[str, Any] = field(default_factory=dict, repr=False)
    __wire_names__: ClassVar[dict[str, str]] = {'id': 'id', 'actor': 'actor', 'action': 'action', 'created_at': 'created_at', 'api_key_id': 'api_key_id', 'project_id': 'project_id', 'target_type': 'target_type', 'target_id': 'target_id', 'details': 'details'}
    __nested__: ClassVar[dict[str, str]] = {}


@dataclass(frozen=True)
class BasicCredentialRequest(Model):
    """Basic auth: User name and password sent as HTTP Basic authentication."""

    name: str
    type: Literal['basic']
    metadata: dict[str, Any]
    secret: dict[str, Any]
    extra: dict[str, Any] = field(default_factory=dict, repr=False)
    __wire_names__: ClassVar[dict[str, str]] = {'name': 'name', 'type': 'type', 'metadata': 'metadata', 'secret': 'secret'}
    __nested__: ClassVar[dict[str, str]] = {}


@dataclass(frozen=True)
class BearerCredentialRequest(Model):
    """Bearer token: Sent as `Authorization: Bearer <token>`."""

    name: str
    type: Literal['bearer']
    secret: dict[str, Any]
    metadata: dict[str, Any] | None = None
    extra: dict[str, Any] = field(default_factory=dict, repr=False)
    __wire_names__: ClassVar[dict[str, str]] = {'name': 'name', 'type': 'type', 'secret': 'secret', 'metadata': 'metadata'}
    __nested__: ClassVar[dict[str, str]] = {}


@dataclass(frozen=True)
class Bucket(Model):
    bucket: str
    total: int
    successful: int
    failed: int
    stuck: int
    recovering: int
    success_rate: float | None = None
    average_duration_ms: float | None = None
    p95_duration_ms: float | None = None
    extra: dict[str, Any] = field(default_factory=dict, repr=False)
    __wire_names__: ClassVar[dict[str, str]] = {'bucket': 'bucket', 'total': 'total', 'successful': 'successful', 'failed': 'failed', 'stuck': 'stuck', 'recovering': 'recovering', 'success_rate': 'success_rate', 'average_duration_ms': 'average_duration_ms', 'p95_duration_ms': 'p95_duration_ms'}
    __nested__: ClassVar[dict[str, str]] = {}


@dataclass(frozen=True)
class Channel(Model):
    id: str
    project_id: str
    name: str
    type: ChannelTypeEnum
    settings: Any
    fallback_reply: str
    active: bool
    rate_limit_per_minute: int
    customer_rate_limit_per_minute: int
    token: str
    created_at: str
    updated_at: str
    default_workflow_id: str | None = None
    inbound_url: str | None = None
    extra: dict[str, Any] = field(default_factory=dict, repr=False)
    __wire_names__: ClassVar[dict[str, str]] = {'id': 'id', 'project_id': 'project_id', 'name': 'name', 'type': 'type', 'settings': 'settings', 'fallback_reply': 'fallback_reply', 'active': 'active', 'rate_limit_per_minute': 'rate_limit_per_minute', 'customer_rate_limit_per_minute': 'customer_rate_limit_per_minute', 'token': 'token', 'created_at': 'created_at', 'updated_at': 'updated_at', 'default_workflow_id': 'default_workflow_id', 'inbound_url': 'inbound_url'}
    __nested__: ClassVar[dict[str, str]] = {}


@dataclass(frozen=True)
class ChannelCreated(Model):
    id: str
    project_id: str
    name: str
    type: ChannelTypeEnum
    settings: Any
    fallback_reply: str
    active: bool
    rate_limit_per_minute: int
    customer_rate_limit_per_minute: int
    token: str
    created_at: str
    updated_at: str
    default_workflow_id: str | None = None
    inbound_url: str | None = None
    signing_secret: str | None = None
    extra: dict[str, Any] = field(default_factory=dict, repr=False)
    __wire_names__: ClassVar[dict[str, str]] = {'id': 'id', 'project_id': 'project_id', 'name': 'name', 'type': 'type', 'settings': 'settings', 'fallback_reply': 'fallback_reply', 'active': 'active', 'rate_limit_per_minute': 'rate_limit_per_minute', 'customer_rate_limit_per_minute': 'customer_rate_limit_per_minute', 'token': 'token', 'created_at': 'created_at', 'updated_at': 'updated_at', 'default_workflow_id': 'default_workflow_id', 'inbound_url': 'inbound_url', 'signing_secret': 'signing_secret'}
    __nested__: ClassVar[dict[str, str]] = {}


@dataclass(frozen=True)
class ChannelMetrics(Model):
    conversations: int
    waiting_conversations: int
    messages_in: int
    messages_out: int
    failed_messages: int
    runs: int
    extra: dict[str, Any] = field(default_factory=dict, repr=False)
    __wire_names__: ClassVar[dict[str, str]] = {'conversations': 'conversations', 'waiting_conversations': 'waiting_conversations', 'messages_in': 'messages_in', 'messages_out': 'messages_out', 'failed_messages': 'failed_messages', 'runs': 'runs'}
    __nested__: ClassVar[dict[str, str]] = {}


@dataclass(frozen=True)
class ChannelWriteRequest(Model):
    name: str
    type: ChannelTypeEnum
    settings: dict[str, Any] | None = None
    default_workflow_id: str | None = None
    fallback_reply: str | None = None
    active: bool | None = None
    rate_limit_per_minute: int | None = None
    customer_rate_limit_per_minute: int | None = None
    extra: dict[str, Any] = field(default_factory=dict, repr=False)
    __wire_names__: ClassVar[dict[str, str]] = {'name': 'name', 'type': 'type', 'settings': 'settings', 'default_workflow_id': 'default_workflow_id', 'fallback_reply': 'fallback_reply', 'active': 'active', 'rate_limit_per_minute': 'rate_limit_per_minute', 'customer_rate_limit_per_minute': 'customer_rate_limit_per_minute'}
    __nested__: ClassVar[dict[str, str]] = {}


@dataclass(frozen=True)
class ChatMessage(Model):
    id: str
    direction: ChatDirectionEnum
    text: str
    delivery_status: str
    attempt_count: int
    last_error: str
    created_at: str
    payload: Any | None = None
    execution_id: str | None = None
    extra: dict[str, Any] = field(default_factory=dict, repr=False)
    __wire_names__: ClassVar[dict[str, str]] = {'id': 'id', 'direction': 'direction', 'text': 'text', 'delivery_status': 'delivery_status', 'attempt_count': 'attempt_count', 'last_error': 'last_error', 'created_at': 'created_at', 'payload': 'payload', 'execution_id': 'execution_id'}
    __nested__: ClassVar[dict[str, str]] = {}


@dataclass(frozen=True)
class Check(Model):
    ok: bool
    code: str
    message: str
    warnings: list[str] | None = None
    suggested_sql: str | None = None
    extra: dict[str, Any] = field(default_factory=dict, repr=False)
    __wire_names__: ClassVar[dict[str, str]] = {'ok': 'ok', 'code': 'code', 'message': 'message', 'warnings': 'warnings', 'suggested_sql': 'suggested_sql'}
    __nested__: ClassVar[dict[str, str]] = {}


@dataclass(frozen=True)
class Connection(Model):
    id: str
    project_id: str
    name: str
    kind: Kind39aEnum
    host: str
    database: str
    username: str
    ssl_mode: SslModeEnum
    base_url: str
    has_password: bool
    statement_timeout_ms: int
    row_limit: int
    ai_excluded: Any
    status: str
    last_test_message: str
    created_at: str
    updated_at: str
    port: int | None = None
    credential_id: str | None = None
    last_tested_at: str | None = None
    extra: dict[str, Any] = field(default_factory=dict, repr=False)
    __wire_names__: ClassVar[dict[str, str]] = {'id': 'id', 'project_id': 'project_id', 'name': 'name', 'kind': 'kind', 'host': 'host', 'database': 'database', 'username': 'username', 'ssl_mode': 'ssl_mode', 'base_url': 'base_url', 'has_password': 'has_password', 'statement_timeout_ms': 'statement_timeout_ms', 'row_limit': 'row_limit', 'ai_excluded': 'ai_excluded', 'status': 'status', 'last_test_message': 'last_test_message', 'created_at': 'created_at', 'updated_at': 'updated_at', 'port': 'port', 'credential_id': 'credential_id', 'last_tested_at': 'last_tested_at'}
    __nested__: ClassVar[dict[str, str]] = {}


@dataclass(frozen=True)
class ConnectionQueryAnswer(Model):
    connection_id: str
    columns: list[AskColumn]
    rows: list[Any]
    row_count: int
    truncated: bool
    elapsed_ms: float
    extra: dict[str, Any] = field(default_factory=dict, repr=False)
    __wire_names__: ClassVar[dict[str, str]] = {'connection_id': 'connection_id', 'columns': 'columns', 'rows': 'rows', 'row_count': 'row_count', 'truncated': 'truncated', 'elapsed_ms': 'elapsed_ms'}
    __nested__: ClassVar[dict[str, str]] = {'columns': '[AskColumn]'}


@dataclass(frozen=True)
class ConnectionQueryRequest(Model):
    sql: str
    params: Any | None = None
    row_limit: int | None = None
    rows_as: RowsAsEnum | None = None
    extra: dict[str, Any] = field(default_factory=dict, repr=False)
    __wire_names__: ClassVar[dict[str, str]] = {'sql': 'sql', 'params': 'params', 'row_limit': 'row_limit', 'rows_as': 'rows_as'}
    __nested__: ClassVar[dict[str, str]] = {}


@dataclass(frozen=True)
class Conversation(Model):
    id: str
    channel_id: str
    customer_id: str
    status: ConversationStatusEnum
    started_at: str
    last_message_at: str | None = None
    execution_id: str | None = None
    extra: dict[str, Any] = field(default_factory=dict, repr=False)
    __wire_names__: ClassVar[dict[str, str]] = {'id': 'id', 'channel_id': 'channel_id', 'customer_id': 'customer_id', 'status': 'status', 'started_at': 'started_at', 'last_message_at': 'last_message_at', 'execution_id': 'execution_id'}
    __nested__: ClassVar[dict[str, str]] = {}


@dataclass(frozen=True)
class ConversationDetail(Model):
    id: str
    channel_id: str
    customer_id: str
    status: ConversationStatusEnum
    started_at: str
    messages: list[ChatMessage]
    last_message_at: str | None = None
    execution_id: str | None = None
    extra: dict[str, Any] = field(default_factory=dict, repr=False)
    __wire_names__: ClassVar[dict[str, str]] = {'id': 'id', 'channel_id': 'channel_id', 'customer_id': 'customer_id', 'status': 'status', 'started_at': 'started_at', 'messages': 'messages', 'last_message_at': 'last_message_at', 'execution_id': 'execution_id'}
    __nested__: ClassVar[dict[str, str]] = {'messages': '[ChatMessage]'}


@dataclass(frozen=True)
class Credential(Model):
    id: str
    project_id: str
    name: str
    type: Type6e9Enum
    metadata: Any
    secret_fields: list[str]
    status: str
    last_test_message: str
    created_at: str
    updated_at: str
    last_tested_at: str | None = None
    created_by: str | None = None
    extra: dict[str, Any] = field(default_factory=dict, repr=False)
    __wire_names__: ClassVar[dict[str, str]] = {'id': 'id', 'project_id': 'project_id', 'name': 'name', 'type': 'type', 'metadata': 'metadata', 'secret_fields': 'secret_fields', 'status': 'status', 'last_test_message': 'last_test_message', 'created_at': 'created_at', 'updated_at': 'updated_at', 'last_tested_at': 'last_tested_at', 'created_by': 'created_by'}
    __nested__: ClassVar[dict[str, str]] = {}


@dataclass(frozen=True)
class CredentialType(Model):
    type: Type6e9Enum
    title: str
    description: str
    secret_fields: list[str]
    schema: dict[str, Any]
    extra: dict[str, Any] = field(default_factory=dict, repr=False)
    __wire_names__: ClassVar[dict[str, str]] = {'type': 'type', 'title': 'title', 'description': 'description', 'secret_fields': 'secret_fields', 'schema': 'schema'}
    __nested__: ClassVar[dict[str, str]] = {}


@dataclass(frozen=True)
class DatabaseCredentialRequest(Model):
    """Database login: A database user for connections; give it SELECT rights only."""

    name: str
    type: Literal['database']
    metadata: dict[str, Any]
    secret: dict[str, Any] | None = None
    extra: dict[str, Any] = field(default_factory=dict, repr=False)
    __wire_names__: ClassVar[dict[str, str]] = {'name': 'name', 'type': 'type', 'metadata': 'metadata', 'secret': 'secret'}
    __nested__: ClassVar[dict[str, str]] = {}


@dataclass(frozen=True)
class DatabaseSchema(Model):
    connection_id: str
    tables: list[dict[str, Any]]
    extra: dict[str, Any] = field(default_factory=dict, repr=False)
    __wire_names__: ClassVar[dict[str, str]] = {'connection_id': 'connection_id', 'tables': 'tables'}
    __nested__: ClassVar[dict[str, str]] = {}


@dataclass(frozen=True)
class Dataset(Model):
    id: str
    project_id: str
    name: str
    table_name: str
    columns: list[DatasetColumn]
    row_count: int
    size_bytes: int
    stored_bytes: int
    source_format: str
    source_filename: str
    delimiter: str
    notes: list[str]
    created_at: str
    updated_at: str
    created_by: str | None = None
    extra: dict[str, Any] = field(default_factory=dict, repr=False)
    __wire_names__: ClassVar[dict[str, str]] = {'id': 'id', 'project_id': 'project_id', 'name': 'name', 'table_name': 'table_name', 'columns': 'columns', 'row_count': 'row_count', 'size_bytes': 'size_bytes', 'stored_bytes': 'stored_bytes', 'source_format': 'source_format', 'source_filename': 'source_filename', 'delimiter': 'delimiter', 'notes': 'notes', 'created_at': 'created_at', 'updated_at': 'updated_at', 'created_by': 'created_by'}
    __nested__: ClassVar[dict[str, str]] = {'columns': '[DatasetColumn]'}


@dataclass(frozen=True)
class DatasetAppendRequest(Model):
    file: str
    delimiter: Any | None = None
    extra: dict[str, Any] = field(default_factory=dict, repr=False)
    __wire_names__: ClassVar[dict[str, str]] = {'file': 'file', 'delimiter': 'delimiter'}
    __nested__: ClassVar[dict[str, str]] = {}


@dataclass(frozen=True)
class DatasetColumn(Model):
    name: str
    label: str
    type: DatasetColumnTypeEnum
    sql_type: str | None = None
    extra: dict[str, Any] = field(default_factory=dict, repr=False)
    __wire_names__: ClassVar[dict[str, str]] = {'name': 'name', 'label': 'label', 'type': 'type', 'sql_type': 'sql_type'}
    __nested__: ClassVar[dict[str, str]] = {}


@dataclass(frozen=True)
class DatasetCreateRequest(Model):
    file: str
    name: str
    delimiter: Any | None = None
    types: str | None = None
    extra: dict[str, Any] = field(default_factory=dict, repr=False)
    __wire_names__: ClassVar[dict[str, str]] = {'file': 'file', 'name': 'name', 'delimiter': 'delimiter', 'types': 'types'}
    __nested__: ClassVar[dict[str, str]] = {}


@dataclass(frozen=True)
class DatasetPreview(Model):
    columns: list[DatasetColumn]
    rows: list[dict[str, Any]]
    row_count: int
    source_format: str
    delimiter: str
    notes: list[str]
    extra: dict[str, Any] = field(default_factory=dict, repr=False)
    __wire_names__: ClassVar[dict[str, str]] = {'columns': 'columns', 'rows': 'rows', 'row_count': 'row_count', 'source_format': 'source_format', 'delimiter': 'delimiter', 'notes': 'notes'}
    __nested__: ClassVar[dict[str, str]] = {'columns': '[DatasetColumn]'}


@dataclass(frozen=True)
class DatasetUploadRequest(Model):
    file: str
    delimiter: Any | None = None
    types: str | None = None
    extra: dict[str, Any] = field(default_factory=dict, repr=False)
    __wire_names__: ClassVar[dict[str, str]] = {'file': 'file', 'delimiter': 'delimiter', 'types': 'types'}
    __nested__: ClassVar[dict[str, str]] = {}


@dataclass(frozen=True)
class DatasetsRowsRetrieveItem(Model):
    extra: dict[str, Any] = field(default_factory=dict, repr=False)
    __wire_names__: ClassVar[dict[str, str]] = {}
    __nested__: ClassVar[dict[str, str]] = {}


@dataclass(frozen=True)
class Delivery(Model):
    id: str
    webhook_id: str
    event_type: str
    status: DeliveryStatusEnum
    attempt_count: int
    last_error: str
    created_at: str
    payload: dict[str, Any]
    attempts: list[DeliveryAttempt]
    next_attempt_at: str | None = None
    completed_at: str | None = None
    extra: dict[str, Any] = field(default_factory=dict, repr=False)
    __wire_names__: ClassVar[dict[str, str]] = {'id': 'id', 'webhook_id': 'webhook_id', 'event_type': 'event_type', 'status': 'status', 'attempt_count': 'attempt_count', 'last_error': 'last_error', 'created_at': 'created_at', 'payload': 'payload', 'attempts': 'attempts', 'next_attempt_at': 'next_attempt_at', 'completed_at': 'completed_at'}
    __nested__: ClassVar[dict[str, str]] = {'attempts': '[DeliveryAttempt]'}


@dataclass(frozen=True)
class DeliveryAttempt(Model):
    number: int
    status: str
    response_body: str
    duration_ms: int
    error: str
    started_at: str
    finished_at: str
    response_code: int | None = None
    extra: dict[str, Any] = field(default_factory=dict, repr=False)
    __wire_names__: ClassVar[dict[str, str]] = {'number': 'number', 'status': 'status', 'response_body': 'response_body', 'duration_ms': 'duration_ms', 'error': 'error', 'started_at': 'started_at', 'finished_at': 'finished_at', 'response_code': 'response_code'}
    __nested__: ClassVar[dict[str, str]] = {}


@dataclass(frozen=True)
class Document(Model):
    id: str
    title: str
    source_filename: str
    content_type: DocumentContentTypeEnum
    size: int
    chunk_count: int
    created_at: str
    extra: dict[str, Any] = field(default_factory=dict, repr=False)
    __wire_names__: ClassVar[dict[str, str]] = {'id': 'id', 'title': 'title', 'source_filename': 'source_filename', 'content_type': 'content_type', 'size': 'size', 'chunk_count': 'chunk_count', 'created_at': 'created_at'}
    __nested__: ClassVar[dict[str, str]] = {}


@dataclass(frozen=True)
class DocumentUploadRequest(Model):
    file: str
    title: str | None = None
    extra: dict[str, Any] = field(default_factory=dict, repr=False)
    __wire_names__: ClassVar[dict[str, str]] = {'file': 'file', 'title': 'title'}
    __nested__: ClassVar[dict[str, str]] = {}


@dataclass(frozen=True)
class ExecuteRequest(Model):
    input: dict[str, Any] | None = None
    version: Any | None = None
    wait: float | None = None
    trigger_node_id: str | None = None
    test: bool | None = None
    extra: dict[str, Any] = field(default_factory=dict, repr=False)
    __wire_names__: ClassVar[dict[str, str]] = {'input': 'input', 'version': 'version', 'wait': 'wait', 'trigger_node_id': 'trigger_node_id', 'test': 'test'}
    __nested__: ClassVar[dict[str, str]] = {}


@dataclass(frozen=True)
class Execution(Model):
    """One run. `steps` is whole for runs of up to FLOWBUILDER_INLINE_STEPS steps (as always);
a larger run lists its first FLOWBUILDER_INLINE_STEPS steps with large values as previews,
and `GET /executions/{id}/steps?cursor=` pages the rest (`steps_complete`, `steps_next_cursor`)."""

    id: str
    workflow_id: str
    workflow_name: str
    created_at: str
    trigger_node_id: str
    steps: list[Step]
    step_count: int
    steps_complete: bool
    logs: list[LogEntry]
    state_history: list[dict[str, Any]]
    version: int | None = None
    mode: str | None = None
    status: Status32dEnum | None = None
    error: Any | None = None
    started_at: str | None = None
    completed_at: str | None = None
    duration_ms: int | None = None
    customer_id: str | None = None
    channel: str | None = None
    input: Any | None = None
    output: Any | None = None
    resume_at: str | None = None
    waiting_for: Any | None = None
    recovered_count: int | None = None
    parent_id: str | None = None
    steps_next_cursor: str | None = None
    current_state: str | None = None
    resume_url: str | None = None
    event_seq: int | None = None
    extra: dict[str, Any] = field(default_factory=dict, repr=False)
    __wire_names__: ClassVar[dict[str, str]] = {'id': 'id', 'workflow_id': 'workflow_id', 'workflow_name': 'workflow_name', 'created_at': 'created_at', 'trigger_node_id': 'trigger_node_id', 'steps': 'steps', 'step_count': 'step_count', 'steps_complete': 'steps_complete', 'logs': 'logs', 'state_history': 'state_history', 'version': 'version', 'mode': 'mode', 'status': 'status', 'error': 'error', 'started_at': 'started_at', 'completed_at': 'completed_at', 'duration_ms': 'duration_ms', 'customer_id': 'customer_id', 'channel': 'channel', 'input': 'input', 'output': 'output', 'resume_at': 'resume_at', 'waiting_for': 'waiting_for', 'recovered_count': 'recovered_count', 'parent_id': 'parent_id', 'steps_next_cursor': 'steps_next_cursor', 'current_state': 'current_state', 'resume_url': 'resume_url', 'event_seq': 'event_seq'}
    __nested__: ClassVar[dict[str, str]] = {'steps': '[Step]', 'logs': '[LogEntry]'}


@dataclass(frozen=True)
class ExecutionList(Model):
    id: str
    workflow_id: str
    workflow_name: str
    created_at: str
    version: int | None = None
    mode: str | None = None
    status: Status32dEnum | None = None
    error: Any | None = None
    started_at: str | None = None
    completed_at: str | None = None
    duration_ms: int | None = None
    customer_id: str | None = None
    channel: str | None = None
    extra: dict[str, Any] = field(default_factory=dict, repr=False)
    __wire_names__: ClassVar[dict[str, str]] = {'id': 'id', 'workflow_id': 'workflow_id', 'workflow_name': 'workflow_name', 'created_at': 'created_at', 'version': 'version', 'mode': 'mode', 'status': 'status', 'error': 'error', 'started_at': 'started_at', 'completed_at': 'completed_at', 'duration_ms': 'duration_ms', 'customer_id': 'customer_id', 'channel': 'channel'}
    __nested__: ClassVar[dict[str, str]] = {}


@dataclass(frozen=True)
class ExecutionSchema(Model):
    id: str
    workflow_id: str
    workflow_name: str
    project_id: str
    project_name: str
    status: str
    stuck: bool
    created_at: str
    lease_owner: str
    recovered_count: int
    cancel_requested: bool
    started_at: str | None = None
    completed_at: str | None = None
    lease_expires_at: str | None = None
    resume_at: str | None = None
    waiting_for: dict[str, Any] | None = None
    extra: dict[str, Any] = field(default_factory=dict, repr=False)
    __wire_names__: ClassVar[dict[str, str]] = {'id': 'id', 'workflow_id': 'workflow_id', 'workflow_name': 'workflow_name', 'project_id': 'project_id', 'project_name': 'project_name', 'status': 'status', 'stuck': 'stuck', 'created_at': 'created_at', 'lease_owner': 'lease_owner', 'recovered_count': 'recovered_count', 'cancel_requested': 'cancel_requested', 'started_at': 'started_at', 'completed_at': 'completed_at', 'lease_expires_at': 'lease_expires_at', 'resume_at': 'resume_at', 'waiting_for': 'waiting_for'}
    __nested__: ClassVar[dict[str, str]] = {}


@dataclass(frozen=True)
class ExecutionStarted(Model):
    execution_id: str
    status: str
    started_at: str | None = None
    extra: dict[str, Any] = field(default_factory=dict, repr=False)
    __wire_names__: ClassVar[dict[str, str]] = {'execution_id': 'execution_id', 'status': 'status', 'started_at': 'started_at'}
    __nested__: ClassVar[dict[str, str]] = {}


@dataclass(frozen=True)
class ExecutionsEventsRetrieveItem(Model):
    event: str
    execution_id: str
    workflow_id: str
    seq: int
    data: dict[str, Any]
    extra: dict[str, Any] = field(default_factory=dict, repr=False)
    __wire_names__: ClassVar[dict[str, str]] = {'event': 'event', 'execution_id': 'execution_id', 'workflow_id': 'workflow_id', 'seq': 'seq', 'data': 'data'}
    __nested__: ClassVar[dict[str, str]] = {}


@dataclass(frozen=True)
class Export(Model):
    name: str
    description: str
    channel: str
    format: FormatEnum
    definition: dict[str, Any]
    extra: dict[str, Any] = field(default_factory=dict, repr=False)
    __wire_names__: ClassVar[dict[str, str]] = {'name': 'name', 'description': 'description', 'channel': 'channel', 'format': 'format', 'definition': 'definition'}
    __nested__: ClassVar[dict[str, str]] = {}


@dataclass(frozen=True)
class Form(Model):
    id: str
    project_id: str
    name: str
    slug: str
    public_url: str
    description: str
    success_message: str
    redirect_url: Any
    is_active: bool
    fields: list[FormField]
    created_at: str
    updated_at: str
    extra: dict[str, Any] = field(default_factory=dict, repr=False)
    __wire_names__: ClassVar[dict[str, str]] = {'id': 'id', 'project_id': 'project_id', 'name': 'name', 'slug': 'slug', 'public_url': 'public_url', 'description': 'description', 'success_message': 'success_message', 'redirect_url': 'redirect_url', 'is_active': 'is_active', 'fields': 'fields', 'created_at': 'created_at', 'updated_at': 'updated_at'}
    __nested__: ClassVar[dict[str, str]] = {'fields': '[FormField]'}


@dataclass(frozen=True)
class FormField(Model):
    id: str
    key: str
    label: str
    type: FormFieldTypeEnum | None = None
    required: bool | None = None
    placeholder: str | None = None
    help_text: str | None = None
    options: list[str] | None = None
    min_value: float | None = None
    max_value: float | None = None
    max_length: int | None = None
    position: int | None = None
    extra: dict[str, Any] = field(default_factory=dict, repr=False)
    __wire_names__: ClassVar[dict[str, str]] = {'id': 'id', 'key': 'key', 'label': 'label', 'type': 'type', 'required': 'required', 'placeholder': 'placeholder', 'help_text': 'help_text', 'options': 'options', 'min_value': 'min_value', 'max_value': 'max_value', 'max_length': 'max_length', 'position': 'position'}
    __nested__: ClassVar[dict[str, str]] = {}


@dataclass(frozen=True)
class FormFieldRequest(Model):
    key: str
    label: str
    type: FormFieldTypeEnum | None = None
    required: bool | None = None
    placeholder: str | None = None
    help_text: str | None = None
    options: list[str] | None = None
    min_value: float | None = None
    max_value: float | None = None
    max_length: int | None = None
    position: int | None = None
    extra: dict[str, Any] = field(default_factory=dict, repr=False)
    __wire_names__: ClassVar[dict[str, str]] = {'key': 'key', 'label': 'label', 'type': 'type', 'required': 'required', 'placeholder': 'placeholder', 'help_text': 'help_text', 'options': 'options', 'min_value': 'min_value', 'max_value': 'max_value', 'max_length': 'max_length', 'position': 'position'}
    __nested__: ClassVar[dict[str, str]] = {}


@dataclass(frozen=True)
class FormWriteRequest(Model):
    name: str
    slug: str | None = None
    description: str | None = None
    success_message: str | None = None
    redirect_url: Any | None = None
    is_active: bool | None = None
    fields: list[FormFieldRequest] | None = None
    extra: dict[str, Any] = field(default_factory=dict, repr=False)
    __wire_names__: ClassVar[dict[str, str]] = {'name': 'name', 'slug': 'slug', 'description': 'description', 'success_message': 'success_message', 'redirect_url': 'redirect_url', 'is_active': 'is_active', 'fields': 'fields'}
    __nested__: ClassVar[dict[str, str]] = {'fields': '[FormFieldRequest]'}


@dataclass(frozen=True)
class Function(Model):
    id: str
    name: str
    kind: Kind4cfEnum
    description: str
    spec: Any
    version: int
    created_at: str
    updated_at: str
    extra: dict[str, Any] = field(default_factory=dict, repr=False)
    __wire_names__: ClassVar[dict[str, str]] = {'id': 'id', 'name': 'name', 'kind': 'kind', 'description': 'description', 'spec': 'spec', 'version': 'version', 'created_at': 'created_at', 'updated_at': 'updated_at'}
    __nested__: ClassVar[dict[str, str]] = {}


@dataclass(frozen=True)
class FunctionCreateRequest(Model):
    name: str
    kind: Kind4cfEnum
    description: str | None = None
    spec: Any | None = None
    language: LanguageEnum | None = None
    source: str | None = None
    extra: dict[str, Any] = field(default_factory=dict, repr=False)
    __wire_names__: ClassVar[dict[str, str]] = {'name': 'name', 'kind': 'kind', 'description': 'description', 'spec': 'spec', 'language': 'language', 'source': 'source'}
    __nested__: ClassVar[dict[str, str]] = {}


@dataclass(frozen=True)
class FunctionTestRequest(Model):
    input: Any | None = None
    credentials: dict[str, Any] | None = None
    extra: dict[str, Any] = field(default_factory=dict, repr=False)
    __wire_names__: ClassVar[dict[str, str]] = {'input': 'input', 'credentials': 'credentials'}
    __nested__: ClassVar[dict[str, str]] = {}


@dataclass(frozen=True)
class FunctionTestResult(Model):
    ok: bool
    logs: list[str]
    duration_ms: float
    limits_hit: list[str]
    version: int
    output: Any | None = None
    error: dict[str, Any] | None = None
    extra: dict[str, Any] = field(default_factory=dict, repr=False)
    __wire_names__: ClassVar[dict[str, str]] = {'ok': 'ok', 'logs': 'logs', 'duration_ms': 'duration_ms', 'limits_hit': 'limits_hit', 'version': 'version', 'output': 'output', 'error': 'error'}
    __nested__: ClassVar[dict[str, str]] = {}


@dataclass(frozen=True)
class FunctionVersion(Model):
    id: str
    number: int
    kind: Kind4cfEnum
    spec: Any
    created_at: str
    extra: dict[str, Any] = field(default_factory=dict, repr=False)
    __wire_names__: ClassVar[dict[str, str]] = {'id': 'id', 'number': 'number', 'kind': 'kind', 'spec': 'spec', 'created_at': 'created_at'}
    __nested__: ClassVar[dict[str, str]] = {}


@dataclass(frozen=True)
class HmacSecretCredentialRequest(Model):
    """Signing secret: A shared secret that signs webhook bodies (HMAC-SHA256)."""

    name: str
    type: Literal['hmac_secret']
    secret: dict[str, Any]
    metadata: dict[str, Any] | None = None
    extra: dict[str, Any] = field(default_factory=dict, repr=False)
    __wire_names__: ClassVar[dict[str, str]] = {'name': 'name', 'type': 'type', 'secret': 'secret', 'metadata': 'metadata'}
    __nested__: ClassVar[dict[str, str]] = {}


@dataclass(frozen=True)
class InboundHook(Model):
    node_id: str
    token: str
    url: str
    methods: list[str]
    response_mode: str
    signed: bool
    live: bool
    extra: dict[str, Any] = field(default_factory=dict, repr=False)
    __wire_names__: ClassVar[dict[str, str]] = {'node_id': 'node_id', 'token': 'token', 'url': 'url', 'methods': 'methods', 'response_mode': 'response_mode', 'signed': 'signed', 'live': 'live'}
    __nested__: ClassVar[dict[str, str]] = {}


@dataclass(frozen=True)
class Integration(Model):
    id: str
    name: str
    category: CategoryEnum
    type: str
    status: str
    last_test_message: str
    last_tested_at: str | None = None
    extra: dict[str, Any] = field(default_factory=dict, repr=False)
    __wire_names__: ClassVar[dict[str, str]] = {'id': 'id', 'name': 'name', 'category': 'category', 'type': 'type', 'status': 'status', 'last_test_message': 'last_test_message', 'last_tested_at': 'last_tested_at'}
    __nested__: ClassVar[dict[str, str]] = {}


@dataclass(frozen=True)
class KnowledgeBase(Model):
    id: str
    name: str
    description: str
    document_count: int
    created_at: str
    updated_at: str
    extra: dict[str, Any] = field(default_factory=dict, repr=False)
    __wire_names__: ClassVar[dict[str, str]] = {'id': 'id', 'name': 'name', 'description': 'description', 'document_count': 'document_count', 'created_at': 'created_at', 'updated_at': 'updated_at'}
    __nested__: ClassVar[dict[str, str]] = {}


@dataclass(frozen=True)
class KnowledgeBaseCreateRequest(Model):
    name: str
    description: str | None = None
    extra: dict[str, Any] = field(default_factory=dict, repr=False)
    __wire_names__: ClassVar[dict[str, str]] = {'name': 'name', 'description': 'description'}
    __nested__: ClassVar[dict[str, str]] = {}


@dataclass(frozen=True)
class LlmCredentialRequest(Model):
    """AI model provider: Anthropic or any OpenAI-compatible endpoint, for `ai.chat`."""

    name: str
    type: Literal['llm']
    metadata: dict[str, Any]
    secret: dict[str, Any]
    extra: dict[str, Any] = field(default_factory=dict, repr=False)
    __wire_names__: ClassVar[dict[str, str]] = {'name': 'name', 'type': 'type', 'metadata': 'metadata', 'secret': 'secret'}
    __nested__: ClassVar[dict[str, str]] = {}


@dataclass(frozen=True)
class LogEntry(Model):
    timestamp: str
    level: LevelEnum
    message: str
    node_id: str | None = None
    extra: dict[str, Any] = field(default_factory=dict, repr=False)
    __wire_names__: ClassVar[dict[str, str]] = {'timestamp': 'timestamp', 'level': 'level', 'message': 'message', 'node_id': 'node_id'}
    __nested__: ClassVar[dict[str, str]] = {}


@dataclass(frozen=True)
class Member(Model):
    id: str
    email: str
    name: str
    created_at: str
    role: RoleEnum | None = None
    extra: dict[str, Any] = field(default_factory=dict, repr=False)
    __wire_names__: ClassVar[dict[str, str]] = {'id': 'id', 'email': 'email', 'name': 'name', 'created_at': 'created_at', 'role': 'role'}
    __nested__: ClassVar[dict[str, str]] = {}


@dataclass(frozen=True)
class Metrics(Model):
    """Documents the answer of GET /workflows/{id}/metrics."""

    total: int
    successful: int
    failed: int
    stuck: int
    recovering: int
    workflow_id: str
    start_date: str
    end_date: str
    granularity: GranularityEnum
    series: list[Bucket]
    channels: dict[str, Any]
    modes: dict[str, Any]
    success_rate: float | None = None
    average_duration_ms: float | None = None
    p95_duration_ms: float | None = None
    extra: dict[str, Any] = field(default_factory=dict, repr=False)
    __wire_names__: ClassVar[dict[str, str]] = {'total': 'total', 'successful': 'successful', 'failed': 'failed', 'stuck': 'stuck', 'recovering': 'recovering', 'workflow_id': 'workflow_id', 'start_date': 'start_date', 'end_date': 'end_date', 'granularity': 'granularity', 'series': 'series', 'channels': 'channels', 'modes': 'modes', 'success_rate': 'success_rate', 'average_duration_ms': 'average_duration_ms', 'p95_duration_ms': 'p95_duration_ms'}
    __nested__: ClassVar[dict[str, str]] = {'series': '[Bucket]'}


@dataclass(frozen=True)
class MysqlConnectionRequest(Model):
    """A mysql database: a username (and password) or a `database` credential."""

    name: str
    kind: Literal['mysql']
    host: str
    database: str
    port: int | None = None
    username: str | None = None
    password: str | None = None
    ssl_mode: SslModeEnum | None = None
    base_url: Any | None = None
    credential_id: str | None = None
    statement_timeout_ms: int | None = None
    row_limit: int | None = None
    ai_excluded: list[str] | None = None
    extra: dict[str, Any] = field(default_factory=dict, repr=False)
    __wire_names__: ClassVar[dict[str, str]] = {'name': 'name', 'kind': 'kind', 'host': 'host', 'database': 'database', 'port': 'port', 'username': 'username', 'password': 'password', 'ssl_mode': 'ssl_mode', 'base_url': 'base_url', 'credential_id': 'credential_id', 'statement_timeout_ms': 'statement_timeout_ms', 'row_limit': 'row_limit', 'ai_excluded': 'ai_excluded'}
    __nested__: ClassVar[dict[str, str]] = {}


@dataclass(frozen=True)
class NodeType(Model):
    """Documents GET /node-types (the registry describes itself)."""

    type: str
    category: str
    label: str
    description: str
    inputs: list[str]
    outputs: list[str]
    config_schema: dict[str, Any]
    example: dict[str, Any]
    retry_schema: dict[str, Any]
    default_retry: dict[str, Any]
    extra: dict[str, Any] = field(default_factory=dict, repr=False)
    __wire_names__: ClassVar[dict[str, str]] = {'type': 'type', 'category': 'category', 'label': 'label', 'description': 'description', 'inputs': 'inputs', 'outputs': 'outputs', 'config_schema': 'config_schema', 'example': 'example', 'retry_schema': 'retry_schema', 'default_retry': 'default_retry'}
    __nested__: ClassVar[dict[str, str]] = {}


@dataclass(frozen=True)
class NodeTypeCount(Model):
    total: int
    extra: dict[str, Any] = field(default_factory=dict, repr=False)
    __wire_names__: ClassVar[dict[str, str]] = {'total': 'total'}
    __nested__: ClassVar[dict[str, str]] = {}


@dataclass(frozen=True)
class Oauth2TokenCredentialRequest(Model):
    """OAuth 2 token: An access token obtained elsewhere, sent as `Authorization: <type> <token>`."""

    name: str
    type: Literal['oauth2_token']
    secret: dict[str, Any]
    metadata: dict[str, Any] | None = None
    extra: dict[str, Any] = field(default_factory=dict, repr=False)
    __wire_names__: ClassVar[dict[str, str]] = {'name': 'name', 'type': 'type', 'secret': 'secret', 'metadata': 'metadata'}
    __nested__: ClassVar[dict[str, str]] = {}


@dataclass(frozen=True)
class PageMeta(Model):
    """page, offset, total and pages are there unless the list was read with a cursor."""

    limit: int
    page: int | None = None
    offset: int | None = None
    total: int | None = None
    pages: int | None = None
    next_cursor: str | None = None
    has_more: bool | None = None
    extra: dict[str, Any] = field(default_factory=dict, repr=False)
    __wire_names__: ClassVar[dict[str, str]] = {'limit': 'limit', 'page': 'page', 'offset': 'offset', 'total': 'total', 'pages': 'pages', 'next_cursor': 'next_cursor', 'has_more': 'has_more'}
    __nested__: ClassVar[dict[str, str]] = {}


@dataclass(frozen=True)
class Passage(Model):
    chunk_id: int
    document_id: str
    document_title: str
    heading: str
    text: str
    score: float
    extra: dict[str, Any] = field(default_factory=dict, repr=False)
    __wire_names__: ClassVar[dict[str, str]] = {'chunk_id': 'chunk_id', 'document_id': 'document_id', 'document_title': 'document_title', 'heading': 'heading', 'text': 'text', 'score': 'score'}
    __nested__: ClassVar[dict[str, str]] = {}


@dataclass(frozen=True)
class PatchedChannelWriteRequest(Model):
    name: str | None = None
    type: ChannelTypeEnum | None = None
    settings: dict[str, Any] | None = None
    default_workflow_id: str | None = None
    fallback_reply: str | None = None
    active: bool | None = None
    rate_limit_per_minute: int | None = None
    customer_rate_limit_per_minute: int | None = None
    extra: dict[str, Any] = field(default_factory=dict, repr=False)
    __wire_names__: ClassVar[dict[str, str]] = {'name': 'name', 'type': 'type', 'settings': 'settings', 'default_workflow_id': 'default_workflow_id', 'fallback_reply': 'fallback_reply', 'active': 'active', 'rate_limit_per_minute': 'rate_limit_per_minute', 'customer_rate_limit_per_minute': 'customer_rate_limit_per_minute'}
    __nested__: ClassVar[dict[str, str]] = {}


@dataclass(frozen=True)
class PatchedConnectionWriteRequest(Model):
    """Create (all required fields) or PATCH (`partial=True`); the project check is the service's."""

    name: str | None = None
    kind: Kind39aEnum | None = None
    host: str | None = None
    port: int | None = None
    database: str | None = None
    username: str | None = None
    password: str | None = None
    ssl_mode: SslModeEnum | None = None
    base_url: Any | None = None
    credential_id: str | None = None
    statement_timeout_ms: int | None = None
    row_limit: int | None = None
    ai_excluded: list[str] | None = None
    extra: dict[str, Any] = field(default_factory=dict, repr=False)
    __wire_names__: ClassVar[dict[str, str]] = {'name': 'name', 'kind': 'kind', 'host': 'host', 'port': 'port', 'database': 'database', 'username': 'username', 'password': 'password', 'ssl_mode': 'ssl_mode', 'base_url': 'base_url', 'credential_id': 'credential_id', 'statement_timeout_ms': 'statement_timeout_ms', 'row_limit': 'row_limit', 'ai_excluded': 'ai_excluded'}
    __nested__: ClassVar[dict[str, str]] = {}


@dataclass(frozen=True)
class PatchedCredentialUpdateRequest(Model):
    name: str | None = None
    metadata: dict[str, Any] | None = None
    secret: dict[str, Any] | None = None
    extra: dict[str, Any] = field(default_factory=dict, repr=False)
    __wire_names__: ClassVar[dict[str, str]] = {'name': 'name', 'metadata': 'metadata', 'secret': 'secret'}
    __nested__: ClassVar[dict[str, str]] = {}


@dataclass(frozen=True)
class PatchedDatasetUpdateRequest(Model):
    name: str | None = None
    extra: dict[str, Any] = field(default_factory=dict, repr=False)
    __wire_names__: ClassVar[dict[str, str]] = {'name': 'name'}
    __nested__: ClassVar[dict[str, str]] = {}


@dataclass(frozen=True)
class PatchedFormWriteRequest(Model):
    name: str | None = None
    slug: str | None = None
    description: str | None = None
    success_message: str | None = None
    redirect_url: Any | None = None
    is_active: bool | None = None
    fields: list[FormFieldRequest] | None = None
    extra: dict[str, Any] = field(default_factory=dict, repr=False)
    __wire_names__: ClassVar[dict[str, str]] = {'name': 'name', 'slug': 'slug', 'description': 'description', 'success_message': 'success_message', 'redirect_url': 'redirect_url', 'is_active': 'is_active', 'fields': 'fields'}
    __nested__: ClassVar[dict[str, str]] = {'fields': '[FormFieldRequest]'}


@dataclass(frozen=True)
class PatchedFunctionUpdateRequest(Model):
    name: str | None = None
    description: str | None = None
    spec: Any | None = None
    source: str | None = None
    extra: dict[str, Any] = field(default_factory=dict, repr=False)
    __wire_names__: ClassVar[dict[str, str]] = {'name': 'name', 'description': 'description', 'spec': 'spec', 'source': 'source'}
    __nested__: ClassVar[dict[str, str]] = {}


@dataclass(frozen=True)
class PatchedKnowledgeBaseUpdateRequest(Model):
    name: str | None = None
    description: str | None = None
    extra: dict[str, Any] = field(default_factory=dict, repr=False)
    __wire_names__: ClassVar[dict[str, str]] = {'name': 'name', 'description': 'description'}
    __nested__: ClassVar[dict[str, str]] = {}


@dataclass(frozen=True)
class PatchedMemberRoleRequest(Model):
    role: RoleEnum | None = None
    extra: dict[str, Any] = field(default_factory=dict, repr=False)
    __wire_names__: ClassVar[dict[str, str]] = {'role': 'role'}
    __nested__: ClassVar[dict[str, str]] = {}


@dataclass(frozen=True)
class PatchedWebhookWriteRequest(Model):
    url: str | None = None
    events: list[EventsEnum] | None = None
    enabled: bool | None = None
    description: str | None = None
    secret: str | None = None
    extra: dict[str, Any] = field(default_factory=dict, repr=False)
    __wire_names__: ClassVar[dict[str, str]] = {'url': 'url', 'events': 'events', 'enabled': 'enabled', 'description': 'description', 'secret': 'secret'}
    __nested__: ClassVar[dict[str, str]] = {}


@dataclass(frozen=True)
class PatchedWorkflowWriteRequest(Model):
    """Name and metadata; the definition may come in any accepted form (see the views)."""

    name: str | None = None
    description: str | None = None
    channel: str | None = None
    definition: dict[str, Any] | None = None
    nodes: list[dict[str, Any]] | None = None
    edges: list[dict[str, Any]] | None = None
    variables: dict[str, Any] | None = None
    settings: dict[str, Any] | None = None
    pinned: dict[str, Any] | None = None
    notes: list[dict[str, Any]] | None = None
    states: dict[str, Any] | None = None
    start_at: str | None = None
    configuration: dict[str, Any] | None = None
    error_workflow_id: str | None = None
    extra: dict[str, Any] = field(default_factory=dict, repr=False)
    __wire_names__: ClassVar[dict[str, str]] = {'name': 'name', 'description': 'description', 'channel': 'channel', 'definition': 'definition', 'nodes': 'nodes', 'edges': 'edges', 'variables': 'variables', 'settings': 'settings', 'pinned': 'pinned', 'notes': 'notes', 'states': 'states', 'start_at': 'start_at', 'configuration': 'configuration', 'error_workflow_id': 'error_workflow_id'}
    __nested__: ClassVar[dict[str, str]] = {}


@dataclass(frozen=True)
class PostgresqlConnectionRequest(Model):
    """A postgresql database: a username (and password) or a `database` credential."""

    name: str
    kind: Literal['postgresql']
    host: str
    database: str
    port: int | None = None
    username: str | None = None
    password: str | None = None
    ssl_mode: SslModeEnum | None = None
    base_url: Any | None = None
    credential_id: str | None = None
    statement_timeout_ms: int | None = None
    row_limit: int | None = None
    ai_excluded: list[str] | None = None
    extra: dict[str, Any] = field(default_factory=dict, repr=False)
    __wire_names__: ClassVar[dict[str, str]] = {'name': 'name', 'kind': 'kind', 'host': 'host', 'database': 'database', 'port': 'port', 'username': 'username', 'password': 'password', 'ssl_mode': 'ssl_mode', 'base_url': 'base_url', 'credential_id': 'credential_id', 'statement_timeout_ms': 'statement_timeout_ms', 'row_limit': 'row_limit', 'ai_excluded': 'ai_excluded'}
    __nested__: ClassVar[dict[str, str]] = {}


@dataclass(frozen=True)
class PreviewRequest(Model):
    node_id: str
    text: str
    execution_id: str | None = None
    extra: dict[str, Any] = field(default_factory=dict, repr=False)
    __wire_names__: ClassVar[dict[str, str]] = {'node_id': 'node_id', 'text': 'text', 'execution_id': 'execution_id'}
    __nested__: ClassVar[dict[str, str]] = {}


@dataclass(frozen=True)
class PreviewResult(Model):
    data_from: DataFromEnum
    value: Any | None = None
    error: str | None = None
    execution_id: str | None = None
    extra: dict[str, Any] = field(default_factory=dict, repr=False)
    __wire_names__: ClassVar[dict[str, str]] = {'data_from': 'data_from', 'value': 'value', 'error': 'error', 'execution_id': 'execution_id'}
    __nested__: ClassVar[dict[str, str]] = {}


@dataclass(frozen=True)
class Problem(Model):
    path: str
    message: str
    code: str
    node_id: str | None = None
    extra: dict[str, Any] = field(default_factory=dict, repr=False)
    __wire_names__: ClassVar[dict[str, str]] = {'path': 'path', 'message': 'message', 'code': 'code', 'node_id': 'node_id'}
    __nested__: ClassVar[dict[str, str]] = {}


@dataclass(frozen=True)
class Project(Model):
    id: str
    name: str
    created_at: str
    is_default: bool | None = None
    extra: dict[str, Any] = field(default_factory=dict, repr=False)
    __wire_names__: ClassVar[dict[str, str]] = {'id': 'id', 'name': 'name', 'created_at': 'created_at', 'is_default': 'is_default'}
    __nested__: ClassVar[dict[str, str]] = {}


@dataclass(frozen=True)
class PublishRequest(Model):
    note: str | None = None
    extra: dict[str, Any] = field(default_factory=dict, repr=False)
    __wire_names__: ClassVar[dict[str, str]] = {'note': 'note'}
    __nested__: ClassVar[dict[str, str]] = {}


@dataclass(frozen=True)
class QueueExecutionsSchema(Model):
    running: list[ExecutionSchema]
    stuck_pending: list[ExecutionSchema]
    waiting: list[ExecutionSchema]
    recovered: list[ExecutionSchema]
    extra: dict[str, Any] = field(default_factory=dict, repr=False)
    __wire_names__: ClassVar[dict[str, str]] = {'running': 'running', 'stuck_pending': 'stuck_pending', 'waiting': 'waiting', 'recovered': 'recovered'}
    __nested__: ClassVar[dict[str, str]] = {'running': '[ExecutionSchema]', 'stuck_pending': '[ExecutionSchema]', 'waiting': '[ExecutionSchema]', 'recovered': '[ExecutionSchema]'}


@dataclass(frozen=True)
class QueueOverviewSchema(Model):
    generated_at: str
    queues: list[QueueSchema]
    workers: list[WorkerSchema]
    executions: QueueExecutionsSchema
    extra: dict[str, Any] = field(default_factory=dict, repr=False)
    __wire_names__: ClassVar[dict[str, str]] = {'generated_at': 'generated_at', 'queues': 'queues', 'workers': 'workers', 'executions': 'executions'}
    __nested__: ClassVar[dict[str, str]] = {'queues': '[QueueSchema]', 'workers': '[WorkerSchema]', 'executions': 'QueueExecutionsSchema'}


@dataclass(frozen=True)
class QueueSchema(Model):
    name: str
    depth: int
    scheduled: int
    started: int
    failed: int
    oldest_enqueued_at: str | None = None
    oldest_age_seconds: int | None = None
    extra: dict[str, Any] = field(default_factory=dict, repr=False)
    __wire_names__: ClassVar[dict[str, str]] = {'name': 'name', 'depth': 'depth', 'scheduled': 'scheduled', 'started': 'started', 'failed': 'failed', 'oldest_enqueued_at': 'oldest_enqueued_at', 'oldest_age_seconds': 'oldest_age_seconds'}
    __nested__: ClassVar[dict[str, str]] = {}


@dataclass(frozen=True)
class RestConnectionRequest(Model):
    """A REST API."""

    name: str
    kind: Literal['rest']
    base_url: Any
    host: str | None = None
    port: int | None = None
    database: str | None = None
    username: str | None = None
    password: str | None = None
    ssl_mode: SslModeEnum | None = None
    credential_id: str | None = None
    statement_timeout_ms: int | None = None
    row_limit: int | None = None
    ai_excluded: list[str] | None = None
    extra: dict[str, Any] = field(default_factory=dict, repr=False)
    __wire_names__: ClassVar[dict[str, str]] = {'name': 'name', 'kind': 'kind', 'base_url': 'base_url', 'host': 'host', 'port': 'port', 'database': 'database', 'username': 'username', 'password': 'password', 'ssl_mode': 'ssl_mode', 'credential_id': 'credential_id', 'statement_timeout_ms': 'statement_timeout_ms', 'row_limit': 'row_limit', 'ai_excluded': 'ai_excluded'}
    __nested__: ClassVar[dict[str, str]] = {}


@dataclass(frozen=True)
class ResumeRequest(Model):
    payload: Any | None = None
    node_id: str | None = None
    extra: dict[str, Any] = field(default_factory=dict, repr=False)
    __wire_names__: ClassVar[dict[str, str]] = {'payload': 'payload', 'node_id': 'node_id'}
    __nested__: ClassVar[dict[str, str]] = {}


@dataclass(frozen=True)
class SmtpCredentialRequest(Model):
    """SMTP server: An outgoing mail server for `email.send`."""

    name: str
    type: Literal['smtp']
    metadata: dict[str, Any]
    secret: dict[str, Any] | None = None
    extra: dict[str, Any] = field(default_factory=dict, repr=False)
    __wire_names__: ClassVar[dict[str, str]] = {'name': 'name', 'type': 'type', 'metadata': 'metadata', 'secret': 'secret'}
    __nested__: ClassVar[dict[str, str]] = {}


@dataclass(frozen=True)
class Step(Model):
    step_key: str
    node_id: str
    type: str
    status: str
    attempt: int
    idempotency_key: str
    completed_at: str
    output_port: str | None = None
    started_at: str | None = None
    duration_ms: int | None = None
    input: Any | None = None
    output: Any | None = None
    error: Any | None = None
    extra: dict[str, Any] = field(default_factory=dict, repr=False)
    __wire_names__: ClassVar[dict[str, str]] = {'step_key': 'step_key', 'node_id': 'node_id', 'type': 'type', 'status': 'status', 'attempt': 'attempt', 'idempotency_key': 'idempotency_key', 'completed_at': 'completed_at', 'output_port': 'output_port', 'started_at': 'started_at', 'duration_ms': 'duration_ms', 'input': 'input', 'output': 'output', 'error': 'error'}
    __nested__: ClassVar[dict[str, str]] = {}


@dataclass(frozen=True)
class Submission(Model):
    id: str
    form_id: str
    data: Any
    source: SourceEnum
    user_agent: str
    created_at: str
    extra: dict[str, Any] = field(default_factory=dict, repr=False)
    __wire_names__: ClassVar[dict[str, str]] = {'id': 'id', 'form_id': 'form_id', 'data': 'data', 'source': 'source', 'user_agent': 'user_agent', 'created_at': 'created_at'}
    __nested__: ClassVar[dict[str, str]] = {}


@dataclass(frozen=True)
class SubmissionCreateRequest(Model):
    data: dict[str, Any]
    extra: dict[str, Any] = field(default_factory=dict, repr=False)
    __wire_names__: ClassVar[dict[str, str]] = {'data': 'data'}
    __nested__: ClassVar[dict[str, str]] = {}


@dataclass(frozen=True)
class TestStepRequest(Model):
    node_id: str
    execution_id: str | None = None
    extra: dict[str, Any] = field(default_factory=dict, repr=False)
    __wire_names__: ClassVar[dict[str, str]] = {'node_id': 'node_id', 'execution_id': 'execution_id'}
    __nested__: ClassVar[dict[str, str]] = {}


@dataclass(frozen=True)
class Usage(Model):
    organization_id: str
    plan: str
    start_date: str
    end_date: str
    totals: dict[str, Any]
    limits: dict[str, Any]
    days: list[UsageDay]
    ai_tokens_by_model: list[AiModelUsage]
    ai_tokens_by_workflow: list[AiWorkflowUsage]
    estimated_ai_cost_usd: float | None = None
    extra: dict[str, Any] = field(default_factory=dict, repr=False)
    __wire_names__: ClassVar[dict[str, str]] = {'organization_id': 'organization_id', 'plan': 'plan', 'start_date': 'start_date', 'end_date': 'end_date', 'totals': 'totals', 'limits': 'limits', 'days': 'days', 'ai_tokens_by_model': 'ai_tokens_by_model', 'ai_tokens_by_workflow': 'ai_tokens_by_workflow', 'estimated_ai_cost_usd': 'estimated_ai_cost_usd'}
    __nested__: ClassVar[dict[str, str]] = {'days': '[UsageDay]', 'ai_tokens_by_model': '[AiModelUsage]', 'ai_tokens_by_workflow': '[AiWorkflowUsage]'}


@dataclass(frozen=True)
class UsageDay(Model):
    date: str
    api_calls: int | None = None
    executions: int | None = None
    steps: int | None = None
    ai_tokens: int | None = None
    test_executions: int | None = None
    editor_calls: int | None = None
    extra: dict[str, Any] = field(default_factory=dict, repr=False)
    __wire_names__: ClassVar[dict[str, str]] = {'date': 'date', 'api_calls': 'api_calls', 'executions': 'executions', 'steps': 'steps', 'ai_tokens': 'ai_tokens', 'test_executions': 'test_executions', 'editor_calls': 'editor_calls'}
    __nested__: ClassVar[dict[str, str]] = {}


@dataclass(frozen=True)
class ValidateRequest(Model):
    definition: dict[str, Any] | None = None
    extra: dict[str, Any] = field(default_factory=dict, repr=False)
    __wire_names__: ClassVar[dict[str, str]] = {'definition': 'definition'}
    __nested__: ClassVar[dict[str, str]] = {}


@dataclass(frozen=True)
class ValidationResult(Model):
    valid: bool
    problems: list[Problem]
    extra: dict[str, Any] = field(default_factory=dict, repr=False)
    __wire_names__: ClassVar[dict[str, str]] = {'valid': 'valid', 'problems': 'problems'}
    __nested__: ClassVar[dict[str, str]] = {'problems': '[Problem]'}


@dataclass(frozen=True)
class Version(Model):
    id: str
    number: int
    created_at: str
    note: str | None = None
    created_by: str | None = None
    extra: dict[str, Any] = field(default_factory=dict, repr=False)
    __wire_names__: ClassVar[dict[str, str]] = {'id': 'id', 'number': 'number', 'created_at': 'created_at', 'note': 'note', 'created_by': 'created_by'}
    __nested__: ClassVar[dict[str, str]] = {}


@dataclass(frozen=True)
class VersionDetail(Model):
    id: str
    number: int
    created_at: str
    definition: Any
    note: str | None = None
    created_by: str | None = None
    extra: dict[str, Any] = field(default_factory=dict, repr=False)
    __wire_names__: ClassVar[dict[str, str]] = {'id': 'id', 'number': 'number', 'created_at': 'created_at', 'definition': 'definition', 'note': 'note', 'created_by': 'created_by'}
    __nested__: ClassVar[dict[str, str]] = {}


@dataclass(frozen=True)
class Webhook(Model):
    id: str
    project_id: str
    url: str
    events: Any
    enabled: bool
    description: str
    created_at: str
    updated_at: str
    extra: dict[str, Any] = field(default_factory=dict, repr=False)
    __wire_names__: ClassVar[dict[str, str]] = {'id': 'id', 'project_id': 'project_id', 'url': 'url', 'events': 'events', 'enabled': 'enabled', 'description': 'description', 'created_at': 'created_at', 'updated_at': 'updated_at'}
    __nested__: ClassVar[dict[str, str]] = {}


@dataclass(frozen=True)
class WebhookCreated(Model):
    id: str
    project_id: str
    url: str
    events: Any
    enabled: bool
    description: str
    created_at: str
    updated_at: str
    secret: str
    extra: dict[str, Any] = field(default_factory=dict, repr=False)
    __wire_names__: ClassVar[dict[str, str]] = {'id': 'id', 'project_id': 'project_id', 'url': 'url', 'events': 'events', 'enabled': 'enabled', 'description': 'description', 'created_at': 'created_at', 'updated_at': 'updated_at', 'secret': 'secret'}
    __nested__: ClassVar[dict[str, str]] = {}


@dataclass(frozen=True)
class WebhookWriteRequest(Model):
    url: str
    events: list[EventsEnum]
    enabled: bool | None = None
    description: str | None = None
    secret: str | None = None
    extra: dict[str, Any] = field(default_factory=dict, repr=False)
    __wire_names__: ClassVar[dict[str, str]] = {'url': 'url', 'events': 'events', 'enabled': 'enabled', 'description': 'description', 'secret': 'secret'}
    __nested__: ClassVar[dict[str, str]] = {}


@dataclass(frozen=True)
class WorkerSchema(Model):
    name: str
    state: str
    queues: list[str]
    stale: bool
    birth_date: str | None = None
    last_heartbeat: str | None = None
    heartbeat_age_seconds: int | None = None
    current_job_id: str | None = None
    execution_id: str | None = None
    workflow_name: str | None = None
    extra: dict[str, Any] = field(default_factory=dict, repr=False)
    __wire_names__: ClassVar[dict[str, str]] = {'name': 'name', 'state': 'state', 'queues': 'queues', 'stale': 'stale', 'birth_date': 'birth_date', 'last_heartbeat': 'last_heartbeat', 'heartbeat_age_seconds': 'heartbeat_age_seconds', 'current_job_id': 'current_job_id', 'execution_id': 'execution_id', 'workflow_name': 'workflow_name'}
    __nested__: ClassVar[dict[str, str]] = {}


@dataclass(frozen=True)
class Workflow(Model):
    id: str
    name: str
    created_at: str
    updated_at: str
    execution_count: int
    definition: Any
    source_format: str
    problems: list[dict[str, Any]]
    description: str | None = None
    status: StatusC7dEnum | None = None
    channel: str | None = None
    published_version: int | None = None
    success_rate: float | None = None
    last_run_at: str | None = None
    input_schema: dict[str, Any] | None = None
    error_workflow_id: str | None = None
    extra: dict[str, Any] = field(default_factory=dict, repr=False)
    __wire_names__: ClassVar[dict[str, str]] = {'id': 'id', 'name': 'name', 'created_at': 'created_at', 'updated_at': 'updated_at', 'execution_count': 'execution_count', 'definition': 'definition', 'source_format': 'source_format', 'problems': 'problems', 'description': 'description', 'status': 'status', 'channel': 'channel', 'published_version': 'published_version', 'success_rate': 'success_rate', 'last_run_at': 'last_run_at', 'input_schema': 'input_schema', 'error_workflow_id': 'error_workflow_id'}
    __nested__: ClassVar[dict[str, str]] = {}


@dataclass(frozen=True)
class WorkflowList(Model):
    id: str
    name: str
    created_at: str
    updated_at: str
    execution_count: int
    description: str | None = None
    status: StatusC7dEnum | None = None
    channel: str | None = None
    published_version: int | None = None
    success_rate: float | None = None
    last_run_at: str | None = None
    extra: dict[str, Any] = field(default_factory=dict, repr=False)
    __wire_names__: ClassVar[dict[str, str]] = {'id': 'id', 'name': 'name', 'created_at': 'created_at', 'updated_at': 'updated_at', 'execution_count': 'execution_count', 'description': 'description', 'status': 'status', 'channel': 'channel', 'published_version': 'published_version', 'success_rate': 'success_rate', 'last_run_at': 'last_run_at'}
    __nested__: ClassVar[dict[str, str]] = {}


@dataclass(frozen=True)
class WorkflowWriteRequest(Model):
    """Name and metadata; the definition may come in any accepted form (see the views)."""

    name: str
    description: str | None = None
    channel: str | None = None
    definition: dict[str, Any] | None = None
    nodes: list[dict[str, Any]] | None = None
    edges: list[dict[str, Any]] | None = None
    variables: dict[str, Any] | None = None
    settings: dict[str, Any] | None = None
    pinned: dict[str, Any] | None = None
    notes: list[dict[str, Any]] | None = None
    states: dict[str, Any] | None = None
    start_at: str | None = None
    configuration: dict[str, Any] | None = None
    error_workflow_id: str | None = None
    extra: dict[str, Any] = field(default_factory=dict, repr=False)
    __wire_names__: ClassVar[dict[str, str]] = {'name': 'name', 'description': 'description', 'channel': 'channel', 'definition': 'definition', 'nodes': 'nodes', 'edges': 'edges', 'variables': 'variables', 'settings': 'settings', 'pinned': 'pinned', 'notes': 'notes', 'states': 'states', 'start_at': 'start_at', 'configuration': 'configuration', 'error_workflow_id': 'error_workflow_id'}
    __nested__: ClassVar[dict[str, str]] = {}


@dataclass(frozen=True)
class WsTicket(Model):
    ticket: str
    expires_in: int
    extra: dict[str, Any] = field(default_factory=dict, repr=False)
    __wire_names__: ClassVar[dict[str, str]] = {'ticket': 'ticket', 'expires_in': 'expires_in'}
    __nested__: ClassVar[dict[str, str]] = {}


ConnectionWriteRequest = Union[PostgresqlConnectionRequest, MysqlConnectionRequest, RestConnectionRequest]
CredentialCreateRequest = Union[ApiKeyCredentialRequest, BearerCredentialRequest, BasicCredentialRequest, Oauth2TokenCredentialRequest, SmtpCredentialRequest, DatabaseCredentialRequest, LlmCredentialRequest, HmacSecretCredentialRequest]
ExecutionOrStarted = Union[Execution, ExecutionStarted]

UNIONS: dict[str, list[str]] = {"ConnectionWriteRequest": ["PostgresqlConnectionRequest", "MysqlConnectionRequest", "RestConnectionRequest"], "CredentialCreateRequest": ["ApiKeyCredentialRequest", "BearerCredentialRequest", "BasicCredentialRequest", "Oauth2TokenCredentialRequest", "SmtpCredentialRequest", "DatabaseCredentialRequest", "LlmCredentialRequest", "HmacSecretCredentialRequest"], "ExecutionOrStarted": ["Execution", "ExecutionStarted"]}

OPERATIONS: dict[str, Operation] = {
    'api_keys_create': Operation('POST', '/api/v1/api-keys', {'201': 'ApiKeyCreated'}),
    'api_keys_destroy': Operation('DELETE', '/api/v1/api-keys/{id}', {'200': 'ApiKey'}),
    'api_keys_list': Operation('GET', '/api/v1/api-keys', {'200': '[ApiKey]'}),
    'api_keys_retrieve': Operation('GET', '/api/v1/api-keys/{id}', {'200': 'ApiKey'}),
    'audit_log_list': Operation('GET', '/api/v1/audit-log', {'200': '[AuditEvent]'}),
    'channels_create': Operation('POST', '/api/v1/channels', {'201': 'ChannelCreated'}),
    'channels_destroy': Operation('DELETE', '/api/v1/channels/{id}', {}),
    'channels_list': Operation('GET', '/api/v1/channels', {'200': '[Channel]'}),
    'channels_metrics_retrieve': Operation('GET', '/api/v1/channels/{id}/metrics', {'200': 'ChannelMetrics'}),
    'channels_partial_update': Operation('PATCH', '/api/v1/channels/{id}', {'200': 'Channel'}),
    'channels_retrieve': Operation('GET', '/api/v1/channels/{id}', {'200': 'Channel'}),
    'connections_ask_create': Operation('POST', '/api/v1/connections/{id}/ask', {'200': 'AskAnswer'}),
    'connections_create': Operation('POST', '/api/v1/connections', {'201': 'Connection'}),
    'connections_destroy': Operation('DELETE', '/api/v1/connections/{id}', {}),
    'connections_list': Operation('GET', '/api/v1/connections', {'200': '[Connection]'}),
    'connections_partial_update': Operation('PATCH', '/api/v1/connections/{id}', {'200': 'Connection'}),
    'connections_query_create': Operation('POST', '/api/v1/connections/{id}/query', {'200': 'ConnectionQueryAnswer'}),
    'connections_retrieve': Operation('GET', '/api/v1/connections/{id}', {'200': 'Connection'}),
    'connections_schema_retrieve': Operation('GET', '/api/v1/connections/{id}/schema', {'200': 'DatabaseSchema'}),
    'connections_test_create': Operation('POST', '/api/v1/connections/{id}/test', {'200': 'Check'}),
    'conversations_list': Operation('GET', '/api/v1/conversations', {'200': '[Conversation]'}),
    'conversations_retrieve': Operation('GET', '/api/v1/conversations/{id}', {'200': 'ConversationDetail'}),
    'credential_types_list': Operation('GET', '/api/v1/credential-types', {'200': '[CredentialType]'}),
    'credentials_create': Operation('POST', '/api/v1/credentials', {'201': 'Credential'}),
    'credentials_destroy': Operation('DELETE', '/api/v1/credentials/{id}', {}),
    'credentials_list': Operation('GET', '/api/v1/credentials', {'200': '[Credential]'}),
    'credentials_partial_update': Operation('PATCH', '/api/v1/credentials/{id}', {'200': 'Credential'}),
    'credentials_retrieve': Operation('GET', '/api/v1/credentials/{id}', {'200': 'Credential'}),
    'datasets_append_create': Operation('POST', '/api/v1/datasets/{id}/append', {'200': 'Dataset'}),
    'datasets_create': Operation('POST', '/api/v1/datasets', {'201': 'Dataset'}),
    'datasets_destroy': Operation('DELETE', '/api/v1/datasets/{id}', {}),
    'datasets_download_retrieve': Operation('GET', '/api/v1/datasets/{id}/download', {}),
    'datasets_list': Operation('GET', '/api/v1/datasets', {'200': '[Dataset]'}),
    'datasets_partial_update': Operation('PATCH', '/api/v1/datasets/{id}', {'200': 'Dataset'}),
    'datasets_preview_create': Operation('POST', '/api/v1/datasets/preview', {'200': 'DatasetPreview'}),
    'datasets_replace_create': Operation('POST', '/api/v1/datasets/{id}/replace', {'200': 'Dataset'}),
    'datasets_retrieve': Operation('GET', '/api/v1/datasets/{id}', {'200': 'Dataset'}),
    'datasets_rows_retrieve': Operation('GET', '/api/v1/datasets/{id}/rows', {'200': '[DatasetsRowsRetrieveItem]'}),
    'executions_cancel_create': Operation('POST', '/api/v1/executions/{execution_id}/cancel', {'200': 'Execution'}),
    'executions_events_retrieve': Operation('GET', '/api/v1/executions/{execution_id}/events', {'200': '[ExecutionsEventsRetrieveItem]'}),
    'executions_list': Operation('GET', '/api/v1/executions', {'200': '[ExecutionList]'}),
    'executions_resume_create': Operation('POST', '/api/v1/executions/{execution_id}/resume', {'200': 'Execution'}),
    'executions_retrieve': Operation('GET', '/api/v1/executions/{execution_id}', {'200': 'Execution'}),
    'executions_retry_create': Operation('POST', '/api/v1/executions/{execution_id}/retry', {'200': 'Execution'}),
    'executions_steps_retrieve': Operation('GET', '/api/v1/executions/{execution_id}/steps', {'200': '[Step]'}),
    'forms_create': Operation('POST', '/api/v1/forms', {'201': 'Form'}),
    'forms_destroy': Operation('DELETE', '/api/v1/forms/{id}', {}),
    'forms_list': Operation('GET', '/api/v1/forms', {'200': '[Form]'}),
    'forms_partial_update': Operation('PATCH', '/api/v1/forms/{id}', {'200': 'Form'}),
    'forms_retrieve': Operation('GET', '/api/v1/forms/{id}', {'200': 'Form'}),
    'forms_submissions_create': Operation('POST', '/api/v1/forms/{id}/submissions', {'201': 'Submission'}),
    'forms_submissions_list': Operation('GET', '/api/v1/forms/{id}/submissions', {'200': '[Submission]'}),
    'functions_create': Operation('POST', '/api/v1/functions', {'201': 'Function'}),
    'functions_destroy': Operation('DELETE', '/api/v1/functions/{id}', {}),
    'functions_list': Operation('GET', '/api/v1/functions', {'200': '[Function]'}),
    'functions_partial_update': Operation('PATCH', '/api/v1/functions/{id}', {'200': 'Function'}),
    'functions_retrieve': Operation('GET', '/api/v1/functions/{id}', {'200': 'Function'}),
    'functions_test_create': Operation('POST', '/api/v1/functions/{id}/test', {'200': 'FunctionTestResult'}),
    'functions_versions_list': Operation('GET', '/api/v1/functions/{id}/versions', {'200': '[FunctionVersion]'}),
    'integrations_list': Operation('GET', '/api/v1/integrations', {'200': '[Integration]'}),
    'integrations_test_create': Operation('POST', '/api/v1/integrations/{id}/test', {'200': 'Check'}),
    'knowledge_bases_create': Operation('POST', '/api/v1/knowledge-bases', {'201': 'KnowledgeBase'}),
    'knowledge_bases_destroy': Operation('DELETE', '/api/v1/knowledge-bases/{id}', {}),
    'knowledge_bases_documents_create': Operation('POST', '/api/v1/knowledge-bases/{id}/documents', {'201': 'Document'}),
    'knowledge_bases_documents_destroy': Operation('DELETE', '/api/v1/knowledge-bases/{id}/documents/{document_id}', {}),
    'knowledge_bases_documents_list': Operation('GET', '/api/v1/knowledge-bases/{id}/documents', {'200': '[Document]'}),
    'knowledge_bases_list': Operation('GET', '/api/v1/knowledge-bases', {'200': '[KnowledgeBase]'}),
    'knowledge_bases_partial_update': Operation('PATCH', '/api/v1/knowledge-bases/{id}', {'200': 'KnowledgeBase'}),
    'knowledge_bases_retrieve': Operation('GET', '/api/v1/knowledge-bases/{id}', {'200': 'KnowledgeBase'}),
    'knowledge_bases_search_list': Operation('GET', '/api/v1/knowledge-bases/{id}/search', {'200': '[Passage]'}),
    'members_destroy': Operation('DELETE', '/api/v1/members/{member_id}', {}),
    'members_list': Operation('GET', '/api/v1/members', {'200': '[Member]'}),
    'members_partial_update': Operation('PATCH', '/api/v1/members/{member_id}', {'200': 'Member'}),
    'members_retrieve': Operation('GET', '/api/v1/members/{member_id}', {'200': 'Member'}),
    'node_types_retrieve': Operation('GET', '/api/v1/node-types', {'200': '[NodeType]'}),
    'projects_list': Operation('GET', '/api/v1/projects', {'200': '[Project]'}),
    'system_executions_requeue_create': Operation('POST', '/api/v1/system/executions/{execution_id}/requeue', {'200': 'Execution'}),
    'system_queue_retrieve': Operation('GET', '/api/v1/system/queue', {'200': 'QueueOverviewSchema'}),
    'usage_retrieve': Operation('GET', '/api/v1/usage', {'200': 'Usage'}),
    'webhooks_create': Operation('POST', '/api/v1/webhooks', {'201': 'WebhookCreated'}),
    'webhooks_deliveries_list': Operation('GET', '/api/v1/webhooks/{id}/deliveries', {'200': '[Delivery]'}),
    'webhooks_deliveries_retry_create': Operation('POST', '/api/v1/webhooks/{id}/deliveries/{delivery_id}/retry', {'202': 'Delivery'}),
    'webhooks_destroy': Operation('DELETE', '/api/v1/webhooks/{id}', {}),
    'webhooks_list': Operation('GET', '/api/v1/webhooks', {'200': '[Webhook]'}),
    'webhooks_partial_update': Operation('PATCH', '/api/v1/webhooks/{id}', {'200': 'Webhook'}),
    'webhooks_retrieve': Operation('GET', '/api/v1/webhooks/{id}', {'200': 'Webhook'}),
    'webhooks_test_create': Operation('POST', '/api/v1/webhooks/{id}/test', {'202': 'Delivery'}),
    'workflows_activate_create': Operation('POST', '/api/v1/workflows/{workflow_id}/activate', {'200': 'Workflow'}),
    'workflows_create': Operation('POST', '/api/v1/workflows', {'201': 'Workflow'}),
    'workflows_deactivate_create': Operation('POST', '/api/v1/workflows/{workflow_id}/deactivate', {'200': 'Workflow'}),
    'workflows_destroy': Operation('DELETE', '/api/v1/workflows/{workflow_id}', {}),
    'workflows_execute_create': Operation('POST', '/api/v1/workflows/{workflow_id}/execute', {'202': 'ExecutionStarted', '200': 'ExecutionOrStarted'}),
    'workflows_executions_list': Operation('GET', '/api/v1/workflows/{workflow_id}/executions', {'200': '[ExecutionList]'}),
    'workflows_executions_retrieve': Operation('GET', '/api/v1/workflows/{workflow_id}/executions/{execution_id}', {'200': 'Execution'}),
    'workflows_export_retrieve': Operation('GET', '/api/v1/workflows/{workflow_id}/export', {'200': 'Export'}),
    'workflows_hooks_list': Operation('GET', '/api/v1/workflows/{workflow_id}/hooks', {'200': '[InboundHook]'}),
    'workflows_hooks_regenerate_create': Operation('POST', '/api/v1/workflows/{workflow_id}/hooks/{node_id}/regenerate', {'200': 'InboundHook'}),
    'workflows_import_create': Operation('POST', '/api/v1/workflows/import', {'201': 'Workflow'}),
    'workflows_list': Operation('GET', '/api/v1/workflows', {'200': '[WorkflowList]'}),
    'workflows_metrics_retrieve': Operation('GET', '/api/v1/workflows/{workflow_id}/metrics', {'200': 'Metrics'}),
    'workflows_partial_update': Operation('PATCH', '/api/v1/workflows/{workflow_id}', {'200': 'Workflow'}),
    'workflows_preview_create': Operation('POST', '/api/v1/workflows/{workflow_id}/preview', {'200': 'PreviewResult'}),
    'workflows_publish_create': Operation('POST', '/api/v1/workflows/{workflow_id}/publish', {'201': 'Version'}),
    'workflows_retrieve': Operation('GET', '/api/v1/workflows/{workflow_id}', {'200': 'Workflow'}),
    'workflows_test_step_create': Operation('POST', '/api/v1/workflows/{workflow_id}/test-step', {'202': 'ExecutionStarted'}),
    'workflows_update': Operation('PUT', '/api/v1/workflows/{workflow_id}', {'200': 'Workflow'}),
    'workflows_validate_create': Operation('POST', '/api/v1/workflows/{workflow_id}/validate', {'200': 'ValidationResult'}),
    'workflows_versions_list': Operation('GET', '/api/v1/workflows/{workflow_id}/versions', {'200': '[Version]'}),
    'workflows_versions_restore_create': Operation('POST', '/api/v1/workflows/{workflow_id}/versions/{number}/restore', {'200': 'Workflow'}),
    'workflows_versions_retrieve': Operation('GET', '/api/v1/workflows/{workflow_id}/versions/{number}', {'200': 'VersionDetail'}),
    'ws_tickets_create': Operation('POST', '/api/v1/ws-tickets', {'201': 'WsTicket'}),
}
