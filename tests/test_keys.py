import pytest

from offload.errors import ConfigError, UsageError
from offload.keys import public_url, render_key, validate_key

SHA = "ab" * 32


@pytest.mark.parametrize(
    ("template", "path", "expected"),
    [
        ("{dir}/{stem}.{sha256:12}{ext}", "characters/mira/v1.png", f"characters/mira/v1.{SHA[:12]}.png"),
        ("{dir}/{stem}.{sha256:12}{ext}", "root.png", f"root.{SHA[:12]}.png"),
        ("{path}", "a/b c/ü.png", "a/b c/ü.png"),
        ("{name}-{size}", "x/y.tar.gz", "y.tar.gz-42"),
        ("objects/{sha256}", "any", f"objects/{SHA}"),
        ("{dir}/{stem}{ext}", "noext", "noext"),
    ],
)
def test_render_key(template: str, path: str, expected: str) -> None:
    assert render_key(template, path, SHA, 42) == expected


def test_unknown_placeholder_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="unknown placeholder"):
        render_key("{owner}/{name}", "a.png", SHA, 1)


def test_width_only_on_sha256() -> None:
    with pytest.raises(ConfigError, match="width"):
        render_key("{name:3}", "a.png", SHA, 1)


@pytest.mark.parametrize("key", ["../x.png", "a/../../b", "/abs.png", "a\nb.png", "", "x" * 1025])
def test_invalid_keys_are_refused(key: str) -> None:
    with pytest.raises(UsageError):
        validate_key(key)


def test_public_url_encodes_each_segment() -> None:
    url = public_url("https://pub.example.r2.dev/prod/", "scenes/sc 1/främe#1?.png")
    assert url == "https://pub.example.r2.dev/prod/scenes/sc%201/fr%C3%A4me%231%3F.png"
