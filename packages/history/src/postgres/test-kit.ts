import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** The PostgreSQL the tests use: `DATABASE_URL`, else the machine's own (trust auth, database `test`). */
export const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/**
 * Why PostgreSQL tests cannot run here, or undefined when the server answers. With
 * `STEPWISE_REQUIRE_ALL=1` (CI) a missing server is not a reason: the tests run and fail.
 */
export async function postgresUnavailable(): Promise<string | undefined> {
  if (process.env.STEPWISE_REQUIRE_ALL === '1') return undefined;
  const client = new pg.Client({ connectionString: DATABASE_URL, connectionTimeoutMillis: 3_000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return undefined;
  } catch (error) {
    const reason = `PostgreSQL tests skipped: ${DATABASE_URL} is not reachable (${(error as Error).message}); set DATABASE_URL or start PostgreSQL`;
    console.warn(reason);
    return reason;
  } finally {
    await client.end().catch(() => {});
  }
}

/** A schema name no other test uses. */
export function freshSchema(): string {
  return `stepwise_test_${randomBytes(6).toString('hex')}`;
}

/** Drops a test's schema and everything in it. */
export async function dropSchema(schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: DATABASE_URL });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await client.end();
  }
}
