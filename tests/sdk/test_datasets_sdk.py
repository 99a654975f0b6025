"""The Python SDK's `client.datasets` (multipart uploads, a raw CSV download) and
`client.connections.query`, against a real server."""

from __future__ import annotations

import asyncio

import flowbuilder_sdk as sdk  # noqa: E402
import pytest

from accounts.models import Role
from tests.sdk.conftest import SDK_SOURCE  # noqa: F401 (puts sdk/python/src on the path)


@pytest.mark.slow
def test_datasets_through_the_sdk(live_api, acme, make_key):
    _, plaintext = make_key(acme, Role.ADMIN)
    client = sdk.Client(plaintext, base_url=live_api)
    preview = client.datasets.preview(b"Day;Total\n2024-01-01;1.5\n", filename="x.csv")
    assert [(c.name, c.type) for c in preview.columns] == [("day", "date"), ("total", "decimal")]
    dataset = client.datasets.create("Orders", b"Customer,Total\nAda,10\nBob,5\n", types={"total": "integer"})
    assert dataset.row_count == 2 and [c.type for c in dataset.columns] == ["text", "integer"]
    dataset = client.datasets.append(dataset.id, b"Customer,Total\nAda,7\n")
    assert [row.to_dict() for row in client.datasets.rows(dataset.id)] == [
        {"customer": "Ada", "total": 10}, {"customer": "Bob", "total": 5}, {"customer": "Ada", "total": 7}
    ]  # fmt: skip
    assert client.datasets.download(dataset.id) == b"Customer,Total\r\nAda,10\r\nBob,5\r\nAda,7\r\n"
    [connection] = [c for c in client.connections.list() if c.kind == "datasets"]
    answer = client.connections.query(connection.id, "SELECT customer, sum(total) AS s FROM orders "
                                      "WHERE total > %s GROUP BY 1 ORDER BY 2 DESC", params=[1])  # fmt: skip
    assert answer.rows == [{"customer": "Ada", "s": 17}, {"customer": "Bob", "s": 5}]
    with pytest.raises(sdk.APIError) as refused:
        client.datasets.replace(dataset.id, b"a,b\n1\n")
    assert refused.value.code == "FILE_RAGGED"
    assert client.datasets.get(dataset.id).row_count == 3

    async def upload_async():
        async with sdk.AsyncClient(plaintext, base_url=live_api) as aclient:
            return await aclient.datasets.create("Async", ("a.csv", b"n\n1\n"))

    assert asyncio.run(upload_async()).table_name == "async"
    client.datasets.delete(dataset.id)
