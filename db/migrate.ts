import type { Database } from 'better-sqlite3-multiple-ciphers';
import type { Migration } from './migrations/migration';
import { migrations as shippedMigrations } from './migrations/migrationRegistry';
import { databaseTooNew, migrationFailed } from './dbErrors';

export function schemaVersion(db: Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/**
 * Brings the schema to the newest version this app knows. Each step commits with its user_version
 * bump or not at all, so a failing step leaves the database exactly at the previous version.
 */
export function migrate(db: Database, migrations: readonly Migration[] = shippedMigrations): number {
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) throw new Error(`migration registry out of order at ${m.name}`);
  });
  const current = schemaVersion(db);
  if (current > migrations.length) throw databaseTooNew(current, migrations.length);
  for (const m of migrations.slice(current)) {
    try {
      db.transaction(() => {
        m.up(db);
        // PRAGMA cannot take bound parameters; the version is an integer from our own registry.
        db.pragma(`user_version = ${Number(m.version)}`);
      }).immediate();
    } catch (err) {
      throw migrationFailed(m.version, m.name, err);
    }
  }
  return schemaVersion(db);
}
