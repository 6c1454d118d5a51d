"""A provider that runs the user's own command; placeholders become separate arguments.

``{references}`` stands for every reference image: a word holding it is repeated once per
reference (``--image={references}`` → ``--image=a --image=b``) and dropped when there is none.
"""

from __future__ import annotations

import re
import shlex
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path

from offload.errors import UsageError
from offload.generate.provider import ImageRequest, ProviderError, Reference, as_png

_PLACEHOLDER = re.compile(r"\{([a-z]+)\}")
_EACH = "{references}"
_SUFFIX = {"image/png": ".png", "image/jpeg": ".jpg", "image/webp": ".webp"}


def split_template(template: str, example: str) -> list[str]:
    """The template's words; it must name a program and say where to write ``{output}``."""
    try:
        words = shlex.split(template)
    except ValueError as exc:
        raise UsageError(f"--command cannot be split into arguments: {exc}",
                         "check the quotes in the --command template") from exc
    if not words or "{output}" not in template:
        raise UsageError("--command must name a program and contain {output}",
                         f"e.g. --command '{example}'")
    return words


def expand(words: Sequence[str], values: dict[str, str],
           references: Sequence[str] = ()) -> list[str]:
    """Each word is one argument; a lone ``{reference}`` without one is dropped.

    Placeholders are filled before ``{references}`` is, so a prompt that says
    "{references}" stays as written; an unknown ``{name}`` is left alone.
    """
    argv: list[str] = []
    for word in words:
        if word == "{reference}" and not values.get("reference"):
            continue
        pieces = [_PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), piece)
                  for piece in word.split(_EACH)]
        if len(pieces) == 1:
            argv.append(pieces[0])
        else:
            argv.extend(path.join(pieces) for path in references)
    return argv


def run_command(argv: list[str], output: Path) -> bytes:
    """Run without a shell; the bytes it wrote to ``output``, or ProviderError."""
    try:
        proc = subprocess.run(argv, capture_output=True, text=True, check=False)
    except OSError as exc:
        raise ProviderError(f"cannot run {argv[0]!r}: {exc.strerror}",
                            "check the program name in --command and that it is on PATH"
                            ) from exc
    if proc.returncode != 0:
        tail = (proc.stderr or proc.stdout).strip()[-400:]
        raise ProviderError(
            f"{argv[0]} exited with status {proc.returncode}" + (f": {tail}" if tail else ""),
            "fix the command (run it by hand with the same arguments); nothing was recorded")
    if not output.is_file() or output.stat().st_size == 0:
        raise ProviderError(f"{argv[0]} exited 0 but wrote nothing to {{output}}",
                            "make the command write its result to the path given as "
                            "{output}; nothing was recorded")
    return output.read_bytes()


class CommandProvider:
    name = "command"

    def __init__(self, template: str) -> None:
        self.argv_template = split_template(
            template, "my-gen --prompt {prompt} --image={references} --out {output}")

    def model_name(self, requested: str | None) -> str | None:
        return requested or Path(self.argv_template[0]).name

    def generate(self, request: ImageRequest) -> bytes:
        with tempfile.TemporaryDirectory(prefix="offload-command-") as tmp:
            output = Path(tmp) / f"v{request.version}.png"
            files = [_write_reference(Path(tmp), n, r) for n, r in enumerate(request.references)]
            size = f"{request.size[0]}x{request.size[1]}" if request.size else ""
            values = {"prompt": request.instruction, "reference": files[0] if files else "",
                      "output": str(output), "seed": "" if request.seed is None
                      else str(request.seed), "version": str(request.version),
                      "character": request.character, "size": size, "title": request.title}
            argv = self.argv(values, files)
            return as_png(run_command(argv, output), f"the output of {argv[0]}")

    def argv(self, values: dict[str, str], references: Sequence[str] = ()) -> list[str]:
        return expand(self.argv_template, values, references)


def _write_reference(folder: Path, index: int, reference: Reference) -> str:
    """``reference`` (no suffix, as before) for the first, ``reference-2.png``… after it."""
    name = "reference" if index == 0 else f"reference-{index + 1}"
    path = folder / (name + ("" if index == 0 else _SUFFIX.get(reference.mime_type, "")))
    path.write_bytes(reference.data)
    return str(path)
