"""Turning an exception no command anticipated into ``error:``/``next:`` and an exit code.

The safety net under every command: a full disk or an unreachable store exits 4, a file or
setting that cannot be decoded exits 3, anything else exits 1, and the message is redacted.
Libraries are recognised by their classes' module and name, so nothing here imports boto3.
"""

from __future__ import annotations

import errno
from collections.abc import Callable, Iterator

from offload.errors import ExitCode, OffloadError, UnexpectedError, redact

DEBUG_VARIABLE = "OFFLOAD_DEBUG"
DEBUG_HINT = f"rerun with {DEBUG_VARIABLE}=1 to see where it happened"
FULL_ERRNOS = {errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EFBIG}
NETWORK_ERRNOS = {errno.ECONNREFUSED, errno.ECONNRESET, errno.ECONNABORTED, errno.ETIMEDOUT,
                  errno.EHOSTUNREACH, errno.ENETUNREACH, errno.ENETDOWN, errno.EHOSTDOWN}
# (module prefix, class name) of the network failures of the HTTP stacks offload uses.
NETWORK_CLASSES = {
    ("botocore", "ConnectionError"), ("botocore", "HTTPClientError"),
    ("botocore", "ClientError"), ("urllib3", "HTTPError"), ("requests", "ConnectionError"),
    ("requests", "Timeout"), ("httpx", "TransportError"), ("httpcore", "NetworkError"),
    ("httpcore", "TimeoutException"), ("socket", "gaierror"), ("socket", "herror"),
    ("urllib.error", "URLError"),
}
DECODING_CLASSES = {("yaml", "YAMLError"), ("configparser", "Error"),
                    ("botocore", "NoCredentialsError"), ("botocore", "PartialCredentialsError")}


def unexpected_error(exc: BaseException) -> UnexpectedError:
    """The user-facing form of ``exc``: what went wrong, what to do, which exit code."""
    full = _find(exc, lambda e: isinstance(e, OSError) and e.errno in FULL_ERRNOS)
    if full is not None:
        return _disk_full(full)
    network = _find(exc, _is_network)
    if network is not None:
        return _made(f"cannot reach the store or service: {_text(network)}",
                     "check the network and the endpoint (s3.endpoint_url in offload.yaml, the "
                     "rclone remote, or OFFLOAD_GEMINI_BASE_URL), then run the same command "
                     "again", ExitCode.STORE)
    if _find(exc, _is_decoding) is not None:
        return _made(f"cannot use a value offload read: {_text(exc)}",
                     "check offload.yaml, offload.lock, rclone.conf and the arguments for the "
                     f"value named above; {DEBUG_HINT}", ExitCode.CONFIG)
    if isinstance(exc, OSError):
        return _made(_text(exc), _os_next_step(exc), ExitCode.FINDINGS)
    return _made(f"unexpected {_text(exc)}", f"{DEBUG_HINT}, and report it with that output",
                 ExitCode.FINDINGS)


def _made(message: str, next_step: str, code: ExitCode) -> UnexpectedError:
    return UnexpectedError(redact(message), redact(next_step), code)


def _disk_full(exc: BaseException) -> UnexpectedError:
    assert isinstance(exc, OSError)
    what = {errno.EROFS: "the file system is read-only",
            errno.EDQUOT: "the disk quota is exhausted",
            errno.EFBIG: "the file is larger than the file system allows"}.get(
                exc.errno or 0, "no space is left on the device")
    where = f" (writing {exc.filename})" if exc.filename else ""
    return _made(f"{what}{where}",
                 "free some space (or make the store or folder writable), then run the same "
                 "command again", ExitCode.STORE)


def _os_next_step(exc: OSError) -> str:
    name = f" of {exc.filename}" if exc.filename else ""
    if exc.errno in (errno.EACCES, errno.EPERM):
        return f"check the permissions{name}, then run the same command again"
    if exc.errno in (errno.ENOENT, errno.ENOTDIR):
        return "check that the path exists (and is not being moved meanwhile), then retry"
    if exc.errno == errno.EISDIR:
        return f"a folder is where a file should be: move {exc.filename or 'it'} aside, then retry"
    return f"fix the cause named above, then run the same command again; {DEBUG_HINT}"


def _text(exc: BaseException) -> str:
    if isinstance(exc, OSError) and exc.strerror:
        where = f": {exc.filename}" if exc.filename else ""
        return f"{exc.strerror}{where}"
    detail = str(exc).strip().splitlines()[0][:300] if str(exc).strip() else ""
    return f"{type(exc).__name__}: {detail}" if detail else type(exc).__name__


def _chain(exc: BaseException) -> Iterator[BaseException]:
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen and len(seen) < 20:
        seen.add(id(current))
        yield current
        current = current.__cause__ or current.__context__


def _find(exc: BaseException, test: Callable[[BaseException], bool]) -> BaseException | None:
    return next((e for e in _chain(exc) if test(e)), None)


def _matches(exc: BaseException, classes: set[tuple[str, str]]) -> bool:
    return any(cls.__module__.startswith(module) and cls.__name__ == name
               for cls in type(exc).__mro__ for module, name in classes)


def _is_network(exc: BaseException) -> bool:
    if isinstance(exc, BrokenPipeError):
        return False  # more often a helper process (git, rclone) that died than the network
    if isinstance(exc, ConnectionError | TimeoutError):
        return True
    if isinstance(exc, OSError) and exc.errno in NETWORK_ERRNOS:
        return True
    return _matches(exc, NETWORK_CLASSES)


def _is_decoding(exc: BaseException) -> bool:
    if isinstance(exc, OffloadError):
        return False
    return isinstance(exc, UnicodeError | ValueError | OverflowError) or \
        _matches(exc, DECODING_CLASSES)
