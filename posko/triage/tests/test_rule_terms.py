"""Each rule term is defined once (a later definition used to win silently)."""

from __future__ import annotations

import ast
from collections import Counter
from pathlib import Path

import pytest

from posko.triage import rules

RULES_SOURCE = Path(rules.__file__).read_text(encoding="utf-8")


def _items(spec: str) -> list[str]:
    return [
        " ".join(item.split()).partition(":")[0].strip()
        for item in spec.replace("\n", " ").split(",")
        if item.strip()
    ]


def _definitions() -> Counter[tuple[str, str]]:
    """(lexicon, term) of every term written in rules.py's _lex(...) and _add(...) calls."""
    found: Counter[tuple[str, str]] = Counter()
    tree = ast.parse(RULES_SOURCE)

    def lex_call(node: ast.AST | None) -> str | None:
        if (
            isinstance(node, ast.Call)
            and getattr(node.func, "id", None) == "_lex"
            and isinstance(node.args[0], ast.Constant)
        ):
            return str(node.args[0].value)
        return None

    for st in tree.body:
        if isinstance(st, (ast.Assign, ast.AnnAssign)):
            target = st.targets[0] if isinstance(st, ast.Assign) else st.target
            name = ast.unparse(target)
            spec = lex_call(st.value)
            if spec is not None:
                found.update((name, t) for t in _items(spec))
            elif isinstance(st.value, ast.Dict):
                for key, value in zip(st.value.keys, st.value.values, strict=True):
                    spec = lex_call(value)
                    if spec is not None and key is not None:
                        found.update((f"{name}[{ast.unparse(key)}]", t) for t in _items(spec))
        elif (
            isinstance(st, ast.Expr)
            and isinstance(st.value, ast.Call)
            and getattr(st.value.func, "id", None) == "_add"
        ):
            lexicon = ast.unparse(st.value.args[0]).replace("'", '"')
            spec_node = st.value.args[1]
            assert isinstance(spec_node, ast.Constant)
            found.update((lexicon, t) for t in _items(str(spec_node.value)))
    return found


def test_rule_source_defines_every_term_once() -> None:
    defs = _definitions()
    assert len(defs) > 1500  # the scan really sees the lexicons
    twice = sorted(k for k, n in defs.items() if n > 1)
    assert twice == []


def test_lex_rejects_a_term_given_twice() -> None:
    with pytest.raises(ValueError, match="twice"):
        rules._lex("maling:3, curi:2, maling:1")


def test_add_rejects_a_term_already_in_the_lexicon() -> None:
    lex = rules._lex("maling:3")
    with pytest.raises(ValueError, match="twice"):
        rules._add(lex, "curi:2, maling:1")
    assert lex == {"maling": 3.0}


def test_a_missing_comma_between_lines_is_an_error_not_two_terms() -> None:
    with pytest.raises(ValueError):
        rules._lex("kebakaran:3 lahan:3")
