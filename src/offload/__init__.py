"""offload: get generated binary artifacts out of git and into S3-compatible storage."""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:  # typing costs milliseconds on the hook path
    from typing import Any

__version__ = "0.1.0"
__all__ = ["Store", "__version__"]


def __getattr__(name: str) -> Any:
    # Lazy so that `import offload` (the hook path) stays cheap.
    if name == "Store":
        from offload.api import Store

        return Store
    raise AttributeError(name)
