import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { Connection, RowDataPacket } from 'mysql2/promise';
import { loadDriver } from './drivers.ts';
import { checkName, ForeignObjectError, SANDBOX_MARK } from './engine.ts';
import type { RealEngine } from './engine.ts';
import type { DatabaseServerAddress } from './options.ts';
import { mustRunTool, ToolError } from './tools.ts';

/** The sandbox's own bookkeeping schema: which databases and users it created. */
const REGISTRY = 'autonomous_sandbox';

const escapeId = (name: string) => `\`${name.replace(/`/g, '``')}\``;

/**
 * MySQL, played by the machine's MariaDB: a database, its owner `'<owner>'@'%'` with all
 * privileges on it, the read-only user with `GRANT SELECT`. What the sandbox creates is listed
 * in the schema `autonomous_sandbox` (MariaDB users carry no comment). Dumps are `mysqldump
 * --single-transaction`; a restore loads the dump into a scratch database first and moves its
 * tables into the target only when the whole dump loaded.
 */
export class MysqlEngine implements RealEngine {
  readonly engine = 'mysql' as const;
  readonly address: DatabaseServerAddress;

  constructor(address: DatabaseServerAddress) {
    this.address = address;
  }

  private async withConnection<T>(
    fn: (c: Connection) => Promise<T>,
  ): Promise<T> {
    const mysql = await loadDriver<typeof import('mysql2/promise')>(
      'mysql2/promise',
    );
    const c = await mysql.createConnection({
      host: this.address.host,
      port: this.address.port,
      user: this.address.user ?? 'root',
      password: this.address.password ?? '',
      connectTimeout: 3000,
    });
    c.on('error', () => {});
    try {
      return await fn(c);
    } finally {
      await c.end().catch(() => {});
    }
  }

  private toolArgs(): string[] {
    return [
      '-h',
      this.address.host,
      '-P',
      String(this.address.port),
      '-u',
      this.address.user ?? 'root',
    ];
  }

  private toolEnv(): Record<string, string> {
    return this.address.password ? { MYSQL_PWD: this.address.password } : {};
  }

  async ping() {
    await this.withConnection(c => c.query('SELECT 1'));
  }

  private async registry(c: Connection) {
    await c.query(`CREATE DATABASE IF NOT EXISTS ${REGISTRY}`);
    await c.query(
      `CREATE TABLE IF NOT EXISTS ${REGISTRY}.objects (kind VARCHAR(16) NOT NULL, name VARCHAR(128) NOT NULL, db VARCHAR(128) NOT NULL, PRIMARY KEY (kind, name)) COMMENT '${SANDBOX_MARK}'`,
    );
  }

  private async marked(c: Connection, kind: string, name: string) {
    const [rows] = await c.query<RowDataPacket[]>(
      `SELECT db FROM ${REGISTRY}.objects WHERE kind = ? AND name = ?`,
      [kind, name],
    );
    return rows.length > 0;
  }

  private async ensureUser(
    c: Connection,
    database: string,
    user: string,
    password: string,
  ): Promise<string> {
    checkName('user', user);
    const [existing] = await c.query<RowDataPacket[]>(
      `SELECT 1 FROM mysql.user WHERE User = ?`,
      [user],
    );
    if (existing.length && !(await this.marked(c, 'user', user))) {
      throw new ForeignObjectError(
        `user "${user}" exists and was not created by the sandbox; it is left alone`,
      );
    }
    if (existing.length) {
      await c.query(`DROP USER IF EXISTS ?@'%'`, [user]);
    }
    await c.query(`CREATE USER ?@'%' IDENTIFIED BY ?`, [user, password]);
    await c.query(
      `REPLACE INTO ${REGISTRY}.objects (kind, name, db) VALUES ('user', ?, ?)`,
      [user, database],
    );
    return existing.length ? `reset user "${user}"` : `created user "${user}"`;
  }

  private async dropMarkedDatabase(c: Connection, database: string) {
    const [rows] = await c.query<RowDataPacket[]>(
      `SELECT 1 FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?`,
      [database],
    );
    if (!rows.length) return false;
    if (!(await this.marked(c, 'database', database))) {
      throw new ForeignObjectError(
        `database "${database}" exists and was not created by the sandbox; it is left alone`,
      );
    }
    await c.query(`DROP DATABASE ${escapeId(database)}`);
    return true;
  }

