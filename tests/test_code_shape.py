"""The code a newcomer reads first stays small: no function of the product over 60 lines or of
cyclomatic complexity over 12 (radon's measure, the one `radon cc` prints)."""

import ast
from pathlib import Path

import pytest
from radon.complexity import cc_visit

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("tracker", "policies", "sources")
MAX_COMPLEXITY = 12
MAX_LINES = 60


def product_modules():
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            if "migrations" not in path.parts:
                yield path


def functions(tree):
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            yield node


@pytest.mark.parametrize("path", list(product_modules()), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_function_is_too_long_or_too_branchy(path):
    source = path.read_text()
    too_branchy = [
        f"{block.fullname} (complexity {block.complexity})"
        for block in cc_visit(source)
        if block.complexity > MAX_COMPLEXITY
    ]
    too_long = [
        f"{node.name} ({node.end_lineno - node.lineno + 1} lines)"
        for node in functions(ast.parse(source))
        if node.end_lineno - node.lineno + 1 > MAX_LINES
    ]
    assert not too_branchy + too_long
