"""The report's SQL, written once in DuckDB's dialect, rewritten for Spark by sqlglot.

Every metric, the events view, the chain's faults, the problems and the files are defined
once, as DuckDB SQL, and DuckDB runs that text as it is: the default engine pays nothing
for the translation, nor for importing sqlglot. Spark gets the same statements through
sqlglot, with the few things sqlglot leaves as they were settled here: a named parameter
becomes a literal, and DuckDB's ``arg_min_null`` becomes Spark's ``min_by``, which keeps a
null value as it is. The parity tests run the simulated classes through both engines.
"""

from __future__ import annotations

from functools import lru_cache

import sqlglot
from sqlglot import exp

#: DuckDB aggregates that Spark spells otherwise and sqlglot does not know.
_AGGREGATES = {"arg_min_null": exp.ArgMin}


def to_spark(sql: str, params: dict[str, object] | None = None) -> str:
    """``sql`` (DuckDB, ``$name`` parameters) as Spark SQL with ``params`` in place."""
    return _translated(sql, tuple(sorted((params or {}).items())))


@lru_cache(maxsize=256)
def _translated(sql: str, params: tuple[tuple[str, object], ...]) -> str:
    values = dict(params)
    tree = sqlglot.parse_one(sql, read="duckdb")

    def rewrite(node: exp.Expression) -> exp.Expression:
        if isinstance(node, exp.Placeholder) and node.name in values:
            return _literal(values[node.name])
        if isinstance(node, exp.Anonymous) and node.name.lower() in _AGGREGATES:
            value, key = node.expressions
            return _AGGREGATES[node.name.lower()](this=value, expression=key)
        return node

    return tree.transform(rewrite).sql(dialect="spark", unsupported_level=sqlglot.ErrorLevel.RAISE)


def _literal(value: object) -> exp.Expression:
    # The report's parameters are a time zone's name and numbers.
    if isinstance(value, str):
        return exp.Literal.string(value)
    return exp.Literal.number(value)
