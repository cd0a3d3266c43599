import type { CommandName } from './args.js';

const SHARED_OPTIONS = `Shared options:
  --as-of DATE      reference date for relative dates (default: the dataset's
                    'as of', else today in UTC)
  -q, --quiet       print only errors (and nothing on success)
  --no-color        no ANSI colours (also NO_COLOR=1); colours appear only on a terminal
  -h, --help        this help
  -v, --version     print the version`;

const TOPICS: Record<CommandName, string> = {
  check: `Usage: segspec check [paths…] [options]

Runs every static check and every check on the sample data for the
workspaces under the paths (default: the current folder). A workspace is a
folder with .segspec files.

Options:
  -f, --format F    pretty (default) | json | sarif | github | gitlab
                    (gitlab: a Code Quality report, paths relative to the
                    git repository's root)
  --fail-on LEVEL   error (default) | warning: the lowest severity that fails
  --engine E        embedded (default) | duckdb | postgres | spark: run the
                    checks on the data (sizes, expectations, examples,
                    personas, partitions, clauses) on that SQL engine, over
                    every row, from the compiled SQL; the findings read as
                    the embedded engine's. The checks of the data files'
                    content read their first 100,000 rows
  --db URL          the server for postgres (postgres://user@host:5432/db) or
                    spark (hive://host:10000); each dataset is read from its
                    'table' property, else the table named like the dataset.
                    duckdb runs in-process on the datasets' source files

Exit codes: 0 no errors, 1 errors (or warnings with --fail-on warning), 2
usage error, tool failure, an engine that cannot be reached or a segment
the engine cannot run.

Examples:
  segspec check
  segspec check specs/ --format json > findings.json
  segspec check --format sarif > segspec.sarif
  segspec check --format github --fail-on warning      # in GitHub Actions
  segspec check --format gitlab > gl-code-quality-report.json   # GitLab CI
  segspec check --engine duckdb                        # Parquet, any size
  segspec check --engine postgres --db postgres://me@localhost/analytics`,
  stats: `Usage: segspec stats [paths…] [options]

Segment sizes, shares, statuses, overlaps and coverage on the sample data.

Options:
  -f, --format F    table (default) | csv | json
  --engine E        embedded (default) | duckdb | postgres | spark: every
                    number (rows, sizes, shares, statuses, overlaps,
                    coverage) computed by that engine from the compiled SQL
  --db URL          the server for postgres (postgres://user@host:5432/db) or
                    spark (hive://host:10000); each dataset is read from its
                    'table' property, else the table named like the dataset.
                    duckdb runs in-process on the datasets' source files
  --members         with --format json: every member's key per segment (for
                    a dataset with a key), so that 'segspec diff --base
                    stats.json' can tell members gained from members lost

Exit codes: 0 ok, 2 usage error or an engine that cannot be reached.

Examples:
  segspec stats samples/productivity
  segspec stats samples/productivity --engine duckdb
  segspec stats --engine postgres --db postgres://me@localhost/analytics
  segspec stats --format csv > segments.csv
  segspec stats --format json --as-of 2026-06-30
  segspec stats --format json --members > base-stats.json   # a base for segspec diff`,
  diff: `Usage: segspec diff [--base REF | --base stats.json] [paths…] [options]

What a change to the spec does to the data: the working tree's workspaces
(under the paths, default the current folder) against a base. Lists segments
added, removed, changed (rule text) and affected (same rule, other members),
each with its size before → after and the members gained and lost (counts
and a few keys, matched by the dataset's key; without a key, by row when the
data did not change, else sizes only); checks (expectations, examples) that
start or stop failing; partitions that start or stop holding, with rows in
none and in two members before → after; Markdown references that break or
get a new problem. A side that could not be measured reads "unavailable".

Options:
  -b, --base REF    a git commit, branch or tag (default: the merge base of
                    HEAD with the default branch: origin/HEAD, main, master,
                    origin/main, origin/master; in a GitHub pull-request job,
                    origin/$GITHUB_BASE_REF first). The base's files are read
                    from git into a temporary folder and analysed like the
                    working tree.
  -b, --base FILE   a saved 'segspec stats --format json' (add --members for
                    members gained and lost): sizes, statuses and partitions
                    only; rules, checks and references are not compared
  -f, --format F    pretty (default) | markdown (PR comments, step summary)
                    | json
  --fail-on WHAT    change: exit 1 when any segment's members change (added
                    and removed segments too); failure: exit 1 when a check
                    (not marked warn) or a partition starts failing, or a
                    Markdown reference breaks; both: change,failure
  --engine E        embedded (default) | duckdb | postgres | spark: measure
                    both sides on that engine (member keys fetched from it)
  --db URL          the server for postgres or spark (see segspec check --help)

Exit codes: 0 done (and nothing to fail on), 1 --fail-on matched, 2 usage
error (a ref git does not know, not a git repository, bad option) or tool
failure.

Examples:
  segspec diff                                   # against the merge base with main
  segspec diff --base HEAD~1 samples/productivity
  segspec diff --base origin/main --format markdown >> "$GITHUB_STEP_SUMMARY"
  segspec diff --base base-stats.json --fail-on failure
  segspec diff --format json > diff.json`,
  report: `Usage: segspec report [paths…] --out report.html

Writes one self-contained HTML file (opens offline): segment sizes, overlap
heatmap, coverage, partitions, persona cards, expectations and findings.

Options:
  -o, --out FILE    where to write the report (default: report.html)
  --engine E        embedded (default) | duckdb | postgres | spark: every
                    number measured by that engine (sample members are then
                    shown by their keys)
  --db URL          the server for postgres or spark (see segspec check --help)

Examples:
  segspec report --out report.html
  segspec report samples/productivity -o build/segments.html
  segspec report --engine duckdb -o build/segments.html`,
  explain: `Usage: segspec explain SEGMENT (--key KEY | --profile PERSONA) [paths…]

Shows, clause by clause, why one record is or is not a member of SEGMENT:
a row of the sample data by its key, or a persona's profile.

Options:
  -k, --key KEY         the value of the dataset's key column
  -p, --profile PERSONA explain the persona's profile record

Examples:
  segspec explain freelancers --key u00042
  segspec explain freelancers --profile fiona samples/productivity`,
  init: `Usage: segspec init [dir] [--from data.csv]…

Creates a workspace in dir (default: the current folder): a dataset, one
example segment, one persona and a roadmap.md that references them. With
--from, the dataset points at that data file and its fields are inferred
from it. Give --from once per file for several datasets: where a column's
values are another file's keys (plays.listener_id → listeners), the dataset
gets \`belongs to PARENT by FIELD\`, and \`key FIELD\` as well when that
column is unique (one answer per listener). Refuses to overwrite existing
files.

Examples:
  segspec init specs
  segspec init specs --from exports/users.csv
  segspec init specs --from listeners.csv --from plays.jsonl --from survey.csv`,
  sql: `Usage: segspec sql SEGMENT --dialect D [--count | --select] [paths…]

Prints the SQL for a segment: the WHERE condition (default), a full
SELECT of the members (--select) or a COUNT(*) query (--count).

Options:
  -d, --dialect D   duckdb | postgres | bigquery | snowflake | spark | trino
  --count           a query counting the members
  --select          a query selecting the members

Examples:
  segspec sql freelancers --dialect duckdb
  segspec sql power_users --dialect bigquery --count`,
  export: `Usage: segspec export SEGMENT --to SYSTEM [--flag KEY] [--rollout N%] [--context attr=field,…] [--out F] [paths…]

Writes the segment as a feature flag in a flag system's own format, on
exactly for the segment's members under that system's rules: every test is
guarded for missing values, 'not' is pushed down, referenced segments become
the system's own (saved groups, segments, evaluators). What the system cannot
express is refused, with its place in the spec; relative dates and
dataset-wide aggregates are written as their value on the as-of date, with
a warning.

Options:
  -t, --to SYSTEM     growthbook | unleash | flagd | launchdarkly | posthog
  --flag KEY          the flag's key (default: the segment's name)
  --rollout N%        only this share of the members, bucketed by the system
  --seed S, --salt S  the rollout's seed / salt (see 'segspec rollout --help')
  --context a=f,…     send field f as context attribute a (default: same name)
  -o, --out F         write to F instead of stdout

Examples:
  segspec export students --to growthbook --out flags/growthbook.json
  segspec export power_users --to launchdarkly --flag smart-reschedule --rollout 12.5%
  segspec export europe --to unleash --context countryCode=country`,
  import: `Usage: segspec import FILE --from SYSTEM [--flag KEY] [--context a=f,…] [--dataset D] [--out F]

Writes a flag's targeting in a flag system's own file as Segspec: a segment
with the same membership under the system's rules (GrowthBook's
{age: {$lt: 10}} is 'age < 10 or age is missing'), its saved groups as
segments, and a flag declaration that points at the file. What Segspec
cannot express is refused, with its place in the file (a JSON pointer).
Systems: GrowthBook, LaunchDarkly, PostHog.

Options:
  --from SYSTEM       growthbook, launchdarkly or posthog
  --flag KEY          the flag to import (needed when the file has several)
  --context a=f,…     attribute a is field f (LaunchDarkly's context key needs
                      one: --context key=user_id); written into the flag's context
  -d, --dataset D     read the field types of dataset D in this workspace (a
                      list field is then tested item by item, as the system does)
  -o, --out F         write to F (source paths are then relative to it)

Examples:
  segspec import flags/growthbook.json --from growthbook --flag smart-reschedule
  segspec import payload.json --from growthbook --out specs/flags.segspec
  segspec import ld.json --from launchdarkly --flag beta --context key=user_id --dataset users`,
  rollout: `Usage: segspec rollout SEGMENT --system S --percent N% [--flag KEY] [--seed S | --salt S] [--format table|json] [paths…]

Who gets a flag that targets the segment at a percentage, bucketed exactly as
the system's Node SDK buckets (the flag 'segspec export --rollout' writes):
counts and shares for every segment and persona of the dataset, and the keys
of a sample.

Options:
  -s, --system S      growthbook | unleash | flagd | launchdarkly | posthog
  -p, --percent N%    the rollout (Unleash: whole percents)
  --flag KEY          the flag's key (default: the segment's name)
  --seed S            GrowthBook's seed, Unleash's groupId, LaunchDarkly's rollout seed
  --salt S            LaunchDarkly's flag salt (default: the flag key)
  -f, --format F      table (default) | json

Examples:
  segspec rollout students --system growthbook --flag smart-reschedule --percent 12.5%
  segspec rollout power_users --system unleash --percent 50% --format json`,
  fmt: `Usage: segspec fmt [paths…] [--check]

Formats .segspec files in place (one property per line, canonical spacing).

Options:
  --check           do not write; exit 1 and list the files that would change

Examples:
  segspec fmt
  segspec fmt specs/ --check          # in CI`,
  lsp: `Usage: segspec lsp --stdio

Starts the Segspec language server speaking LSP over stdin/stdout, for
editors other than VS Code.

Examples:
  segspec lsp --stdio
  # Neovim: vim.lsp.start_client({ name = 'segspec', cmd = { 'segspec', 'lsp', '--stdio' } })`,
  discover: `Usage: segspec discover [paths…] [--target EXPR] [options]

Proposes segments from the data (SPEC §13), each printed as a ready segment
declaration whose numbers are the engine's own counts of the printed rule on
every row.

With --target: the rules whose members differ most from the whole dataset on
the target, by weighted relative accuracy (WRAcc = share of rows in the rule
× (target rate in the rule − target rate overall)), each a conjunction of at
most --depth clauses a person would write. By default the set is diverse:
rows already covered count less in the next round, and a rule may overlap
another proposed rule or an existing segment by at most half (Jaccard).
Each comes with its size, target rate, lift and expect lines.

Without --target: readable segments that together cover most rows. The rows
are clustered (k-prototypes under the Gower distance for mixed types, on a
sample of at most 6,000 rows; K from 3 to --max by the simplified
silhouette, or --clusters K), then each cluster is described by the rule
that reproduces it best, reported with its fidelity: F1 of precision (share
of the rule's rows in the cluster) and recall (share of the cluster the rule
holds for). A rule may overlap another or an existing segment by at most
half; the set's coverage and pairwise Jaccard are printed.

Options:
  -t, --target EXPR   a segment name or an expression over the dataset
                      (churned, 'Churn == "Yes"', 'ltv_usd >= p90(ltv_usd)')
  -d, --dataset D     the dataset (default: the target segment's, or the only one)
  -k, --max K         how many rules (default 10; without a target at most
                      K clusters, default 8)
  --clusters K        without a target: exactly K clusters
  --depth N           at most N fields per rule (default 3)
  --min-size P        fewest members: a share (5%, the default 2%) or a row count
  --quality Q         wracc (default) | purer: (n/N)^0.5 × (p − p0), smaller and purer rules
  --plain             the plain top-K by quality, without the diversity rounds
  -f, --format F      text (default) | json
  -w, --write FILE    append the declarations to FILE (a .segspec file)
  --engine E          embedded (default) | duckdb | postgres | spark (with --db URL):
                      the engine that counts the printed rules on every row

Large data: the search runs on a sample of at most 200,000 rows; the rules
found are then counted on every row. On a Parquet source DuckDB draws the
sample and counts the rules with SQL.

Exit codes: 0 done, 2 usage error, a target that does not check, or a
dataset with no field to describe rows by.

Examples:
  segspec discover samples/b2b-saas --target churned
  segspec discover --target 'plan == "free"' --max 5 --depth 2
  segspec discover --target 'ltv_usd >= p90(ltv_usd)' --format json
  segspec discover --target churned --write specs/discovered.segspec
  segspec discover samples/b2b-saas --max 6`,
  persona: `Usage: segspec persona SEGMENT [paths…] [options]

Drafts a persona for a segment (SPEC §13): its profile is the real member
closest to the segment's typical values (medians, modes, common list items;
Gower distance over mixed types), checked to be a member; the attributes
that most set the segment apart from the whole dataset (lift) are listed as
starting points for its goals and pains.

Options:
  -n, --name NAME   the persona's name (default SEGMENT_persona)
  -w, --write FILE  append the declaration to FILE (a .segspec file)

Exit codes: 0 done, 2 unknown segment, a draft or an empty segment.

Examples:
  segspec persona promoters samples/b2b-saas
  segspec persona promoters --write personas.segspec`,
};

