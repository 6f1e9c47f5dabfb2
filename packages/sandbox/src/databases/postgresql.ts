import type { Client } from 'pg';
import { loadDriver } from './drivers.ts';
import { checkName, ForeignObjectError, SANDBOX_MARK } from './engine.ts';
import type { RealEngine } from './engine.ts';
import type { DatabaseServerAddress } from './options.ts';
import { mustRunTool } from './tools.ts';

const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;
/** A string literal, as pg's escapeLiteral writes it (E'' when there are backslashes). */
const literal = (text: string) => {
  const quoted = text.replace(/'/g, "''");
  return text.includes('\\')
    ? ` E'${quoted.replace(/\\/g, '\\\\')}'`
    : `'${quoted}'`;
};

/**
 * PostgreSQL: a database owned by its owner role; roles and databases the sandbox creates carry
 * the COMMENT `autonomous-sandbox` (roles: `autonomous-sandbox database=<db>`), which is how it
 * knows what it may replace or drop. Dumps are `pg_dump -Fc`; restores `pg_restore` in a single
 * transaction after `pg_restore --list` has read the archive.
 */
export class PostgresEngine implements RealEngine {
  readonly engine = 'postgresql' as const;
  readonly address: DatabaseServerAddress;

  constructor(address: DatabaseServerAddress) {
    this.address = address;
  }

  private async withClient<T>(
    database: string,
    fn: (client: Client) => Promise<T>,
  ): Promise<T> {
    const pg = await loadDriver<typeof import('pg')>('pg');
    const client = new pg.Client({
      host: this.address.host,
      port: this.address.port,
      user: this.address.user ?? 'postgres',
      password: this.address.password,
      database,
      connectionTimeoutMillis: 3000,
    });
    // A connection the server ends must not become an unhandled 'error' event.
    client.on('error', () => {});
    await client.connect();
    try {
      return await fn(client);
    } finally {
      await client.end().catch(() => {});
    }
  }

  private toolEnv(): Record<string, string> {
    return this.address.password ? { PGPASSWORD: this.address.password } : {};
  }

  private connectionArgs(): string[] {
    return [
      '-h',
      this.address.host,
      '-p',
      String(this.address.port),
      '-U',
      this.address.user ?? 'postgres',
    ];
  }

  async ping() {
    await this.withClient('postgres', c => c.query('SELECT 1'));
  }

  /** The role's comment, `null` for a role without one, `undefined` when there is no role. */
  private async roleMark(client: Client, role: string) {
    const r = await client.query(
      `SELECT shobj_description(oid, 'pg_authid') AS mark FROM pg_roles WHERE rolname = $1`,
      [role],
    );
    return r.rowCount ? (r.rows[0].mark as string | null) : undefined;
  }

  private async ensureRole(
    client: Client,
    database: string,
    role: string,
    password: string,
  ): Promise<string> {
    checkName('user', role);
    const mark = await this.roleMark(client, role);
    if (mark !== undefined && !mark?.startsWith(SANDBOX_MARK)) {
      throw new ForeignObjectError(
        `role "${role}" exists and was not created by the sandbox; it is left alone`,
      );
    }
    const verb = mark === undefined ? 'CREATE' : 'ALTER';
    await client.query(
      `${verb} ROLE ${ident(role)} WITH LOGIN PASSWORD ${literal(password)}`,
    );
    await client.query(
      `COMMENT ON ROLE ${ident(role)} IS ${literal(
        `${SANDBOX_MARK} database=${database}`,
      )}`,
    );
    return verb === 'CREATE'
      ? `created role "${role}"`
      : `reset role "${role}"`;
  }

  private async dropMarkedDatabase(client: Client, database: string) {
    const r = await client.query(
      `SELECT shobj_description(oid, 'pg_database') AS mark FROM pg_database WHERE datname = $1`,
      [database],
    );
    if (!r.rowCount) return false;
    if (r.rows[0].mark !== SANDBOX_MARK) {
      throw new ForeignObjectError(
        `database "${database}" exists and was not created by the sandbox; it is left alone`,
      );
    }
    await client.query(`DROP DATABASE ${ident(database)} WITH (FORCE)`);
    return true;
  }

  async provision(database: string, owner: string, password: string) {
    checkName('database', database);
    return this.withClient('postgres', async client => {
      const lines: string[] = [];
      if (await this.dropMarkedDatabase(client, database)) {
        lines.push(`replaced database "${database}" left from an earlier run`);
      }
      lines.push(await this.ensureRole(client, database, owner, password));
      await client.query(
        `CREATE DATABASE ${ident(database)} OWNER ${ident(owner)}`,
      );
      await client.query(
        `COMMENT ON DATABASE ${ident(database)} IS ${literal(SANDBOX_MARK)}`,
      );
      lines.push(`created database "${database}" owned by "${owner}"`);
      return lines;
    });
  }

  async createReadonly(
    database: string,
    owner: string,
    user: string,
    password: string,
  ) {
    checkName('database', database);
    checkName('user', owner);
    const lines = await this.withClient('postgres', async client => {
      const created = await this.ensureRole(client, database, user, password);
      await client.query(
        `ALTER ROLE ${ident(user)} SET default_transaction_read_only = on`,
      );
      await client.query(
        `GRANT CONNECT ON DATABASE ${ident(database)} TO ${ident(user)}`,
      );
      return [created];
    });
    await this.withClient(database, async client => {
      const schemas = await client.query(
        `SELECT nspname FROM pg_namespace WHERE nspname NOT LIKE 'pg\\_%' AND nspname <> 'information_schema'`,
      );
      for (const { nspname } of schemas.rows) {
        const s = ident(nspname);
        await client.query(`GRANT USAGE ON SCHEMA ${s} TO ${ident(user)}`);
        await client.query(
          `GRANT SELECT ON ALL TABLES IN SCHEMA ${s} TO ${ident(user)}`,
        );
        await client.query(
          `ALTER DEFAULT PRIVILEGES FOR ROLE ${ident(
            owner,
          )} IN SCHEMA ${s} GRANT SELECT ON TABLES TO ${ident(user)}`,
        );
      }
      lines.push(
        `granted "${user}" CONNECT, USAGE and SELECT on all tables (and tables "${owner}" creates later) in ${schemas.rowCount} schema(s); default_transaction_read_only = on`,
      );
    });
    return lines;
  }

  async drop(database: string) {
    checkName('database', database);
    return this.withClient('postgres', async client => {
      const lines: string[] = [];
      if (await this.dropMarkedDatabase(client, database)) {
        lines.push(`dropped database "${database}"`);
      }
      const roles = await client.query(
        `SELECT rolname FROM pg_roles WHERE shobj_description(oid, 'pg_authid') = $1`,
        [`${SANDBOX_MARK} database=${database}`],
      );
      for (const { rolname } of roles.rows) {
        try {
          await client.query(`DROP ROLE ${ident(rolname)}`);
          lines.push(`dropped role "${rolname}"`);
        } catch (e) {
          lines.push(
            `kept role "${rolname}": ${
              (e as Error).message
            } (it owns objects elsewhere)`,
          );
        }
      }
      return lines;
    });
  }

  describe(
    action: 'backup' | 'restore' | 'users',
    database: string,
    owner: string,
  ) {
    const at = `-h ${this.address.host} -p ${this.address.port} -U ${
      this.address.user ?? 'postgres'
    }`;
    if (action === 'backup') return `pg_dump -Fc ${at} -d ${database}`;
    if (action === 'restore')
      return `pg_restore --single-transaction --exit-on-error --clean --if-exists --no-owner --no-privileges --role=${owner} ${at} -d ${database}`;
    return `psql ${at} -d ${database} (CREATE ROLE … LOGIN; GRANT CONNECT, USAGE, SELECT; ALTER DEFAULT PRIVILEGES; ALTER ROLE … SET default_transaction_read_only = on)`;
  }

  async backup(database: string, file: string) {
    checkName('database', database);
    const r = await mustRunTool(
      'pg_dump',
      ['-Fc', ...this.connectionArgs(), '-d', database, '-f', file],
      { env: this.toolEnv() },
    );
    return r.stderr.trim() ? r.stderr.trim().split('\n') : [];
  }

  async restore(database: string, owner: string, file: string) {
    checkName('database', database);
    checkName('user', owner);
    // Reading the table of contents first refuses what is not an archive at all.
    const list = await mustRunTool('pg_restore', ['--list', file]);
    const entries = list.stdout
      .split('\n')
      .filter(l => l.trim() && !l.startsWith(';')).length;
    // One transaction: a dump that breaks half-way leaves the database as it was.
    await mustRunTool(
      'pg_restore',
      [
        '--single-transaction',
        '--exit-on-error',
        '--clean',
        '--if-exists',
        '--no-owner',
        '--no-privileges',
        `--role=${owner}`,
        ...this.connectionArgs(),
        '-d',
        database,
        file,
      ],
      { env: this.toolEnv() },
    );
    return [
      `pg_restore: restored ${entries} archive entries into "${database}"`,
    ];
  }
}
