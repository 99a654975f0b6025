"""Lazy iterators over lists: page numbers for every list, a cursor for execution histories (D10)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from typing import Any, Generic, TypeVar

from flowbuilder_sdk._base import Page

T = TypeVar("T")
PAGE = "page"
CURSOR = "cursor"


def next_params(style: str, params: dict[str, Any], page: Page) -> dict[str, Any] | None:
    """The parameters of the page after `page`, or None when it was the last."""
    if not page.items:
        return None
    if style == CURSOR:
        cursor = page.meta.get("next_cursor")
        if not page.meta.get("has_more") or not cursor:
            return None
        return {**{k: v for k, v in params.items() if k not in ("page", "offset")}, "cursor": cursor}
    number = int(page.meta.get("page") or params.get("page") or 1)
    pages = page.meta.get("pages")
    if pages is None or number >= int(pages):  # no `pages`: a list answered whole
        return None
    return {**params, "page": number + 1}


class SyncPager(Generic[T]):
    """Iterate it for the items, one request per page as you go; `.pages()` for whole pages."""

    def __init__(self, fetch: Callable[[dict[str, Any]], Page], params: dict[str, Any], style: str = PAGE) -> None:
        self._fetch = fetch
        self._params = params
        self._style = style

    def pages(self) -> Iterator[Page]:
        params: dict[str, Any] | None = dict(self._params)
        while params is not None:
            page = self._fetch(params)
            yield page
            params = next_params(self._style, params, page)

    def __iter__(self) -> Iterator[T]:
        for page in self.pages():
            yield from page.items

    def first_page(self) -> Page:
        return self._fetch(dict(self._params))

    def first(self) -> T | None:
        """The first item (one request), or None for an empty list."""
        items = self.first_page().items
        return items[0] if items else None


class AsyncPager(Generic[T]):
    """`async for item in pager`, one request per page as you go; `.pages()` for whole pages."""

    def __init__(
        self, fetch: Callable[[dict[str, Any]], Awaitable[Page]], params: dict[str, Any], style: str = PAGE
    ) -> None:
        self._fetch = fetch
        self._params = params
        self._style = style

    async def pages(self) -> AsyncIterator[Page]:
        params: dict[str, Any] | None = dict(self._params)
        while params is not None:
            page = await self._fetch(params)
            yield page
            params = next_params(self._style, params, page)

    async def __aiter__(self) -> AsyncIterator[T]:
        async for page in self.pages():
            for item in page.items:
                yield item

    async def first_page(self) -> Page:
        return await self._fetch(dict(self._params))

    async def first(self) -> T | None:
        """The first item (one request), or None for an empty list."""
        items = (await self.first_page()).items
        return items[0] if items else None
