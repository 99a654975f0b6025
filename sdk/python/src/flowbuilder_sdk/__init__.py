"""The official Python SDK of the Flowbuilder API.

    from flowbuilder_sdk import Client
    client = Client()  # FLOWBUILDER_API_KEY, or Client("wf_live_...")
    run = client.workflows.execute_and_wait("wf_...", {"name": "Ada"})
"""

from flowbuilder_sdk import models, webhooks
from flowbuilder_sdk._base import Page
from flowbuilder_sdk._pagination import AsyncPager, SyncPager
from flowbuilder_sdk._version import __version__
from flowbuilder_sdk.client import AsyncClient, Client
from flowbuilder_sdk.errors import (
    AddressBlocked,
    APIConnectionError,
    APIError,
    APITimeoutError,
    AuthenticationError,
    Conflict,
    ConnectionFailed,
    FlowbuilderError,
    InternalError,
    InvalidInput,
    InvalidNodeConfig,
    InvalidWorkflowConfig,
    MethodNotAllowed,
    MissingAPIKeyError,
    MissingRequiredField,
    NotAcceptable,
    NotFound,
    PayloadTooLarge,
    PermissionDenied,
    PlanUpgradeRequired,
    PreconditionFailed,
    RateLimited,
    ServiceUnavailable,
    UnsupportedMediaType,
    ValidationError,
    WaitTimeoutError,
    WebhookVerificationError,
    WorkflowAlreadyExists,
    WorkflowExecutionFailed,
    WorkflowNotFound,
)
from flowbuilder_sdk.models import ExecutionsEventsRetrieveItem as ExecutionEvent

__all__ = [
    "APIConnectionError", "APIError", "APITimeoutError", "AddressBlocked", "AsyncClient", "AsyncPager",
    "AuthenticationError", "Client", "Conflict", "ConnectionFailed", "ExecutionEvent", "FlowbuilderError",
    "InternalError", "InvalidInput", "InvalidNodeConfig", "InvalidWorkflowConfig", "MethodNotAllowed",
    "MissingAPIKeyError", "MissingRequiredField", "NotAcceptable", "NotFound", "Page", "PayloadTooLarge",
    "PermissionDenied", "PlanUpgradeRequired", "PreconditionFailed", "RateLimited", "ServiceUnavailable",
    "SyncPager", "UnsupportedMediaType", "ValidationError", "WaitTimeoutError", "WebhookVerificationError",
    "WorkflowAlreadyExists", "WorkflowExecutionFailed", "WorkflowNotFound", "__version__", "models", "webhooks",
]  # fmt: skip
