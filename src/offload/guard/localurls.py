"""file:// URLs written into committed documents work on this machine only: say so, once."""

from __future__ import annotations

from collections.abc import Iterable, Sequence


def local_url_warning(documents: Sequence[str], urls: Iterable[str | None]) -> str | None:
    """A ``warning:`` + ``next:`` text when ``documents`` received URLs among which some are
    ``file://`` URLs (a local store without ``public_url``); None otherwise."""
    if not documents or not any(url and url.startswith("file://") for url in urls):
        return None
    names = sorted(set(documents))
    listed = ", ".join(names[:5]) + (f" … and {len(names) - 5} more" if len(names) > 5 else "")
    return (f"warning: {len(names)} document(s) now hold file:// URLs, which open "
            f"only on this machine: {listed}\n"
            "  next: set `public_url:` in offload.yaml (with a shared store such as R2) before "
            "you push; URLs already committed move with `offload rebase-urls plan --from "
            "FILE_URL_BASE --to https://…`")
