"""The node registry the Django side runs with: the engine's built-ins plus integrations."""

from __future__ import annotations

import functools
import importlib

from workflows.engine import NodeRegistry, default_registry

# Apps that add node types expose `register_integration_nodes(registry)` in `<app>.nodes`.
NODE_PROVIDERS = ("integrations.nodes",)


@functools.cache
def get_registry() -> NodeRegistry:
    registry = default_registry()
    for module_name in NODE_PROVIDERS:
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as error:
            if error.name != module_name:
                raise
            continue
        module.register_integration_nodes(registry)
    return registry
