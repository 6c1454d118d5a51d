"""Credentials are found in every staged blob, in every shape a key is written, and block fix."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

import pytest

from testing.cli import cli_env, run_offload
from testing.repos import GitRepo
from tests.guard.helpers import FAKE_SECRET, PNG, check_json, configured, store_holds

# Made-up values with the shape of real ones (never valid anywhere).
KEY = "Zq8Rt3vWz1Lm9Kd2Xp7Yh4Nc6Bf0"
GOOGLE = "AIzaSyD8rT3vWz1Lm9Kd2Xp7Yh4Nc6Bf0Gs5TjQ"
ALLOWING = ('artifacts:\n  include: ["*.png"]\n  max_bytes: 4096\n'
            '  allow: ["vendor/*"]\n')


def staged_credentials(repo: GitRepo, files: Mapping[str, str | bytes]) -> dict[str, int]:
    """Stage ``files``; return the line of the credential found in each, by path."""
    for name, content in files.items():
        repo.write(name, content)
    repo.add(*files)
    rc, report = check_json(repo.path, "--staged")
    assert rc in (0, 1)
    return {f["path"]: f["line"] for f in report["findings"] if f["kind"] == "credential"}


def test_every_way_of_writing_a_key_is_found(repo: GitRepo) -> None:
    written = {
        "minified.json": f'{{"name":"x","GEMINI_API_KEY":"{KEY}","n":1}}',
        "nested.json": f'{{\n  "env": {{"prod": {{"secret_access_key": "{KEY}"}}}}\n}}\n',
        "escaped.json": f'{{"cfg": "{{\\"GEMINI_API_KEY\\":\\"{KEY}\\"}}"}}',
        "app.js": f'// config\nconst GEMINI_API_KEY = "{KEY}";\n',
        "camel.ts": f"export const s3 = {{ secretAccessKey: '{KEY}' }};\n",
        "settings.py": f'import os\nos.environ["GEMINI_API_KEY"] = "{KEY}"\n',
        "setenv.py": f'os.environ.setdefault("GOOGLE_API_KEY", "{KEY}")\n',
        "main.go": f'geminiApiKey := "{KEY}"\n',
        "todo.env": f"GEMINI_API_KEY={KEY}  # TODO: move to the vault\n",
        "comment.js": f"let k = {{gemini_api_key: '{KEY}'}} // placeholder, replace me\n",
        "google.txt": f"the key is {GOOGLE} for now\n",
        "aws.txt": f"creds: AKIAIOSFODNN7ABCDEFG {FAKE_SECRET}\n",
    }
    found = staged_credentials(repo, written)
    assert sorted(found) == sorted(written)
    assert found["nested.json"] == 2 and found["app.js"] == 2
    result = run_offload("check", "--staged", cwd=repo.path)
    assert result.rc == 1
    assert KEY not in result.output and GOOGLE not in result.output


def test_references_templates_and_placeholder_values_are_not_keys(repo: GitRepo) -> None:
    written = {
        "use.py": 'GEMINI_API_KEY = os.environ["GEMINI_API_KEY"]\n'
                  'key = os.environ.get("GEMINI_API_KEY")\n',
        "ci.yml": "env:\n  gemini_api_key: ${{ secrets.GEMINI_API_KEY }}\n",
        "settings.py": "GEMINI_API_KEY = settings.GEMINI_API_KEY\n",
        ".env.example": "GEMINI_API_KEY=\nAWS_SECRET_ACCESS_KEY=\nsecret_access_key = <your key>\n",
        "README.md": "Set GEMINI_API_KEY in your shell; secret_access_key: see rclone.conf.\n"
                     'GEMINI_API_KEY="your-gemini-key-here"\n',
        "docker.env": "SECRET_ACCESS_KEY_FILE=/run/secrets/r2-key-2024\n",
        "run.sh": 'export GEMINI_API_KEY="$(pass show gemini)"\n'
                  'if [ "$GEMINI_API_KEY" == "x" ]; then exit 1; fi\n',
    }
    assert staged_credentials(repo, written) == {}


def test_large_binary_and_allow_listed_blobs_are_scanned(repo: GitRepo) -> None:
    configured(repo, ALLOWING)
    line = f"AWS_SECRET_ACCESS_KEY={FAKE_SECRET}\n".encode()
    boundary = 1 << 20  # where the scanner's first read ends: the key straddles it
    blobs = {
        "big.env": b"# settings\n" * 1000 + line,  # over max_bytes
        "nul.txt": b"\0\1\2 binary header\n" + line,
        "frame.png": PNG + b"tEXtComment\0" + line,
        "vendor/huge.cfg": b"x" * (boundary - 10) + b"\n" + line,
        "vendor/blob.dat": b"\0" * 100 + line,
    }
    found = staged_credentials(repo, blobs)
    assert sorted(found) == sorted(blobs)
    assert found["big.env"] == 1001 and found["vendor/huge.cfg"] == 2


def test_fix_never_uploads_a_file_with_a_credential(repo: GitRepo) -> None:
    leaky = PNG + f"tEXtComment GEMINI_API_KEY={KEY}\n".encode()
    big = b"#" * 5000 + f"\nsecret_access_key = {KEY}\n".encode()
    repo.write("shots/leaky.png", leaky)
    repo.write("notes/big.cfg", big)
    repo.write("shots/clean.png", PNG)
    repo.add("shots", "notes")
    result = run_offload("fix", cwd=repo.path)
    assert result.rc == 1, result.output
    assert "error: shots/leaky.png:4" in result.stderr and "notes/big.cfg:2" in result.stderr
    assert "rotate" in result.stderr and KEY not in result.output
    assert "offloaded shots/clean.png" in result.stdout
    staged = repo.git("diff", "--cached", "--name-only").split()
    assert "shots/leaky.png" in staged and "notes/big.cfg" in staged
    assert "shots/clean.png" not in staged
    assert not store_holds(repo, leaky) and not store_holds(repo, big)
    assert store_holds(repo, PNG)
    lock = (repo.path / "offload.lock").read_text()
    assert "clean.png" in lock and "leaky.png" not in lock and "big.cfg" not in lock



# VmHWM: this process's own peak RSS (ru_maxrss would include the forking parent's).
PEAK = """
import sys
from offload.guard.hook import main
code = main(["check", "--staged", "--json"])
with open("/proc/self/status") as status:
    peak = next(line.split()[1] for line in status if line.startswith("VmHWM:"))
sys.stderr.write("peak-kib %s\\n" % peak)
raise SystemExit(code)
"""


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs Linux /proc")
def test_a_large_blob_is_streamed_not_held(repo: GitRepo) -> None:
    size = 32 << 20
    with open(repo.path / "take.mov.txt", "wb") as out:
        for _ in range(size >> 20):
            out.write(b"frame data " * 95325 + b"\n")  # a line of about 1 MiB
        out.write(f"GEMINI_API_KEY={KEY}\n".encode())
    repo.add("take.mov.txt")
    proc = subprocess.run([sys.executable, "-c", PEAK], cwd=repo.path, env=cli_env(),
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 1, proc.stderr
    report = json.loads(proc.stdout)
    lines = [f["line"] for f in report["findings"] if f["kind"] == "credential"]
    assert lines == [(size >> 20) + 1]
    peak_mib = int(proc.stderr.split("peak-kib ")[1].split()[0]) / 1024
    assert peak_mib < 32, f"peak RSS {peak_mib:.0f} MiB for a {size >> 20} MiB blob"
