import type { PoolConfig } from 'pg';

/** Splits a postgres URL into a pg PoolConfig; the schema engine mishandles raw URL strings. */
export function poolConfigFromUrl(databaseUrl: string): PoolConfig {
  const url = new URL(databaseUrl);
  return {
    host: url.hostname,
    port: url.port ? Number(url.port) : 5432,
    user: decodeURIComponent(url.username),
    password: decodeURIComponent(url.password),
    database: decodeURIComponent(url.pathname.replace(/^\//, '')),
  };
}
