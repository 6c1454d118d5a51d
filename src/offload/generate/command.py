"""A provider that runs the user's own command; placeholders become separate arguments.

``{references}`` stands for every reference image: a word holding it is repeated once per
reference (``--image={references}`` → ``--image=a --image=b``) and dropped when there is none.
"""

from __future__ import annotations

import re
import shlex
import subprocess
import tempfile
from pathlib import Path

from offload.errors import UsageError
from offload.generate.provider import ImageRequest, ProviderError, Reference, as_png

_PLACEHOLDER = re.compile(r"\{(prompt|reference|output|seed|version|character|size|title)\}")
_EACH = "{references}"
_SUFFIX = {"image/png": ".png", "image/jpeg": ".jpg", "image/webp": ".webp"}


class CommandProvider:
    name = "command"

    def __init__(self, template: str) -> None:
        try:
            self.argv_template = shlex.split(template)
        except ValueError as exc:
            raise UsageError(f"--command cannot be split into arguments: {exc}",
                             "check the quotes in the --command template") from exc
        if not self.argv_template or "{output}" not in template:
            raise UsageError("--command must name a program and contain {output}",
                             "e.g. --command 'my-gen --prompt {prompt} --out {output}'")

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
            try:
                proc = subprocess.run(argv, capture_output=True, text=True, check=False)
            except OSError as exc:
                raise ProviderError(f"cannot run {argv[0]!r}: {exc.strerror}",
                                    "check the program name in --command and that it is "
                                    "on PATH") from exc
            if proc.returncode != 0:
                tail = (proc.stderr or proc.stdout).strip()[-400:]
                raise ProviderError(
                    f"{argv[0]} exited with status {proc.returncode}"
                    + (f": {tail}" if tail else ""),
                    "fix the command (run it by hand with the same arguments); nothing was "
                    "recorded")
            if not output.is_file() or output.stat().st_size == 0:
                raise ProviderError(f"{argv[0]} exited 0 but wrote nothing to {{output}}",
                                    "make the command write the image to the path given as "
                                    "{output}; nothing was recorded")
            return as_png(output.read_bytes(), f"the output of {argv[0]}")

    def argv(self, values: dict[str, str], references: list[str] | None = None) -> list[str]:
        """Each template word is one argument; a lone ``{reference}`` without one is dropped."""
        argv: list[str] = []
        for word in self.argv_template:
            if word == "{reference}" and not values["reference"]:
                continue
            pieces = [_PLACEHOLDER.sub(lambda m: values[m.group(1)], piece)
                      for piece in word.split(_EACH)]
            if len(pieces) == 1:
                argv.append(pieces[0])
            else:  # filled first, so a prompt that says "{references}" stays as written
                argv.extend(path.join(pieces) for path in references or [])
        return argv


def _write_reference(folder: Path, index: int, reference: Reference) -> str:
    """``reference`` (no suffix, as before) for the first, ``reference-2.png``… after it."""
    name = "reference" if index == 0 else f"reference-{index + 1}"
    path = folder / (name + ("" if index == 0 else _SUFFIX.get(reference.mime_type, "")))
    path.write_bytes(reference.data)
    return str(path)
