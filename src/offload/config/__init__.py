"""offload.yaml: finding it, parsing it, validating it."""

from offload.config.load import CONFIG_NAME, find_config_file, load_config
from offload.config.model import (
    DEFAULT_KEY_TEMPLATE,
    ArtifactRules,
    Config,
    ReferenceRules,
    S3Settings,
)

__all__ = [
    "CONFIG_NAME",
    "DEFAULT_KEY_TEMPLATE",
    "ArtifactRules",
    "Config",
    "ReferenceRules",
    "S3Settings",
    "find_config_file",
    "load_config",
]
