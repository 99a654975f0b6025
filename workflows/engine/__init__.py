"""Flowbuilder's workflow engine: pure Python, no Django, RQ or Channels.

What the Django side calls:

- `to_canonical(data)` / `from_canonical(canonical, fmt)` / `detect_format(data)`: accept the
  state-machine (`states`) and chatbot (`configuration`) forms and export them back.
- `validate_definition(data, registry) -> list[Problem]`: every problem with a JSON path
  (`nodes[3].config.url`) and an UPPER_SNAKE code; empty means runnable.
- `default_registry()` -> `NodeRegistry`; `registry.register(MyNodeType)` adds integrations;
  `registry.describe()` is the body of GET /api/v1/node-types.
- `run_workflow(definition, registry=, journal=, trigger_node_id=, trigger_payload=,
  execution=, clock=, sleep=, services=, cancel_check=, resume=) -> RunOutcome`.
  The host supplies a `Journal` (ORM-backed; `InMemoryJournal` in tests) and a `services`
  mapping (`http_client`, `http_allow_list`, `credential_resolver`, `chat_sender`, `chat_validate_field`,
  `functions`, `run_sub_workflow`) so integrations reach nodes without engine imports.
- A `waiting` outcome carries `resume_at` (schedule a delayed job) and `waiting_for`
  (event name / sub-workflow and the parked `step_key`); resume by calling `run_workflow`
  again with the same journal and `resume={"step_key"|"node_id": ..., "payload": ...}`
  (or `"timed_out": True`). Crash recovery is the same call without `resume`.
- Values are JSON at the boundary: each step's output is converted when it finishes
  (`values.py`: datetimes → ISO 8601, Decimal → number or text, bytes → {"$bytes": base64});
  a value with no JSON form fails the step with `OUTPUT_NOT_JSON` naming its path.
- Node-level `retry` {max_attempts, backoff_seconds, backoff_multiplier,
  max_delay_seconds} and `timeout_seconds` sit beside `config` in each node.
"""

from __future__ import annotations

from .convert import detect_format, from_canonical, to_canonical
from .definition import Definition, Edge, Node, RetryPolicy
from .expressions import ExpressionError
from .http_client import BlockedAddressError, GuardedHttpClient, HttpResponse, ResponseTooLargeError
from .journal import InMemoryJournal, Journal, StepRecord
from .registry import NodeContext, NodeError, NodeRegistry, NodeResult, NodeType, Wait, default_registry
from .runner import RunOutcome, run_workflow
from .validation import Problem, validate_definition

__all__ = [
    "BlockedAddressError",
    "Definition",
    "Edge",
    "ExpressionError",
    "GuardedHttpClient",
    "HttpResponse",
    "InMemoryJournal",
    "Journal",
    "Node",
    "NodeContext",
    "NodeError",
    "NodeRegistry",
    "NodeResult",
    "NodeType",
    "Problem",
    "ResponseTooLargeError",
    "RetryPolicy",
    "RunOutcome",
    "StepRecord",
    "Wait",
    "default_registry",
    "detect_format",
    "from_canonical",
    "run_workflow",
    "to_canonical",
    "validate_definition",
]
