"""Git settings pinned on every git call offload makes.

A user's configuration must not change the output offload parses, nor make offload's own
index updates fail or start the user's programs. Each setting is either git's built-in default
or the neutral value; command-line ``-c`` outranks every configuration file. Import-free: the
hook path uses it.
"""

PINNED_SETTINGS = (
    "log.showRoot=true",          # the root commit's files count (check --range, pre-push)
    "log.showSignature=false",    # no gpg report mixed into `git log` output
    "diff.relative=false",        # full repository paths, also from a subfolder
    "diff.noprefix=false",        # a/ b/ prefixes, should a patch ever be read
    "diff.mnemonicPrefix=false",
    "diff.renames=true",          # git's default; callers that parse add --no-renames
    "color.ui=false",             # no escape codes, whatever `always` says
    "color.diff=false",
    "core.quotepath=false",       # line-based output keeps UTF-8 names as they are
    "core.safecrlf=false",        # `git add` of offload.lock/.gitignore never refused for EOLs
    "core.fsmonitor=false",       # offload's git calls never start the user's fsmonitor hook
)


def pinned_args() -> list[str]:
    """``-c name=value`` pairs to put between ``git`` and the subcommand."""
    args: list[str] = []
    for setting in PINNED_SETTINGS:
        args += ["-c", setting]
    return args
