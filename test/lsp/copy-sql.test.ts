/** "Copy SQL": the code action on a segment and the `segspec/sql` request behind the client command. */
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CodeActionRequest, type CodeAction, type Command } from 'vscode-languageserver-protocol';
import { TestClient, copySample, cursor } from './harness.js';
import { ensureBuilt, segspec } from '../cli/helpers.js';
import { CopySqlCommand, SqlRequestMethod, type SqlResult } from '../../server/src/lsp/features/copy-sql-protocol.js';
import { copySqlAction, sqlDialectSetting } from '../../server/src/lsp/features/copy-sql.js';
import { PreviewRequestMethod, type PreviewData } from '../../server/src/lsp/protocol.js';
import { DuckDBInstance } from '@duckdb/node-api';
import type { FeatureContext } from '../../server/src/lsp/context.js';

/** The text with the cursor marker placed `into` characters after the start of `needle`. */
function at(text: string, needle: string, into: number): string {
  const i = text.indexOf(needle);
  expect(i).toBeGreaterThanOrEqual(0);
  return `${text.slice(0, i + into)}┆${text.slice(i + into)}`;
}

describe('Copy SQL', () => {
  let root: string;
  let client: TestClient;
  beforeAll(async () => {
    ensureBuilt();
    root = copySample('productivity');
    client = await TestClient.start(root);
    await client.open('segments.segspec');
  });
  afterAll(async () => {
    await client.stop();
    rmSync(root, { recursive: true, force: true });
  });

  const actionsAt = async (marked: string): Promise<Array<CodeAction | Command>> => {
    const { position } = cursor(marked);
    const result = await client.connection.sendRequest(CodeActionRequest.type, {
      textDocument: { uri: client.uri('segments.segspec') },
      range: { start: position, end: position },
      context: { diagnostics: [] },
    });
    return result ?? [];
  };
  const copyAction = (actions: Array<CodeAction | Command>): CodeAction | undefined =>
    actions.find((a): a is CodeAction => 'kind' in a && a.title.startsWith('Copy SQL'));

  it('is offered on a segment’s name and on a reference to a segment, and runs segspec.copySql with the name', async () => {
    const text = client.textOf('segments.segspec');
    const onName = copyAction(await actionsAt(at(text, 'segment freelancers', 'segment free'.length)));
    expect(onName).toMatchObject({ title: 'Copy SQL (DuckDB)', kind: 'refactor', command: { command: CopySqlCommand, arguments: ['freelancers', 'duckdb'] } });

    const onReference = copyAction(await actionsAt(at(text, 'where power_users and not students', 'where power'.length)));
    expect(onReference?.command?.arguments).toEqual(['power_users', 'duckdb']);
  });

  it('is not offered away from a segment name', async () => {
    const text = client.textOf('segments.segspec');
    expect(copyAction(await actionsAt(at(text, 'where lower(job)', 'where lo'.length)))).toBeUndefined();
  });

  it.each([
    ['freelancers', 'duckdb'],
    ['core_power_users', 'duckdb'],
    ['modern_desktop', 'postgres'],
  ])('segspec/sql for %s (%s) is what `segspec sql` prints', async (segment, dialect) => {
    const result = await client.connection.sendRequest<SqlResult>(SqlRequestMethod, { segment, dialect });
    const cli = await segspec(['sql', segment, '--dialect', dialect, root]);
    expect(cli.code).toBe(0);
    expect('sql' in result && result.sql).toBe(cli.stdout.trimEnd());
    const cliNotes = cli.stderr.split('\n').filter((l) => l.startsWith('note: ')).map((l) => l.slice('note: '.length));
    expect('notes' in result && result.notes).toEqual(cliNotes);
  });

  it('gives a whole SELECT: from the segspec.sqlTable table, else the data file (DuckDB) or its name', async () => {
    const condition = await client.connection.sendRequest<SqlResult>(SqlRequestMethod, { segment: 'freelancers', dialect: 'postgres' });
    const where = 'sql' in condition ? condition.sql : '';
    const named = await client.connection.sendRequest<SqlResult>(SqlRequestMethod, {
      segment: 'freelancers',
      dialect: 'postgres',
      form: 'select',
      table: 'analytics.users',
    });
    expect('sql' in named && named.sql).toBe(`SELECT * FROM "analytics"."users" WHERE ${where};`);
    const stem = await client.connection.sendRequest<SqlResult>(SqlRequestMethod, { segment: 'freelancers', dialect: 'postgres', form: 'select' });
    expect('sql' in stem && stem.sql).toBe(`SELECT * FROM "users" WHERE ${where};`);

    const onFile = await client.connection.sendRequest<SqlResult>(SqlRequestMethod, { segment: 'high_value', dialect: 'duckdb', form: 'select' });
    const sql = 'sql' in onFile ? onFile.sql : '';
    expect(sql).toMatch(/^WITH "users" AS \(SELECT \* FROM read_csv\('.*users\.csv'\)\)\nSELECT \* FROM "users" WHERE .*quantile_cont.*;$/);
    // The statement runs as copied (its p90 reads the file too), and selects the segment's members.
    const preview = await client.connection.sendRequest<PreviewData>(PreviewRequestMethod, { segment: 'high_value' });
    const size = preview.segments.find((x) => x.name === 'high_value')!.size;
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    const [cte, select] = sql.slice(0, -1).split('\n');
    const rows = await connection.runAndReadAll(`${cte}\nSELECT COUNT(*) AS n FROM (${select}) t`);
    expect(Number(rows.getRows()[0][0])).toBe(size);
    // The data file has a list field, which read_csv reads as text: the note says so.
    const listy = await client.connection.sendRequest<SqlResult>(SqlRequestMethod, { segment: 'freelancers', dialect: 'duckdb', form: 'select' });
    expect('notes' in listy && listy.notes.join(' ')).toMatch(/list field integrations as text/);
    connection.closeSync();
  });

  it('answers an unknown segment or dialect with an error', async () => {
    const unknown = await client.connection.sendRequest<SqlResult>(SqlRequestMethod, { segment: 'nobody', dialect: 'duckdb' });
    expect(unknown).toMatchObject({ error: expect.stringMatching(/unknown segment 'nobody'/) });
    const badDialect = await client.connection.sendRequest<SqlResult>(SqlRequestMethod, { segment: 'freelancers', dialect: 'oracle' });
    expect(badDialect).toMatchObject({ error: expect.stringMatching(/unknown dialect 'oracle'/) });
  });
});

describe('the segspec.sqlDialect setting', () => {
  const contextWith = (configuration: boolean, value: unknown): FeatureContext =>
    ({
      capabilities: { workspace: { configuration } },
      connection: { workspace: { getConfiguration: async (section: string) => (section === 'segspec.sqlDialect' ? value : undefined) } },
    }) as unknown as FeatureContext;

  it('names the dialect of the action when the client has it', async () => {
    const dialect = await sqlDialectSetting(contextWith(true, 'postgres'));
    expect(dialect).toBe('postgres');
    expect(copySqlAction('freelancers', dialect)).toMatchObject({ title: 'Copy SQL (PostgreSQL)', command: { arguments: ['freelancers', 'postgres'] } });
  });

  it('falls back to DuckDB for an unknown value or a client without configuration', async () => {
    expect(await sqlDialectSetting(contextWith(true, 'oracle'))).toBe('duckdb');
    expect(await sqlDialectSetting(contextWith(true, undefined))).toBe('duckdb');
    expect(await sqlDialectSetting(contextWith(false, 'postgres'))).toBe('duckdb');
  });
});
