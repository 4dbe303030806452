import { DatabaseSync } from 'node:sqlite';

describe('runtime', () => {
  it('runs on Node.js 22 or newer (the pinned node@24 package)', () => {
    const [major] = process.versions.node.split('.').map(Number);
    expect(major).toBeGreaterThanOrEqual(22);
  });

  it('opens a database with node:sqlite, no native addon needed', () => {
    const database = new DatabaseSync(':memory:');
    database.exec('CREATE TABLE t (v TEXT)');
    database.prepare('INSERT INTO t (v) VALUES (?)').run('hello');
    expect(database.prepare('SELECT v FROM t').get()).toEqual({ v: 'hello' });
    database.close();
  });
});
