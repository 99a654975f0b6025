"""The TypeScript SDK's types never drift from the API: sdk/typescript/src/schema.ts is what
openapi-typescript makes of the schema /api/v1/schema/ serves now.

Regenerate with `make sdk-generate-ts` after an API change; this test fails until then, naming
that command. (The npm script `generate` holds the generator's options, so both use the same.)
"""

from __future__ import annotations

import difflib
import json
import shutil
import subprocess

import pytest
from django.test import Client

from tests.workflows.processes import ROOT

SDK = ROOT / "sdk" / "typescript"


@pytest.mark.skipif(shutil.which("npm") is None, reason="Node.js is needed for the TypeScript SDK")
def test_the_typescript_sdk_types_match_the_live_schema(db, tmp_path):
    schema = Client().get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert schema.status_code == 200
    (tmp_path / "schema.json").write_text(json.dumps(schema.json()))
    if not (SDK / "node_modules" / ".bin" / "openapi-typescript").exists():
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=SDK, check=True, timeout=600)
    generated = tmp_path / "schema.ts"
    # `npm run generate -- <schema>` writes src/schema.ts; the same options, into tmp_path here.
    script = json.loads((SDK / "package.json").read_text())["scripts"]["generate"]
    command = [*script.replace("src/schema.ts", str(generated)).split(), str(tmp_path / "schema.json")]
    subprocess.run(["npx", "--no-install", *command], cwd=SDK, check=True, capture_output=True, timeout=300)
    committed = (SDK / "src" / "schema.ts").read_text()
    fresh = generated.read_text()
    if fresh != committed:
        lines = difflib.unified_diff(committed.splitlines(True), fresh.splitlines(True), "committed", "from the schema")
        pytest.fail(
            "sdk/typescript/src/schema.ts is out of date with /api/v1/schema/: "
            "run `make sdk-generate-ts` and commit it.\n" + "".join(list(lines)[:80])
        )
