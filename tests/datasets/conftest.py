"""Uploading files to /datasets from tests: a multipart POST and the answer's data."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile


def upload(client, path: str, content: bytes, *, filename: str = "orders.csv", **fields):
    form = {"file": SimpleUploadedFile(filename, content), **fields}
    return client.post(f"/api/v1{path}", form, format="multipart")


@pytest.fixture(autouse=True)
def local_stubs_allowed(settings):
    """The SMTP server and the fake model of the template tests live on loopback."""
    settings.FLOWBUILDER_NETWORK_ALLOW_LIST = ["127.0.0.1"]


ORDERS_CSV = (
    b"Order ID,Customer,Total,Status,Created at\r\n"
    b"1,Ada,120.50,paid,2026-10-03 09:00:00\r\n"
    b"2,Bob,80.00,failed,2026-10-04 10:30:00\r\n"
    b"3,Ada,42.25,paid,2026-10-05 11:00:00\r\n"
)


@pytest.fixture
def orders(alice_api):
    response = upload(alice_api, "/datasets", ORDERS_CSV, name="Orders")
    assert response.status_code == 201, response.content
    return response.json()["data"]


def xlsx_bytes(build) -> bytes:
    """A workbook made by `build(workbook)` with openpyxl, as bytes."""
    import openpyxl

    workbook = openpyxl.Workbook()
    build(workbook)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
