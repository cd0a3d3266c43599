/**
 * A PostgreSQL database of a test's own, so tables named like the test's
 * datasets collide with no other test file running at the same time.
 */
import pg from 'pg';

/** Drops and re-creates database `name` on the server at `serverUrl`; returns its URL. */
export async function freshPostgresDatabase(serverUrl: string, name: string): Promise<string> {
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${name}`);
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const target = new URL(serverUrl);
  target.pathname = `/${name}`;
  return target.toString();
}