const GENERAL = `segspec — customer segments as checked specs

Usage: segspec <command> [options]

Commands:
  check [paths…]             check specs and sample data (exit 1 on errors)
  stats [paths…]             sizes, shares, overlaps and coverage
  diff [--base REF] [paths…] what a spec change does to segments, checks, references
  report [paths…] --out F    a static HTML report with charts
  explain SEGMENT --key K    why a row is or is not a member
  init [dir] [--from FILE]…  scaffold a workspace
  sql SEGMENT --dialect D    the segment as SQL
  export SEGMENT --to SYSTEM the segment as a feature flag (GrowthBook, Unleash, …)
  import FILE --from SYSTEM  a flag's targeting as segments (GrowthBook, LaunchDarkly, PostHog)
  rollout SEGMENT --system S --percent N  who gets a percentage rollout
  fmt [paths…] [--check]     format .segspec files
  discover [--target EXPR]   propose segments from the data
  persona SEGMENT            draft a persona from a segment's members
  lsp --stdio                run the language server

Run 'segspec <command> --help' for a command's options and examples.

Examples:
  segspec check
  segspec stats samples/productivity
  segspec report --out report.html
  segspec explain freelancers --key u00042`;

export function helpText(command?: CommandName): string {
  return (command ? `${TOPICS[command]}\n\n${SHARED_OPTIONS}` : `${GENERAL}\n\n${SHARED_OPTIONS}`) + '\n';
}
