"""The gemini provider end to end against a local server speaking generateContent."""

from __future__ import annotations

import base64
import io
import re

import pytest
from PIL import Image

from testing.fake_gemini import FakeGemini
from testing.repos import GitRepo
from tests.generate.helpers import manifest_lines, turnaround

KEY = "AIza-test-key-never-printed"


def env_for(server: FakeGemini, key: str | None = KEY) -> dict[str, str]:
    env = {"OFFLOAD_GEMINI_BASE_URL": server.base_url}
    if key is not None:
        env["GEMINI_API_KEY"] = key
    return env


def test_text_then_image_to_image_request_shape(repo: GitRepo, fake_gemini: FakeGemini
                                                ) -> None:
    first = turnaround(repo, "--character", "mira", "--prompt", "a red-haired pilot",
                       "--provider", "gemini", "--seed", "11", "--json",
                       env=env_for(fake_gemini))
    assert first.rc == 0, first.output
    assert KEY not in first.output
    record = first.json()
    assert record["meta"]["provider"] == "gemini"
    assert record["meta"]["model"] == "gemini-2.5-flash-image"
    [request] = fake_gemini.requests()
    assert re.fullmatch(r"/v1\w*/models/gemini-2.5-flash-image:generateContent",
                        request["path"])
    assert request["headers"]["x-goog-api-key"] == KEY
    body = request["body"]
    [content] = body["contents"]
    [text_part] = content["parts"]
    assert "a red-haired pilot" in text_part["text"]
    assert "front, three-quarter (3/4), side profile, back" in text_part["text"]
    assert body["generationConfig"]["seed"] == 11
    assert "IMAGE" in body["generationConfig"]["responseModalities"]

    second = turnaround(repo, "--character", "mira", "--prompt", "fix the 3/4 view",
                        "--reference", "characters/mira/turnaround/v1.png",
                        "--fix-view", "three-quarter", "--provider", "gemini",
                        "--model", "gemini-jpeg-model", "--json", env=env_for(fake_gemini))
    assert second.rc == 0, second.output
    request = fake_gemini.requests()[1]
    assert request["path"].endswith("/models/gemini-jpeg-model:generateContent")
    image_part, text_part = request["body"]["contents"][0]["parts"]
    inline = image_part["inlineData"]
    # protobuf JSON accepts either field spelling; the SDK sends snake_case, base64url
    assert inline.get("mimeType", inline.get("mime_type")) == "image/png"
    sent = base64.urlsafe_b64decode(inline["data"])
    import hashlib

    assert hashlib.sha256(sent).hexdigest() == record["sha256"]
    assert "Keep the other views (front, side profile, back) exactly" in text_part["text"]
    assert "Correct only the three-quarter (3/4) view" in text_part["text"]
    meta = second.json()["meta"]
    assert meta["parent"] == 1 and meta["model"] == "gemini-jpeg-model"
    # The model answered a JPEG; the store holds the PNG the path promises.
    ws_png = second.json()["url"].removeprefix("file://")
    assert Image.open(ws_png).format == "PNG"


@pytest.mark.parametrize(("model", "expected"), [
    ("gemini-quota", "quota exhausted"),
    ("gemini-safety", "refused the request for safety reasons (SAFETY)"),
    ("gemini-textonly", "answered without an image: I can only describe it"),
])
def test_provider_errors_are_clear_and_record_nothing(repo: GitRepo, fake_gemini: FakeGemini,
                                                      model: str, expected: str) -> None:
    result = turnaround(repo, "--character", "mira", "--prompt", "pilot", "--provider",
                        "gemini", "--model", model, env=env_for(fake_gemini))
    assert result.rc != 0
    assert expected in result.stderr and "next:" in result.stderr
    assert KEY not in result.output and "Traceback" not in result.output
    assert len(fake_gemini.requests()) == 1
    assert manifest_lines(repo) == []
    # The claim was given back, so the next run gets v1 again.
    ok = turnaround(repo, "--character", "mira", "--prompt", "pilot", "--json")
    assert ok.json()["path"] == "characters/mira/turnaround/v1.png"


def test_no_api_key_makes_no_network_call(repo: GitRepo, fake_gemini: FakeGemini) -> None:
    result = turnaround(repo, "--character", "mira", "--prompt", "pilot", "--provider",
                        "gemini", env=env_for(fake_gemini, key=None))
    assert result.rc == 3
    assert "GEMINI_API_KEY" in result.stderr and "next:" in result.stderr
    assert fake_gemini.requests() == []
    assert manifest_lines(repo) == []


def test_fake_server_image_is_a_real_png() -> None:
    from testing.fake_gemini import _image

    assert Image.open(io.BytesIO(_image("PNG"))).size == (64, 32)
