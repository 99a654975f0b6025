"""Built-in node types, one module per family."""

from __future__ import annotations

from ..registry import NodeType
from .chat import CHAT_TYPES
from .data import DATA_TYPES
from .function import FUNCTION_TYPES
from .http import HTTP_TYPES
from .logic import LOGIC_TYPES
from .triggers import TRIGGER_TYPES

BUILTIN_NODE_TYPES: list[type[NodeType]] = [
    *TRIGGER_TYPES,
    *LOGIC_TYPES,
    *DATA_TYPES,
    *HTTP_TYPES,
    *CHAT_TYPES,
    *FUNCTION_TYPES,
]
