#!/usr/bin/env python3
"""Parses every golden file in test/sql/golden with sqlglot in its dialect.

An independent parser checks what no engine here can run (BigQuery,
Snowflake, Trino, Spark): every statement must parse, there must be one per
`-- segspec:` comment, and string literals must decode to exactly the value
the expression compared with (quoting cannot be broken out of).

Exit status 0 when all pass; 1 with a report otherwise; 2 when sqlglot is missing.
Usage: python3 test/sql/check_sqlglot.py [golden_dir]
"""
import json
import pathlib
import re
import sys

try:
    import sqlglot
    from sqlglot import exp
    from sqlglot.errors import ErrorLevel
except ImportError:  # pragma: no cover
    print("sqlglot is not installed: pip install sqlglot", file=sys.stderr)
    sys.exit(2)

DIALECTS = {
    "duckdb": "duckdb",
    "postgres": "postgres",
    "spark": "spark",
    "bigquery": "bigquery",
    "snowflake": "snowflake",
    "trino": "trino",
}

EQUALS_STRING = re.compile(r'^name == ("(?:[^"\\]|\\.)*")$')


literal_checks = 0


def check_file(path: pathlib.Path, dialect: str) -> list[str]:
    global literal_checks
    text = path.read_text(encoding="utf-8")
    sources = [line[len("-- segspec: "):] for line in text.splitlines() if line.startswith("-- segspec: ")]
    problems = []
    try:
        statements = [s for s in sqlglot.parse(text, read=dialect, error_level=ErrorLevel.RAISE) if s is not None]
    except sqlglot.errors.ParseError as error:
        return [f"{path.name}: does not parse as {dialect}: {error}"]
    if len(statements) != len(sources):
        problems.append(f"{path.name}: {len(statements)} statements for {len(sources)} expressions")
    for source, statement in zip(sources, statements):
        if not isinstance(statement, exp.Select) or statement.args.get("where") is None:
            problems.append(f"{path.name}: `{source}` did not parse as SELECT … WHERE")
            continue
        match = EQUALS_STRING.match(source)
        if match:
            literal_checks += 1
            expected = json.loads(match.group(1))
            where = statement.args["where"].this
            literal = where.expression if isinstance(where, exp.EQ) else None
            # PostgreSQL pins equality to code points: ('…' COLLATE "C").
            while isinstance(literal, (exp.Paren, exp.Collate)):
                literal = literal.this
            actual = literal.this if isinstance(literal, exp.Literal) and literal.is_string else None
            if actual != expected:
                problems.append(
                    f"{path.name}: `{source}` compares with {actual!r}, expected {expected!r} ({where.sql(dialect)})"
                )
    return problems


def main() -> int:
    golden = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else pathlib.Path(__file__).parent / "golden")
    problems = []
    checked = 0
    for name, dialect in DIALECTS.items():
        path = golden / f"{name}.sql"
        if not path.exists():
            problems.append(f"missing golden file {path}")
            continue
        problems.extend(check_file(path, dialect))
        checked += 1
    for problem in problems:
        print(problem)
    print(f"sqlglot {sqlglot.__version__}: {checked} golden files checked ({literal_checks} quoted literals decoded), {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
