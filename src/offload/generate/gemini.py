"""The Gemini provider through google-genai (optional extra ``gemini``)."""

from __future__ import annotations

import os
from typing import Any

from offload.errors import ConfigError
from offload.generate.provider import ImageRequest, ProviderError, as_png

DEFAULT_MODEL = "gemini-2.5-flash-image"
KEY_VARIABLE = "GEMINI_API_KEY"
BASE_URL_VARIABLES = ("OFFLOAD_GEMINI_BASE_URL", "GOOGLE_GEMINI_BASE_URL")
TIMEOUT_MS = 180_000
SAFETY_REASONS = {"SAFETY", "IMAGE_SAFETY", "PROHIBITED_CONTENT", "IMAGE_PROHIBITED_CONTENT",
                  "BLOCKLIST", "SPII", "RECITATION", "IMAGE_RECITATION"}


class GeminiProvider:
    name = "gemini"

    def __init__(self, api_key: str, base_url: str | None = None) -> None:
        self._api_key = api_key
        self.base_url = base_url

    def __repr__(self) -> str:
        return f"GeminiProvider(base_url={self.base_url!r})"  # never the key

    @classmethod
    def from_env(cls) -> GeminiProvider:
        key = os.environ.get(KEY_VARIABLE, "").strip()
        if not key:
            raise ConfigError(
                f"the gemini provider needs an API key in {KEY_VARIABLE}, which is not set",
                f"export {KEY_VARIABLE}=… (from https://aistudio.google.com/apikey), or use "
                "--provider placeholder to work offline",
            )
        variable = next((v for v in BASE_URL_VARIABLES if os.environ.get(v)), None)
        base = None
        if variable is not None:
            from offload.config.checks import check_endpoint_url

            base = check_endpoint_url(os.environ[variable].strip(), variable, "the environment",
                                      "https://generativelanguage.googleapis.com")
        return cls(key, base)

    def model_name(self, requested: str | None) -> str | None:
        return requested or DEFAULT_MODEL

    def generate(self, request: ImageRequest) -> bytes:
        try:
            from google import genai
            from google.genai import errors, types
        except ImportError as exc:
            raise ConfigError("the gemini provider needs google-genai, which is not installed",
                              "pip install 'offload[gemini]'") from exc
        options = types.HttpOptions(base_url=self.base_url, timeout=TIMEOUT_MS)
        client = genai.Client(api_key=self._api_key, http_options=options)
        parts = request_parts(types, request)
        config = types.GenerateContentConfig(response_modalities=["TEXT", "IMAGE"],
                                             seed=request.seed)
        model = self.model_name(request.model) or DEFAULT_MODEL
        try:
            response = client.models.generate_content(model=model, contents=parts, config=config)
        except errors.APIError as exc:
            raise _api_error(exc, model) from exc
        except OSError as exc:
            raise ProviderError(f"cannot reach the Gemini API: {type(exc).__name__}",
                                "check the network (and OFFLOAD_GEMINI_BASE_URL if set), then "
                                "retry") from exc
        except Exception as exc:
            if type(exc).__module__.startswith(("httpx", "httpcore")):
                raise ProviderError(f"cannot reach the Gemini API: {type(exc).__name__}",
                                    "check the network, then retry") from exc
            raise
        return as_png(_image_bytes(response, model), f"the image from {model}")


def request_parts(types: Any, request: ImageRequest) -> list[Any]:
    """Each reference image after a line naming it, then the instruction."""
    parts: list[Any] = []
    for number, reference in enumerate(request.references, 1):
        if len(request.references) > 1:
            parts.append(types.Part.from_text(text=f"Reference image {number}: {reference.name}"))
        parts.append(types.Part.from_bytes(data=reference.data, mime_type=reference.mime_type))
    parts.append(types.Part.from_text(text=request.instruction))
    return parts


def _api_error(exc: Any, model: str) -> Exception:
    code = int(getattr(exc, "code", 0) or 0)
    status = str(getattr(exc, "status", "") or "")
    detail = str(getattr(exc, "message", "") or "")[:300]
    if code == 429 or status == "RESOURCE_EXHAUSTED":
        return ProviderError(f"Gemini quota exhausted for {model} (HTTP 429): {detail}",
                             "wait for the quota to reset or raise it in Google AI Studio, "
                             "then run the same command again")
    if code in (401, 403) or "API key" in detail:
        return ConfigError(f"Gemini refused the API key in {KEY_VARIABLE} (HTTP {code})",
                           f"check {KEY_VARIABLE} (create a key at "
                           "https://aistudio.google.com/apikey)")
    if code == 404:
        return ProviderError(f"Gemini has no model {model!r} (HTTP 404)",
                             "pass an image model with --model, e.g. " + DEFAULT_MODEL)
    return ProviderError(f"Gemini answered HTTP {code} {status}: {detail}".rstrip(": "),
                         "retry later; if it persists, check the request (model, prompt, "
                         "reference image)")


def _image_bytes(response: Any, model: str) -> bytes:
    feedback = getattr(response, "prompt_feedback", None)
    blocked = getattr(feedback, "block_reason", None)
    if blocked:
        raise _refused(model, _enum_name(blocked))
    texts: list[str] = []
    for candidate in getattr(response, "candidates", None) or []:
        content = getattr(candidate, "content", None)
        for part in getattr(content, "parts", None) or []:
            inline = getattr(part, "inline_data", None)
            if inline is not None and inline.data and str(inline.mime_type or "").startswith(
                    "image/"):
                return bytes(inline.data)
            if getattr(part, "text", None):
                texts.append(str(part.text))
        reason = _enum_name(getattr(candidate, "finish_reason", None))
        if reason in SAFETY_REASONS:
            raise _refused(model, reason)
    said = (": " + " ".join(texts)[:300]) if texts else ""
    raise ProviderError(f"{model} answered without an image{said}",
                        "rephrase the prompt (ask explicitly for an image) or try another "
                        "--model; nothing was recorded")


def _refused(model: str, reason: str) -> ProviderError:
    return ProviderError(f"{model} refused the request for safety reasons ({reason})",
                         "rephrase the prompt or use another reference image; nothing was "
                         "recorded")


def _enum_name(value: Any) -> str:
    return str(getattr(value, "name", value) or "")
