import { createHash, randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import type Redis from 'ioredis';
import { loadDriver } from './drivers.ts';
import { checkName, ForeignObjectError, SANDBOX_MARK } from './engine.ts';
import type { RealEngine } from './engine.ts';
import type { DatabaseServerAddress } from './options.ts';
import { ToolError } from './tools.ts';

/** Hash of the ACL users the sandbox created: user → database. */
const USERS_KEY = `${SANDBOX_MARK}:users`;
const DUMP_HEADER = 'AUTONOMOUS-SANDBOX-REDIS-DUMP 1';

/** A glob pattern matching exactly the keys `<database>:…`. */
function prefixPattern(database: string) {
  return `${database.replace(/[*?[\]\\]/g, m => `\\${m}`)}:*`;
}

/**
 * Redis: a "database" is the key prefix `<database>:` and a pair of ACL users — the owner
 * `on >pw ~<database>:* +@all -@admin -@dangerous`, the read-only user
 * `on >pw ~<database>:* -@all +@read +ping`. Dumps hold each key's `DUMP` payload and TTL
 * (the file format is the sandbox's: a header line, one JSON line per key, a sha256 trailer);
 * a restore checks the file, restores every payload under a scratch name, then swaps them in
 * with one MULTI/EXEC, so a bad dump leaves the keys as they were.
 */
export class RedisEngine implements RealEngine {
  readonly engine = 'redis' as const;
  readonly address: DatabaseServerAddress;

  constructor(address: DatabaseServerAddress) {
    this.address = address;
  }

  private async withClient<T>(fn: (r: Redis) => Promise<T>): Promise<T> {
    const RedisClient = await loadDriver<typeof Redis>('ioredis');
    const r = new RedisClient({
      host: this.address.host,
      port: this.address.port,
      username: this.address.user,
      password: this.address.password,
      lazyConnect: true,
      enableReadyCheck: false,
      maxRetriesPerRequest: 0,
      connectTimeout: 3000,
      retryStrategy: () => null,
    });
    r.on('error', () => {});
    await r.connect();
    try {
      return await fn(r);
    } finally {
      r.disconnect();
    }
  }

  async ping() {
    await this.withClient(r => r.ping());
  }

  private async keysOf(r: Redis, database: string): Promise<string[]> {
    const keys: string[] = [];
    let cursor = '0';
    do {
      const [next, batch] = await r.scan(
        cursor,
        'MATCH',
        prefixPattern(database),
        'COUNT',
        500,
      );
      keys.push(...batch);
      cursor = next;
    } while (cursor !== '0');
    return keys;
  }

  private async ensureUser(
    r: Redis,
    database: string,
    user: string,
    rules: string[],
  ): Promise<string> {
    checkName('user', user);
    const exists = (await r.acl('GETUSER', user)) !== null;
    if (exists && (await r.hget(USERS_KEY, user)) === null) {
      throw new ForeignObjectError(
        `ACL user "${user}" exists and was not created by the sandbox; it is left alone`,
      );
    }
    await r.call('ACL', 'SETUSER', user, 'reset', ...rules);
    await r.hset(USERS_KEY, user, database);
    return `${exists ? 'reset' : 'created'} ACL user "${user}" (${rules
      .filter(x => !x.startsWith('>'))
      .join(' ')})`;
  }

  async provision(database: string, owner: string, password: string) {
    checkName('database', database);
    return this.withClient(async r => {
      const lines: string[] = [];
      const earlier = await this.usersOf(r, database);
      if (earlier.length) {
        lines.push(...(await this.dropWith(r, database)));
        lines.unshift(
          `replaced database "${database}" left from an earlier run`,
        );
      }
      lines.push(
        await this.ensureUser(r, database, owner, [
          'on',
          `>${password}`,
          `~${prefixPattern(database)}`,
          `&${prefixPattern(database)}`,
          '+@all',
          '-@admin',
          '-@dangerous',
        ]),
      );
      lines.push(`database "${database}" is the key prefix "${database}:"`);
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
    return this.withClient(async r => [
      await this.ensureUser(r, database, user, [
        'on',
        `>${password}`,
        `~${prefixPattern(database)}`,
        '-@all',
        '+@read',
        '+ping',
      ]),
    ]);
  }

  private async usersOf(r: Redis, database: string): Promise<string[]> {
    const all = await r.hgetall(USERS_KEY);
    return Object.entries(all)
      .filter(([, db]) => db === database)
      .map(([user]) => user);
  }

  private async dropWith(r: Redis, database: string) {
    const lines: string[] = [];
    const keys = await this.keysOf(r, database);
    if (keys.length) await r.unlink(...keys);
    lines.push(`deleted ${keys.length} key(s) "${database}:*"`);
    for (const user of await this.usersOf(r, database)) {
      await r.acl('DELUSER', user);
      await r.hdel(USERS_KEY, user);
      lines.push(`deleted ACL user "${user}"`);
    }
    return lines;
  }

  async drop(database: string) {
    checkName('database', database);
    return this.withClient(r => this.dropWith(r, database));
  }

  describe(
    action: 'backup' | 'restore' | 'users',
    database: string,
    _owner: string,
  ) {
    const at = `-h ${this.address.host} -p ${this.address.port} --user ${
      this.address.user ?? 'default'
    }`;
    if (action === 'backup')
      return `redis-cli ${at} --scan --pattern '${database}:*' | DUMP + PTTL each key`;
    if (action === 'restore')
      return `redis-cli ${at} RESTORE each key of the dump, swapped in with MULTI/EXEC`;
    return `redis-cli ${at} ACL SETUSER <readonly> on >*** ~${database}:* +@read`;
  }

  async backup(database: string, file: string) {
    checkName('database', database);
    return this.withClient(async r => {
      const lines: string[] = [];
      const keys = await this.keysOf(r, database);
      for (const key of keys) {
        const payload = await r.dumpBuffer(key);
        if (!payload) continue;
        const ttl = await r.pttl(key);
        lines.push(
          JSON.stringify({
            k: Buffer.from(key.slice(database.length + 1)).toString('base64'),
            ttl: ttl > 0 ? ttl : 0,
            v: payload.toString('base64'),
          }),
        );
      }
      const body = [`${DUMP_HEADER} ${database}`, ...lines].join('\n');
      const sum = createHash('sha256').update(body).digest('hex');
      await writeFile(file, `${body}\nEND ${lines.length} ${sum}\n`);
      return [`dumped ${lines.length} key(s) "${database}:*"`];
    });
  }

  private async readDump(file: string) {
    const text = await readFile(file, 'utf8');
    const all = text.replace(/\n$/, '').split('\n');
    const trailer = /^END (\d+) ([0-9a-f]{64})$/.exec(
      all[all.length - 1] ?? '',
    );
    const body = all.slice(0, -1).join('\n');
    if (
      !all[0]?.startsWith(`${DUMP_HEADER} `) ||
      !trailer ||
      createHash('sha256').update(body).digest('hex') !== trailer[2] ||
      all.length - 2 !== Number(trailer[1])
    ) {
      throw new ToolError(
        'redis restore: the dump is corrupt',
        `ERR ${file} is not a complete sandbox Redis dump (header, ${
          trailer ? trailer[1] : '?'
        } entries and sha256 trailer do not match)`,
      );
    }
    return all.slice(1, -1).map(l => {
      const e = JSON.parse(l);
      return {
        suffix: Buffer.from(e.k, 'base64').toString('utf8'),
        ttl: Number(e.ttl),
        payload: Buffer.from(e.v, 'base64'),
      };
    });
  }

  async restore(database: string, _owner: string, file: string) {
    checkName('database', database);
    const entries = await this.readDump(file);
    return this.withClient(async r => {
      const scratch = `${SANDBOX_MARK}:restore:${randomBytes(4).toString(
        'hex',
      )}`;
      const staged: string[] = [];
      try {
        for (const [i, e] of entries.entries()) {
          const name = `${scratch}:${i}`;
          // RESTORE checks the payload's own checksum; a bad one fails here, before any swap.
          await r.restore(name, 0, e.payload);
          staged.push(name);
        }
      } catch (error) {
        if (staged.length) await r.unlink(...staged);
        throw new ToolError(
          'redis restore failed',
          `(error) ${(error as Error).message}`,
        );
      }
      const old = await this.keysOf(r, database);
      const tx = r.multi();
      if (old.length) tx.unlink(...old);
      entries.forEach((e, i) => {
        const target = `${database}:${e.suffix}`;
        tx.rename(staged[i], target);
        if (e.ttl > 0) tx.pexpire(target, e.ttl);
      });
      await tx.exec();
      return [`restored ${entries.length} key(s) into "${database}:*"`];
    });
  }
}
