"""The report's DuckDB SQL as Spark reads it: what sqlglot leaves to the project is settled."""

from __future__ import annotations

import pytest

from guessfirst.teacher.report._dialect import to_spark


def test_a_named_parameter_becomes_a_quoted_literal():
    sql = to_spark("SELECT (ts AT TIME ZONE $tz)::DATE AS day FROM events", {"tz": "O'Higgins"})
    assert sql == "SELECT CAST((FROM_UTC_TIMESTAMP(ts, 'O\\'Higgins')) AS DATE) AS day FROM events"


def test_local_days_use_spark_s_zone_conversion():
    sql = to_spark("SELECT (ts AT TIME ZONE $tz)::DATE FROM events", {"tz": "Asia/Hong_Kong"})
    assert "FROM_UTC_TIMESTAMP(ts, 'Asia/Hong_Kong')" in sql


def test_arg_min_null_keeps_nulls_as_min_by_does():
    sql = to_spark("SELECT arg_min_null(correct, (attempt, line)) FROM events")
    assert sql.startswith("SELECT MIN_BY(correct, ")


def test_numbers_stay_numbers():
    assert to_spark("SELECT $first + 1", {"first": 41}) == "SELECT 41 + 1"


@pytest.mark.parametrize("params", [None, {}])
def test_sql_without_parameters_is_only_translated(params):
    assert to_spark("SELECT count(*) FILTER (WHERE correct) FROM events", params) == (
        "SELECT COUNT(*) FILTER(WHERE correct) FROM events"
    )
