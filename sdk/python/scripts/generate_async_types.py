"""Write flowbuilder_sdk/_async_types.py: what AsyncClient's namespaces look like to a type checker.

    python sdk/python/scripts/generate_async_types.py OUTPUT.py

The namespaces are written once and shared by both clients (resources/_resource.py); on
AsyncClient each method answers an awaitable, lists an AsyncPager and `stream` an async
iterator. This reads the sync signatures and writes them as Protocols with those return types,
so `await client.workflows.get(...)` type-checks as a Workflow. Only type checkers read the
output (AsyncClient imports it under TYPE_CHECKING); tests/sdk/test_models_drift.py regenerates
and diffs it like the models.
"""

from __future__ import annotations

import inspect
import re
import sys
from pathlib import Path
from typing import get_args

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from flowbuilder_sdk import models  # noqa: E402
from flowbuilder_sdk.client import Namespaces  # noqa: E402

HEADER = '''"""AsyncClient's namespaces as a type checker sees them, generated from the sync ones. Do not edit.

Regenerate with `make sdk-generate` (sdk/python/scripts/generate_async_types.py).
"""

from __future__ import annotations

import builtins
from collections.abc import AsyncIterator, Mapping
from typing import Any, Protocol

from flowbuilder_sdk._base import Page
from flowbuilder_sdk._pagination import AsyncPager
'''


def namespaces() -> dict[str, type]:
    """Attribute name → resource class, as both clients attach them."""
    probe = Namespaces()
    probe._attach_resources()
    return {name: type(value) for name, value in vars(probe).items()}


def type_parameter(cls: type) -> str | None:
    """The model a generic CRUD namespace is about (`Forms(CrudResource[Form])` → 'Form')."""
    for base in getattr(cls, "__orig_bases__", ()):
        arguments = get_args(base)
        if arguments and isinstance(arguments[0], type):
            return arguments[0].__name__
    return None


def model_names() -> set[str]:
    """What the models module defines (not what it imports from typing)."""
    imported = {"Any", "ClassVar", "Literal", "Union", "Model", "Operation"}
    return {name for name in vars(models) if name[0].isupper() and name not in imported}


def method_stub(name: str, function, model: str | None) -> str:
    signature = inspect.signature(function)
    returns = str(signature.return_annotation)
    parameters = re.sub(r": '([^']*)'", r": \1", str(signature.replace(return_annotation=inspect.Signature.empty)))
    if model:
        returns, parameters = re.sub(r"\bT\b", model, returns), re.sub(r": T\b", f": {model}", parameters)
    if returns.startswith("SyncPager["):
        return f"    def {name}{parameters} -> AsyncPager[{returns[len('SyncPager['):]}: ..."
    if returns.startswith("Iterator["):
        return f"    def {name}{parameters} -> AsyncIterator[{returns[len('Iterator['):]}: ..."
    return f"    async def {name}{parameters} -> {returns}: ..."


def protocol(attribute: str, cls: type) -> tuple[str, str]:
    model = type_parameter(cls)
    lines = [f"class Async{cls.__name__}(Protocol):", f'    """`AsyncClient.{attribute}`."""', ""]
    for name, function in sorted(inspect.getmembers(cls, inspect.isfunction)):
        if not name.startswith("_"):
            lines.append(method_stub(name, function, model))
    return f"Async{cls.__name__}", "\n".join(lines) + "\n"


def generate() -> str:
    classes = namespaces()
    written = [protocol(attribute, cls) for attribute, cls in classes.items()]
    body = "\n\n".join(text for _, text in written)
    used = sorted((name for name in set(re.findall(r"\b[A-Z]\w+\b", body)) if name in model_names()), key=str.lower)
    imports = "from flowbuilder_sdk.models import (\n" + "".join(f"    {name},\n" for name in used) + ")\n"
    attributes = "".join(f"    {attribute}: {name}\n" for attribute, (name, _) in zip(classes, written))
    summary = (
        "class AsyncNamespaces:\n"
        '    """Every namespace of AsyncClient (a base class for type checkers only)."""\n\n'
        f"{attributes}\n    def _attach_resources(self) -> None: ...\n"
    )
    return f"{HEADER}{imports}\n\n{body}\n\n{summary}"


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    Path(argv[1]).write_text(generate())
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
