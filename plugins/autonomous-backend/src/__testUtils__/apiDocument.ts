import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

/** One operation of `src/schema/openapi.yaml`, as the tests need it. */
export interface DocumentedOperation {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH';
  /** The document's path: `/releases/{id}`. */
  path: string;
  /** The same path as express writes it: `/releases/:id`. */
  expressPath: string;
  operationId: string;
  /** `x-autonomous-permission`; `none` for the health check. */
  permission: string;
  /** `x-autonomous-also-permission`: checked as well for some requests (write mode, audit). */
  alsoPermission?: string;
  /** The first 2xx response. */
  success: number;
}

export const API_DOCUMENT_PATH = resolve(
  __dirname,
  '..',
  'schema',
  'openapi.yaml',
);

/**
 * Reads the operations of the API document. The repository has no YAML parser among this
 * package's dependencies, so this reads the layout Prettier keeps fixed: paths at two spaces
 * under `paths:`, methods at four, an operation's keys at six, response codes at eight.
 */
export function readApiDocument(
  text = readFileSync(API_DOCUMENT_PATH, 'utf8'),
): DocumentedOperation[] {
  const operations: DocumentedOperation[] = [];
  let inPaths = false;
  let path: string | undefined;
  let current: Partial<DocumentedOperation> | undefined;
  let inResponses = false;
  const finish = () => {
    if (!current) return;
    const { method, operationId, permission, success } = current;
    if (!method || !operationId || !permission || !success) {
      throw new Error(
        `${current.method} ${current.path} in openapi.yaml needs an operationId, x-autonomous-permission and a 2xx response`,
      );
    }
    operations.push(current as DocumentedOperation);
    current = undefined;
  };
  for (const line of text.split('\n')) {
    if (/^\S/.test(line)) {
      finish();
      inPaths = line.startsWith('paths:');
      continue;
    }
    if (!inPaths) continue;
    const pathMatch = /^ {2}(\/\S*):\s*$/.exec(line);
    if (pathMatch) {
      finish();
      path = pathMatch[1];
      continue;
    }
    const methodMatch = /^ {4}(get|post|put|delete|patch):\s*$/.exec(line);
    if (methodMatch && path) {
      finish();
      current = {
        method: methodMatch[1].toUpperCase() as DocumentedOperation['method'],
        path,
        expressPath: path.replace(/\{([^}]+)\}/g, ':$1'),
      };
      inResponses = false;
      continue;
    }
    if (!current) continue;
    const key = /^ {6}([\w-]+):\s*(.*?)\s*$/.exec(line);
    if (key) {
      inResponses = key[1] === 'responses';
      if (key[1] === 'operationId') current.operationId = key[2];
      if (key[1] === 'x-autonomous-permission') current.permission = key[2];
      if (key[1] === 'x-autonomous-also-permission')
        current.alsoPermission = key[2];
      continue;
    }
    const code = /^ {8}'(\d{3})':\s*$/.exec(line);
    if (code && inResponses && !current.success && code[1].startsWith('2')) {
      current.success = Number(code[1]);
    }
  }
  finish();
  return operations;
}

/**
 * Operations written into the document ahead of their routes, so the page and the client can be
 * built against them. The route tests (served routes, permission matrix, fuzz) skip them; each
 * comes off this list in the change that serves it. Keyed `METHOD /express/path`.
 */
export const DOCUMENTED_AHEAD_OF_ROUTES: ReadonlySet<string> = new Set([]);

/** The operations a running plugin must serve: the document less those written ahead. */
export function servedApiOperations(): DocumentedOperation[] {
  return readApiDocument().filter(
    op => !DOCUMENTED_AHEAD_OF_ROUTES.has(`${op.method} ${op.expressPath}`),
  );
}
