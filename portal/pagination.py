"""One page of a paginated list, as the list pages show it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ResultPage:
    """One page of results: ``items`` (the rows of this page), the 1-based ``page``,
    ``per_page`` (rows a page, at least 1) and ``total`` (rows over all pages)."""

    items: list
    page: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        """Number of pages, at least 1 (an empty result is one empty page)."""
        return max(1, -(-self.total // self.per_page))

    @property
    def has_prev(self) -> bool:
        """True when a page comes before this one."""
        return self.page > 1

    @property
    def has_next(self) -> bool:
        """True when a page comes after this one."""
        return self.page < self.pages