  async provision(database: string, owner: string, password: string) {
    checkName('database', database);
    return this.withConnection(async c => {
      await this.registry(c);
      const lines: string[] = [];
      if (await this.dropMarkedDatabase(c, database)) {
        lines.push(`replaced database "${database}" left from an earlier run`);
      }
      lines.push(await this.ensureUser(c, database, owner, password));
      await c.query(`CREATE DATABASE ${escapeId(database)}`);
      await c.query(
        `REPLACE INTO ${REGISTRY}.objects (kind, name, db) VALUES ('database', ?, ?)`,
        [database, database],
      );
      await c.query(
        `GRANT ALL PRIVILEGES ON ${escapeId(database)}.* TO ?@'%'`,
        [owner],
      );
      lines.push(
        `created database "${database}" with all privileges for "${owner}"`,
      );
      return lines;
    });
  }

  async createReadonly(
    database: string,
    _owner: string,
    user: string,
    password: string,
  ) {
    checkName('database', database);
    return this.withConnection(async c => {
      await this.registry(c);
      const line = await this.ensureUser(c, database, user, password);
      await c.query(`GRANT SELECT ON ${escapeId(database)}.* TO ?@'%'`, [user]);
      return [line, `GRANT SELECT ON \`${database}\`.* TO '${user}'@'%'`];
    });
  }

  async drop(database: string) {
    checkName('database', database);
    return this.withConnection(async c => {
      await this.registry(c);
      const lines: string[] = [];
      if (await this.dropMarkedDatabase(c, database)) {
        lines.push(`dropped database "${database}"`);
      }
      const [users] = await c.query<RowDataPacket[]>(
        `SELECT name FROM ${REGISTRY}.objects WHERE kind = 'user' AND db = ?`,
        [database],
      );
      for (const { name } of users) {
        await c.query(`DROP USER IF EXISTS ?@'%'`, [name]);
        lines.push(`dropped user "${name}"`);
      }
      await c.query(`DELETE FROM ${REGISTRY}.objects WHERE db = ?`, [database]);
      return lines;
    });
  }

  describe(
    action: 'backup' | 'restore' | 'users',
    database: string,
    _owner: string,
  ) {
    const at = `-h ${this.address.host} -P ${this.address.port} -u ${
      this.address.user ?? 'root'
    }`;
    if (action === 'backup')
      return `mysqldump --single-transaction --routines ${at} ${database}`;
    if (action === 'restore') return `mysql ${at} ${database} < dump`;
    return `mysql ${at} -e "CREATE USER …; GRANT SELECT ON \`${database}\`.* TO …"`;
  }

  async backup(database: string, file: string) {
    checkName('database', database);
    const r = await mustRunTool(
      'mysqldump',
      [
        '--single-transaction',
        '--routines',
        ...this.toolArgs(),
        `--result-file=${file}`,
        database,
      ],
      { env: this.toolEnv() },
    );
    return r.stderr.trim() ? r.stderr.trim().split('\n') : [];
  }

  async restore(database: string, _owner: string, file: string) {
    checkName('database', database);
    const text = await readFile(file, 'utf8');
    if (!/^-- Dump completed/m.test(text)) {
      throw new ToolError(
        'mysql: the dump is incomplete',
        `ERROR: ${file} does not end with the "-- Dump completed" line mysqldump writes last: the dump is truncated or not a mysqldump file`,
      );
    }
    const scratch = `${REGISTRY}_restore_${randomBytes(4).toString('hex')}`;
    return this.withConnection(async c => {
      await c.query(`CREATE DATABASE ${scratch}`);
      try {
        await mustRunTool('mysql', [...this.toolArgs(), scratch], {
          env: this.toolEnv(),
          stdinFile: file,
        });
        const tables = async (schema: string) =>
          (
            await c.query<RowDataPacket[]>(
              `SELECT TABLE_NAME AS t, TABLE_TYPE AS type FROM information_schema.TABLES WHERE TABLE_SCHEMA = ?`,
              [schema],
            )
          )[0];
        const loaded = await tables(scratch);
        const old = await tables(database);
        await c.query('SET FOREIGN_KEY_CHECKS = 0');
        for (const { t, type } of old) {
          await c.query(
            `DROP ${type === 'VIEW' ? 'VIEW' : 'TABLE'} ${escapeId(
              database,
            )}.${escapeId(t)}`,
          );
        }
        const moved = loaded.filter(r => r.type !== 'VIEW');
        if (moved.length) {
          await c.query(
            `RENAME TABLE ${moved
              .map(
                ({ t }) =>
                  `${scratch}.${escapeId(t)} TO ${escapeId(
                    database,
                  )}.${escapeId(t)}`,
              )
              .join(', ')}`,
          );
        }
        return [`mysql: restored ${moved.length} table(s) into "${database}"`];
      } finally {
        await c.query(`DROP DATABASE IF EXISTS ${scratch}`).catch(() => {});
      }
    });
  }
}
