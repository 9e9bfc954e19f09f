import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import path from 'node:path';
import { openDatabase, closeDatabase } from './database';
import { tempHome } from '../../../../test/helpers/temp-home';

let dir: string;
let cleanup: () => void;
beforeEach(() => {
  const t = tempHome('lathe-db-');
  dir = t.home;
  cleanup = t.cleanup;
});
afterEach(() => cleanup());

const m = (version: number) => ({ version, name: `m${version}`, sql: `CREATE TABLE t${version} (x INTEGER);` });

describe('migrations', () => {
  it('applies each migration once, in version order, and records it', () => {
    const file = path.join(dir, 'a.db');
    const db = openDatabase(file, [m(2), m(1)]);
    expect(db.prepare('SELECT version FROM schema_migrations ORDER BY version').all()).toEqual([{ version: 1 }, { version: 2 }]);
    expect(db.pragma('user_version', { simple: true })).toBe(2);
    closeDatabase(db);
    const again = openDatabase(file, [m(1), m(2)]);
    expect(again.prepare('SELECT COUNT(*) AS n FROM schema_migrations').get()).toEqual({ n: 2 });
    closeDatabase(again);
  });

  it('still applies a lower-numbered migration that arrives after a higher one', () => {
    const file = path.join(dir, 'b.db');
    closeDatabase(openDatabase(file, [m(1), m(3)]));
    const db = openDatabase(file, [m(1), m(2), m(3)]);
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 't2'").get()).toEqual({ name: 't2' });
    closeDatabase(db);
  });

  it('refuses a database written by a newer Lathe, and a failed migration leaves nothing half-applied', () => {
    const file = path.join(dir, 'c.db');
    closeDatabase(openDatabase(file, [m(1), m(2)]));
    expect(() => openDatabase(file, [m(1)])).toThrow(/migration\(s\) 2 .*newer Lathe/);
    const bad = { version: 3, name: 'bad', sql: 'CREATE TABLE ok3 (x INTEGER); CREATE TABLE broken (' };
    expect(() => openDatabase(file, [m(1), m(2), bad])).toThrow();
    const db = openDatabase(file, [m(1), m(2)]);
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'ok3'").get()).toBeUndefined();
    closeDatabase(db);
  });
});

describe('stores from before schema_migrations', () => {
  it('treats every migration up to user_version as applied', () => {
    const file = path.join(dir, 'legacy.db');
    const legacy = openDatabase(file, [m(1)]);
    legacy.exec('DROP TABLE schema_migrations');
    legacy.pragma('user_version = 1');
    closeDatabase(legacy);
    const db = openDatabase(file, [m(1), m(2)]);
    expect(db.prepare('SELECT version FROM schema_migrations ORDER BY version').all()).toEqual([{ version: 1 }, { version: 2 }]);
    closeDatabase(db);
  });
});
