import { Binary, BSON, Document, Long } from 'mongodb';
import { createHash, createHmac, pbkdf2Sync, randomBytes } from 'node:crypto';
import { AddressInfo, createServer, Socket } from 'node:net';

/*
 * A local MongoDB stand-in speaking just enough of the wire protocol for the real driver:
 * the OP_QUERY handshake, OP_MSG commands, SCRAM-SHA-256 authentication, find/aggregate with
 * cursors (getMore, killCursors), insert, distinct, currentOp/killOp. Users have a role the
 * way the users Job creates them: `read` refuses every write with MongoDB's own error.
 * A collection named `slow` never answers: maxTimeMS ends it (code 50), as does killOp (11601).
 */

const OP_REPLY = 1;
const OP_QUERY = 2004;
const OP_MSG = 2013;

export interface FakeUser {
  password: string;
  role: 'read' | 'readWrite';
}

interface Pending {
  opid: number;
  command: Document;
  fail(reply: Document): void;
}

function hmac(key: Buffer, text: string | Buffer) {
  return createHmac('sha256', key).update(text).digest();
}

export async function startMongoFake(options: {
  database: string;
  users: Record<string, FakeUser>;
  collections: Record<string, Document[]>;
}) {
  const commands: Array<{ user?: string; command: Document }> = [];
  const cursors = new Map<string, { ns: string; docs: Document[] }>();
  const pending = new Map<number, Pending>();
  let nextCursor = 1;
  let nextOp = 1;
  const sockets = new Set<Socket>();

  function collectionDocs(name: string, filter?: Document): Document[] {
    const docs = options.collections[name] ?? [];
    const entries = Object.entries(filter ?? {});
    return docs.filter(doc => entries.every(([k, v]) => doc[k] === v));
  }

  function cursorReply(ns: string, docs: Document[], batchSize?: number) {
    const size = batchSize ?? 101;
    const first = docs.slice(0, size);
    let id = Long.ZERO;
    if (docs.length > size) {
      id = Long.fromNumber(nextCursor++);
      cursors.set(id.toString(), { ns, docs: docs.slice(size) });
    }
    return { cursor: { firstBatch: first, id, ns }, ok: 1 };
  }

  const unauthorized = (command: Document, db: string) => ({
    ok: 0,
    code: 13,
    codeName: 'Unauthorized',
    errmsg: `not authorized on ${db} to execute command { ${
      Object.keys(command)[0]
    }: "${Object.values(command)[0]}" }`,
  });

  async function handle(
    conn: { user?: string; scram?: Document },
    command: Document,
  ): Promise<Document> {
    const name = Object.keys(command)[0];
    const db = command.$db ?? options.database;
    commands.push({ user: conn.user, command });
    switch (name) {
      case 'ismaster':
      case 'isMaster':
      case 'hello':
        return {
          ismaster: true,
          isWritablePrimary: true,
          helloOk: true,
          maxBsonObjectSize: 16 * 1024 * 1024,
          maxMessageSizeBytes: 48_000_000,
          maxWriteBatchSize: 100_000,
          localTime: new Date(),
          minWireVersion: 0,
          maxWireVersion: 21,
          connectionId: 1,
          ok: 1,
        };
      case 'saslStart': {
        const first = Buffer.from(command.payload.buffer).toString();
        const bare = first.replace(/^n,,/, '');
        const user = /n=([^,]*)/.exec(bare)?.[1] ?? '';
        const nonce = `${/r=([^,]*)/.exec(bare)?.[1]}${randomBytes(18).toString(
          'base64',
        )}`;
        const salt = randomBytes(16);
        const serverFirst = `r=${nonce},s=${salt.toString('base64')},i=4096`;
        conn.scram = { user, bare, serverFirst, salt };
        return {
          conversationId: 1,
          done: false,
          payload: new Binary(Buffer.from(serverFirst)),
          ok: 1,
        };
      }
      case 'saslContinue': {
        const { user, bare, serverFirst, salt } = conn.scram ?? {};
        const final = Buffer.from(command.payload.buffer).toString();
        const withoutProof = final.replace(/,p=.*$/, '');
        const proof = Buffer.from(/p=(.*)$/.exec(final)?.[1] ?? '', 'base64');
        const authMessage = `${bare},${serverFirst},${withoutProof}`;
        const known = options.users[user];
        const salted = pbkdf2Sync(
          known?.password ?? '',
          salt,
          4096,
          32,
          'sha256',
        );
        const clientKey = hmac(salted, 'Client Key');
        const storedKey = createHash('sha256').update(clientKey).digest();
        const signature = hmac(storedKey, authMessage);
        const recovered = Buffer.from(proof.map((b, i) => b ^ signature[i]));
        if (
          !known ||
          !createHash('sha256').update(recovered).digest().equals(storedKey)
        ) {
          return {
            ok: 0,
            code: 18,
            codeName: 'AuthenticationFailed',
            errmsg: 'Authentication failed.',
          };
        }
        conn.user = user;
        const serverSignature = hmac(hmac(salted, 'Server Key'), authMessage);
        return {
          conversationId: 1,
          done: true,
          payload: new Binary(
            Buffer.from(`v=${serverSignature.toString('base64')}`),
          ),
          ok: 1,
        };
      }
      case 'ping':
      case 'endSessions':
        return { ok: 1 };
      default:
    }
    if (!conn.user) {
      return {
        ok: 0,
        code: 13,
        codeName: 'Unauthorized',
        errmsg: `command ${name} requires authentication`,
      };
    }
    const role = options.users[conn.user].role;
    const ns = `${db}.${command[name]}`;
    switch (name) {
      case 'find':
      case 'aggregate': {
        if (command[name] === 'slow') {
          const opid = nextOp++;
          return new Promise(resolve => {
            let timer: NodeJS.Timeout | undefined = undefined;
            const fail = (reply: Document) => {
              clearTimeout(timer);
              pending.delete(opid);
              resolve(reply);
            };
            timer = setTimeout(
              () =>
                fail({
                  ok: 0,
                  code: 50,
                  codeName: 'MaxTimeMSExpired',
                  errmsg: 'operation exceeded time limit',
                }),
              command.maxTimeMS ?? 2 ** 31 - 1,
            );
            pending.set(opid, { opid, command, fail });
          });
        }
        const stages: Document[] = command.pipeline ?? [];
        if (stages.some(s => '$out' in s || '$merge' in s) && role === 'read') {
          return unauthorized(command, db);
        }
        const match = stages.find(s => s.$match)?.$match ?? command.filter;
        let docs = collectionDocs(command[name], match);
        if (command.limit) docs = docs.slice(0, command.limit);
        const count = stages.find(s => s.$count)?.$count;
        if (count) docs = [{ [count]: docs.length }];
        return cursorReply(
          ns,
          docs,
          command.batchSize ?? command.cursor?.batchSize,
        );
      }
      case 'getMore': {
        const cursor = cursors.get(String(command.getMore));
        if (!cursor)
          return {
            ok: 0,
            code: 43,
            codeName: 'CursorNotFound',
            errmsg: 'cursor not found',
          };
        const batch = cursor.docs.splice(0, command.batchSize ?? 101);
        let id = Long.fromNumber(Number(command.getMore));
        if (cursor.docs.length === 0) {
          cursors.delete(String(id));
          id = Long.ZERO;
        }
        return { cursor: { nextBatch: batch, id, ns: cursor.ns }, ok: 1 };
      }
      case 'killCursors':
        for (const id of command.cursors) cursors.delete(String(id));
        return { cursorsKilled: command.cursors, ok: 1 };
      case 'count':
        return {
          n: collectionDocs(command.count, command.query).length,
          ok: 1,
        };
      case 'distinct':
        return {
          values: [
            ...new Set(
              collectionDocs(command.distinct, command.query).map(
                d => d[command.key],
              ),
            ),
          ],
          ok: 1,
        };
      case 'insert':
        if (role === 'read') return unauthorized(command, db);
        (options.collections[command.insert] ??= []).push(...command.documents);
        return { n: command.documents.length, ok: 1 };
      case 'currentOp':
        return {
          inprog: [...pending.values()]
            .filter(op => op.command.comment === command['command.comment'])
            .map(op => ({ opid: op.opid, command: op.command })),
          ok: 1,
        };
      case 'killOp':
        pending.get(command.op)?.fail({
          ok: 0,
          code: 11601,
          codeName: 'Interrupted',
          errmsg: 'operation was interrupted',
        });
        return { info: 'attempting to kill op', ok: 1 };
      default:
        return {
          ok: 0,
          code: 59,
          codeName: 'CommandNotFound',
          errmsg: `no such command: '${name}'`,
        };
    }
  }

  function frame(requestId: number, opCode: number, body: Buffer) {
    const header = Buffer.alloc(16);
    header.writeInt32LE(16 + body.length, 0);
    header.writeInt32LE(nextOp++, 4);
    header.writeInt32LE(requestId, 8);
    header.writeInt32LE(opCode, 12);
    return Buffer.concat([header, body]);
  }

  async function message(
    conn: { user?: string },
    socket: Socket,
    data: Buffer,
  ) {
    const requestId = data.readInt32LE(4);
    const opCode = data.readInt32LE(12);
    if (opCode === OP_QUERY) {
      const nameEnd = data.indexOf(0, 20);
      const command = BSON.deserialize(data.subarray(nameEnd + 9));
      const reply = BSON.serialize(await handle(conn, command));
      const head = Buffer.alloc(20);
      head.writeInt32LE(1, 16);
      socket.write(frame(requestId, OP_REPLY, Buffer.concat([head, reply])));
      return;
    }
    if (opCode !== OP_MSG) return;
    let command: Document = {};
    for (let at = 20; at < data.length; ) {
      const kind = data[at];
      const size = data.readInt32LE(at + 1);
      if (kind === 0) {
        command = {
          ...BSON.deserialize(data.subarray(at + 1, at + 1 + size)),
          ...command,
        };
      } else {
        const idEnd = data.indexOf(0, at + 5);
        const id = data.toString('utf8', at + 5, idEnd);
        const docs: Document[] = [];
        for (let d = idEnd + 1; d < at + 1 + size; d += data.readInt32LE(d)) {
          docs.push(
            BSON.deserialize(data.subarray(d, d + data.readInt32LE(d))),
          );
        }
        command[id] = docs;
      }
      at += 1 + size;
    }
    const reply = BSON.serialize(await handle(conn, command));
    socket.write(
      frame(
        requestId,
        OP_MSG,
        Buffer.concat([Buffer.from([0, 0, 0, 0, 0]), reply]),
      ),
    );
  }

  const server = createServer(socket => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    const conn = {};
    let buffer = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      while (buffer.length >= 4 && buffer.length >= buffer.readInt32LE(0)) {
        const length = buffer.readInt32LE(0);
        message(conn, socket, buffer.subarray(0, length)).catch(() =>
          socket.destroy(),
        );
        buffer = buffer.subarray(length);
      }
    });
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));

  return {
    port: (server.address() as AddressInfo).port,
    /** Every command the fake received, with the user its connection authenticated as. */
    commands,
    /** Commands of one name, in order. */
    named: (name: string) =>
      commands.filter(c => Object.keys(c.command)[0] === name),
    /** Operations still running (the `slow` collection's). */
    running: () => pending.size,
    openCursors: () => cursors.size,
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise(resolve => server.close(resolve));
    },
  };
}
