import Redis from 'ioredis';
import { InputError } from '@backstage/errors';
import {
  ConsoleEngine,
  ConsoleResult,
  ConsoleSession,
  ConsoleTarget,
  jsonValue,
  RunOptions,
} from './types';

const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r' };

/**
 * A command line as redis-cli reads it: words split on spaces, with "double" (escapes
 * allowed) and 'single' quotes.
 */
export function parseCommandLine(line: string): string[] {
  const argv: string[] = [];
  let i = 0;
  const text = line.trim();
  while (i < text.length) {
    while (i < text.length && /\s/.test(text[i])) i++;
    if (i >= text.length) break;
    let word = '';
    let quoted = false;
    while (i < text.length && !/\s/.test(text[i])) {
      const c = text[i];
      if (c === '"' || c === "'") {
        quoted = true;
        i++;
        while (i < text.length && text[i] !== c) {
          if (c === '"' && text[i] === '\\' && i + 1 < text.length) {
            const next = text[i + 1];
            word += ESCAPES[next] ?? next;
            i += 2;
          } else word += text[i++];
        }
        if (i >= text.length) {
          throw new InputError(`unbalanced quotes in the command: ${line}`);
        }
        i++;
      } else word += text[i++];
    }
    if (word || quoted) argv.push(word);
  }
  return argv;
}

/** A reply as rows: a list gives a row per item, anything else one row. */
function replyRows(reply: unknown): unknown[][] {
  if (Array.isArray(reply)) {
    return reply.map(item =>
      Array.isArray(item)
        ? [JSON.stringify(jsonValue(item))]
        : [jsonValue(item)],
    );
  }
  return [[jsonValue(reply)]];
}

class RedisSession implements ConsoleSession {
  private closed = false;

  constructor(private readonly client: Redis) {}

  async run(statement: string, options: RunOptions): Promise<ConsoleResult> {
    const [command, ...args] = parseCommandLine(statement);
    if (!command) throw new InputError('the command is empty');
    const timer = setTimeout(() => this.client.disconnect(), options.timeoutMs);
    let reply: unknown;
    try {
      reply = await Promise.race([
        this.client.call(command, ...args),
        new Promise((_resolve, reject) =>
          this.client.once('end', () =>
            reject(
              new Error(
                `Command timed out or was cancelled after ${options.timeoutMs} ms`,
              ),
            ),
          ),
        ),
      ]);
    } finally {
      clearTimeout(timer);
    }
    async function* rows(): AsyncGenerator<unknown[]> {
      yield* replyRows(reply);
    }
    return { columns: [{ name: 'value', type: 'reply' }], rows: rows() };
  }

  async cancel(): Promise<void> {
    // Closing the connection ends a blocking command (BLPOP, WAIT) on the server.
    this.client.disconnect();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.client.disconnect();
  }
}

/**
 * Redis through ioredis: one command per run, parsed like redis-cli parses a line. Read mode
 * authenticates as the read-only ACL user (`+@read`), so CONFIG SET, FLUSHALL or SET are
 * refused by the server with NOPERM. Redis has no transactions to make read-only and no
 * server-side timeout: the driver's commandTimeout ends the wait and the connection is closed;
 * a command runs on the server until it returns (Redis runs one at a time, most are quick).
 */
export const redisEngine: ConsoleEngine = {
  async open(target: ConsoleTarget): Promise<ConsoleSession> {
    const client = new Redis({
      host: target.host,
      port: target.port,
      username: target.username,
      password: target.password,
      db: /^\d+$/.test(target.database ?? '') ? Number(target.database) : 0,
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      enableOfflineQueue: false,
      retryStrategy: () => null,
    });
    client.on('error', () => {});
    await client.connect();
    return new RedisSession(client);
  },
  isTimeout(error) {
    return /Command timed out/i.test(String((error as Error)?.message));
  },
};
