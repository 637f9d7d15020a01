"""The checkers the accessibility tests run, from node_modules/ (`make npm`), and the rule for
when one is missing: such a test skips on a developer's machine, and fails in CI (.ci/run sets
CI), where a skipped check would pass silently."""

import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def require(present: bool, missing: str) -> None:
    """Skip (fail, in CI) unless `present`; `missing` says what is missing and how to get it."""
    if present:
        return
    if os.environ.get("CI"):
        pytest.fail(f"{missing}, and CI must run this check.")
    pytest.skip(missing)


def require_axe() -> Path:
    require(AXE.exists(), f"{AXE.relative_to(ROOT)} is missing: run make npm")
    return AXE


def require_vnu() -> tuple[str, Path]:
    """The java command and the Nu HTML Checker's jar."""
    java = shutil.which("java")
    require(java is not None, "java is missing: install a Java 17 runtime")
    require(VNU.exists(), f"{VNU.relative_to(ROOT)} is missing: run make npm")
    return str(java), VNU
