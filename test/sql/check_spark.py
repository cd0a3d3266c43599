#!/usr/bin/env python3
"""Runs compiled Spark SQL on a local Spark (pyspark) and checks the members.

Input: a JSON file written by test/unit/sql/spark.test.ts — a list of tables
({table, fields: {name: segspec type}, rows, cases: [{text, sql, expected}]}).
Each table becomes a temporary view; each case runs
`SELECT id FROM <table> WHERE <sql>` (or, with `from` and `key`, `SELECT <key>
FROM <from> WHERE <sql>`: a table joined to related datasets' subqueries,
whose views come earlier in the list) and must return exactly `expected`.

The session runs with spark.sql.session.timeZone=UTC (datetime fields are UTC
instants) and Spark's default ANSI mode. Exit 0 when every case agrees, 1 with
a report otherwise, 2 when pyspark is missing.
Usage: python3 test/sql/check_spark.py cases.json
"""
import datetime
import json
import os
import sys

try:
    from pyspark.sql import SparkSession
    from pyspark.sql import types as T
except ImportError:  # pragma: no cover
    print("pyspark is not installed: pip install pyspark (Java 17 is needed too)", file=sys.stderr)
    sys.exit(2)

SPARK_TYPES = {
    "string": T.StringType(),
    "enum": T.StringType(),
    "semver": T.StringType(),
    "integer": T.LongType(),
    "number": T.DoubleType(),
    "boolean": T.BooleanType(),
    "date": T.DateType(),
    "datetime": T.TimestampType(),
    "list<string>": T.ArrayType(T.StringType()),
    "list<integer>": T.ArrayType(T.LongType()),
}


def cell(kind, value):
    if value is None:
        return None
    if kind == "date":
        return datetime.date.fromisoformat(value)
    if kind == "datetime":
        return datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))
    if kind == "number":
        return float(value)
    return value


def main() -> int:
    with open(sys.argv[1], encoding="utf-8") as handle:
        tables = json.load(handle)
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    spark = (
        SparkSession.builder.master("local[1]")
        .appName("segspec-sql-check")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.ui.enabled", "false")
        .config("spark.driver.memory", "512m")
        .config("spark.sql.shuffle.partitions", "1")
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    problems = []
    checked = 0
    try:
        for table in tables:
            fields = table["fields"]
            schema = T.StructType([T.StructField(name, SPARK_TYPES[kind], True) for name, kind in fields.items()])
            rows = [tuple(cell(kind, row.get(name)) for name, kind in fields.items()) for row in table["rows"]]
            spark.createDataFrame(rows, schema).createOrReplaceTempView(table["table"])
            for case in table["cases"]:
                checked += 1
                key = case.get("key", "id")
                query = f"SELECT {key} FROM {case.get('from', table['table'])} WHERE {case['sql']} ORDER BY {key}"
                try:
                    got = [r[0] for r in spark.sql(query).collect()]
                except Exception as error:  # noqa: BLE001 — report any Spark failure as a problem
                    problems.append(f"{table['table']}: `{case['text']}` failed: {str(error).splitlines()[0]}\n  {query}")
                    continue
                if got != case["expected"]:
                    problems.append(
                        f"{table['table']}: `{case['text']}` gave {got}, expected {case['expected']}\n  {query}"
                    )
    finally:
        spark.stop()
    for problem in problems:
        print(problem)
    print(f"spark {spark.version}: {checked} cases checked, {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
