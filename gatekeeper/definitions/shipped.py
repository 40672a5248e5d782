"""Where the workflows and checklists shipped with gatekeeper live.

A wheel carries them inside the package (pyproject force-includes `workflows`
and `checklists` as `gatekeeper/_content/...`); a source checkout or editable
install has them at the top of the repository, next to the package.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path


def shipped_workflows_dir() -> Path:
    """The folder of shipped workflow YAML (it may be missing in a bare checkout)."""
    return _content_dir("workflows")


def shipped_checklists_dir() -> Path:
    """The folder of shipped checklist YAML (it may be missing in a bare checkout)."""
    return _content_dir("checklists")


def _content_dir(name: str) -> Path:
    package = _package_dir()
    installed = package / "_content" / name
    if installed.is_dir():
        return installed
    return package.parent / name


def _package_dir() -> Path:
    root = files("gatekeeper")
    # A zipped install gives a Traversable that is no Path; the module file still
    # tells where the package is when it is unpacked, which a wheel always is.
    if isinstance(root, Path):
        return root
    return Path(__file__).resolve().parent.parent


__all__ = ["shipped_checklists_dir", "shipped_workflows_dir"]
