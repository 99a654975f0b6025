"""The wheel builds from sdk/python and works in a clean virtualenv holding only it and httpx.

Offline and quick: the wheel is built with hatchling (requirements-dev.txt) (no build isolation),
installed with the virtualenv's own pip (--no-deps --no-index) into a virtualenv of the oldest Python the SDK supports
when the machine has it (3.9; else this Python), and httpx with its own dependencies is lent from this
environment through PYTHONPATH (a folder of links to exactly those packages), so nothing of the
repository or of Django is importable in the clean environment.
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import sys
import zipfile
from importlib import metadata
from pathlib import Path

import httpx
import pytest
from packaging.requirements import Requirement

from tests.sdk.conftest import SDK_ROOT

pytestmark = pytest.mark.slow
PROBE = """
import sys, flowbuilder_sdk
from flowbuilder_sdk import Client, models, webhooks, NotFound
assert flowbuilder_sdk.__file__.startswith(sys.prefix), flowbuilder_sdk.__file__
try:
    import django
except ImportError:
    pass
else:
    raise SystemExit("django leaked into the clean environment")
try:
    Client()
except flowbuilder_sdk.MissingAPIKeyError as error:
    print("missing key:", error)
print(sys.version_info[:2], flowbuilder_sdk.__version__, len(models.OPERATIONS))
"""


def requirement_closure(name: str) -> set[str]:
    """The distribution and everything it needs here (markers evaluated, no extras)."""
    seen: set[str] = set()
    todo = [name]
    while todo:
        current = todo.pop()
        if current.lower() in seen:
            continue
        seen.add(current.lower())
        for line in metadata.requires(current) or []:
            requirement = Requirement(line)
            if requirement.marker is None or requirement.marker.evaluate({"extra": ""}):
                todo.append(requirement.name)
    return seen


def lend(distribution_names: set[str], folder: Path) -> Path:
    """A folder of links to the top-level modules of these installed distributions only."""
    folder.mkdir()
    for name in distribution_names:
        distribution = metadata.distribution(name)
        tops = {Path(str(file)).parts[0] for file in distribution.files or []}
        for top in tops:
            source = Path(distribution.locate_file(top))
            if top.endswith((".dist-info", ".pth")) or top in ("__pycache__", "..") or not source.exists():
                continue
            (folder / top).symlink_to(source)
    return folder


def oldest_supported_python() -> str:
    """Python 3.9 (the SDK's floor) when this machine has one (on PATH or from pyenv), else this Python."""
    pyenv = sorted(glob.glob(os.path.expanduser("~/.pyenv/versions/3.9*/bin/python")))
    candidates = [*pyenv, shutil.which("python3.9")]
    for candidate in filter(None, candidates):
        if subprocess.run([candidate, "-c", "pass"], capture_output=True, timeout=60).returncode == 0:
            return candidate
    return sys.executable


def test_the_wheel_builds_and_imports_in_a_clean_venv(tmp_path):
    build = [sys.executable, "-m", "pip", "wheel", str(SDK_ROOT), "--no-deps", "--no-build-isolation",
             "--no-index", "-w", str(tmp_path / "dist"), "-q"]  # fmt: skip
    subprocess.run(build, check=True, capture_output=True, timeout=300, cwd=tmp_path)
    (wheel,) = (tmp_path / "dist").glob("flowbuilder_sdk-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert {"flowbuilder_sdk/models.py", "flowbuilder_sdk/py.typed", "flowbuilder_sdk/resources/workflows.py"} <= set(
        names
    )
    metadata = next(name for name in names if name.endswith("METADATA"))
    assert "Requires-Dist: httpx" in zipfile.ZipFile(wheel).read(metadata).decode()

    venv = tmp_path / "venv"
    python = oldest_supported_python()
    # The venv's own pip (ensurepip, offline) installs the wheel: the pip of this environment may be
    # too new to install into an older Python (pip 26 refuses `--python` for 3.9).
    subprocess.run([python, "-m", "venv", str(venv)], check=True, timeout=300)
    install = [str(venv / "bin" / "python"), "-m", "pip", "install", "--no-deps", "--no-index", "-q", str(wheel)]
    installed = subprocess.run(install, capture_output=True, text=True, timeout=300)
    assert installed.returncode == 0, installed.stderr

    lent = lend(requirement_closure("httpx"), tmp_path / "lent")
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(lent)}
    probe = subprocess.run([str(venv / "bin" / "python"), "-c", PROBE], cwd=tmp_path, env=env, capture_output=True,
                           text=True, timeout=120)  # fmt: skip
    assert probe.returncode == 0, probe.stderr
    assert "FLOWBUILDER_API_KEY" in probe.stdout and probe.stdout.split()[-2] == "0.1.0"
    print(python, probe.stdout.splitlines()[-1])
    assert httpx  # the lent httpx is this environment's own
