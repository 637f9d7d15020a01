#!/usr/bin/env python3
"""The share of annotated parameters (self and cls aside) and of annotated returns, per package.

    python scripts/annotations.py tracker/core policies sources

Migrations are left out: they are generated. Issue 16 measures its "type-checked core" by it.
"""

import ast
import sys
from pathlib import Path


def _parameters(function: ast.FunctionDef | ast.AsyncFunctionDef) -> list[ast.arg]:
    arguments = function.args
    positional = arguments.posonlyargs + arguments.args
    if positional and positional[0].arg in {"self", "cls"}:
        positional = positional[1:]
    extra = [a for a in (arguments.vararg, arguments.kwarg) if a is not None]
    return positional + arguments.kwonlyargs + extra


def count(root: Path) -> tuple[int, int, int, int]:
    """(annotated parameters, parameters, annotated returns, functions) under root."""
    annotated = total = returns = functions = 0
    for path in sorted(root.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                parameters = _parameters(node)
                total += len(parameters)
                annotated += sum(p.annotation is not None for p in parameters)
                functions += 1
                returns += node.returns is not None
    return annotated, total, returns, functions


def main(roots: list[str]) -> None:
    grand = [0, 0, 0, 0]
    for root in roots:
        figures = count(Path(root))
        grand = [a + b for a, b in zip(grand, figures, strict=True)]
        _report(root, *figures)
    if len(roots) > 1:
        _report("all", *grand)


def _report(label: str, annotated: int, total: int, returns: int, functions: int) -> None:
    share = annotated / total if total else 1.0
    returned = returns / functions if functions else 1.0
    sys.stdout.write(
        f"{label:14} parameters {annotated:4}/{total:<4} {share:6.1%}"
        f"   returns {returns:4}/{functions:<4} {returned:6.1%}\n"
    )


if __name__ == "__main__":
    main(sys.argv[1:] or ["tracker/core", "policies", "sources"])
