"""Chat channel adapters; importing the package registers every built-in one."""

from chat.adapters import generic, web, whatsapp  # noqa: F401 - each module registers itself
from chat.adapters.base import Adapter, DeliveryError, SettingsInvalid, adapter_for, adapter_types, register

__all__ = ["Adapter", "DeliveryError", "SettingsInvalid", "adapter_for", "adapter_types", "register"]
