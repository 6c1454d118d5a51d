"""The command provider: placeholders are separate arguments, never a shell."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from testing.repos import GitRepo
from tests.generate.helpers import turnaround

SCRIPT = """
import json, sys
from PIL import Image
prompt, reference, output, log = sys.argv[1:5]
Image.new("RGB", (32, 16), (9, 9, 9)).save(output, format="JPEG")
open(log, "w").write(json.dumps(sys.argv[1:]))
"""


def test_arguments_are_passed_verbatim(repo: GitRepo, tmp_path: Path) -> None:
    script = tmp_path / "gen.py"
    script.write_text(SCRIPT)
    log = tmp_path / "argv.json"
    marker = tmp_path / "pwned"
    prompt = f"pilot; touch {marker} $(touch {marker}) 'quoted' \"double\""
    first = turnaround(repo, "--character", "mira", "--prompt", "p", "--json")
    template = f"{sys.executable} {script} {{prompt}} {{reference}} {{output}} {log}"
    result = turnaround(repo, "--character", "mira", "--prompt", prompt,
                        "--reference", "characters/mira/turnaround/v1.png",
                        "--provider", "command", "--command", template, "--json")
    assert result.rc == 0, result.output
    sent_prompt, reference, output, _ = json.loads(log.read_text())
    assert prompt in sent_prompt
    assert not marker.exists()
    assert Path(reference).name == "reference" and output.endswith("v2.png")
    record = result.json()
    assert record["meta"]["provider"] == "command" and record["meta"]["model"] == Path(
        sys.executable).name
    assert record["meta"]["reference_sha256"] == first.json()["sha256"]
    from PIL import Image

    assert Image.open(record["url"].removeprefix("file://")).format == "PNG"
