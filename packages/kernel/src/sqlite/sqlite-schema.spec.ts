import { DatabaseSync } from 'node:sqlite';
import { migrateSqliteSchema } from './sqlite-schema.js';

const schema = {
  versionTable: 'demo_schema_version',
  subject: 'the demo tables',
  steps: [
    { version: 1, sql: 'CREATE TABLE demo (id INTEGER PRIMARY KEY) STRICT;' },
    { version: 2, sql: 'ALTER TABLE demo ADD COLUMN name TEXT;' },
  ],
};

describe('migrateSqliteSchema', () => {
  it('applies the pending steps once, in order, and records each version', () => {
    const database = new DatabaseSync(':memory:');
    migrateSqliteSchema(database, { ...schema, steps: schema.steps.slice(0, 1) });
    migrateSqliteSchema(database, schema);
    migrateSqliteSchema(database, schema);
    const versions = database.prepare('SELECT version FROM demo_schema_version ORDER BY version').all();
    expect(versions.map((row) => row['version'])).toEqual([1, 2]);
    database.prepare("INSERT INTO demo (id, name) VALUES (1, 'a')").run();
  });

  it('refuses a file from a newer llmops, and leaves nothing half-applied when a step fails', () => {
    const database = new DatabaseSync(':memory:');
    migrateSqliteSchema(database, schema);
    expect(() => migrateSqliteSchema(database, { ...schema, steps: schema.steps.slice(0, 1) })).toThrow(
      'the demo tables are at schema version 2, newer than this llmops knows (1); upgrade llmops',
    );
    const fresh = new DatabaseSync(':memory:');
    const broken = [...schema.steps, { version: 3, sql: 'NOT SQL' }];
    expect(() => migrateSqliteSchema(fresh, { ...schema, steps: broken })).toThrow();
    expect(fresh.prepare("SELECT name FROM sqlite_master WHERE name = 'demo'").all()).toEqual([]);
  });
});
