// Tests only: reads the Autonomous backend's API document from the repository.
// eslint-disable-next-line no-restricted-imports
import { readFileSync } from 'fs';
// eslint-disable-next-line no-restricted-imports
import { resolve } from 'path';
import Ajv, { ValidateFunction } from 'ajv';
import { parse } from 'yaml';

/** The backend's API document: every route an action calls must be written there. */
const DOCUMENT_PATH = resolve(
  __dirname,
  '../../../autonomous-backend/src/schema/openapi.yaml',
);

type Operation = {
  requestBody?: { content?: Record<string, { schema?: object }> };
  responses?: Record<string, { $ref?: string; content?: any }>;
  parameters?: Array<{ $ref?: string; name?: string; in?: string }>;
};

const document = parse(readFileSync(DOCUMENT_PATH, 'utf8'));
const ajv = new Ajv({ strict: false, validateFormats: false, allErrors: true });
ajv.addSchema(document, 'api');
const compiled = new Map<string, ValidateFunction>();

function validatorFor(schema: object): ValidateFunction {
  const key = JSON.stringify(schema);
  let fn = compiled.get(key);
  if (!fn) {
    // Local refs of the operation's schema point into the document.
    const rebased = JSON.parse(
      key.replace(/"#\/components\//g, '"api#/components/'),
    );
    fn = ajv.compile(rebased);
    compiled.set(key, fn);
  }
  return fn;
}

function operationOf(
  method: string,
  path: string,
): { template: string; operation: Operation } | undefined {
  for (const [template, item] of Object.entries<Record<string, Operation>>(
    document.paths,
  )) {
    const pattern = new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`);
    const operation = item[method.toLowerCase()];
    if (operation && pattern.test(path)) return { template, operation };
  }
  return undefined;
}

function errorsOf(fn: ValidateFunction): string {
  return (fn.errors ?? [])
    .map(e => `${e.instancePath || '(body)'} ${e.message}`)
    .join('; ');
}

/**
 * Problems with a request to the Autonomous backend: an operation the document does not
 * have, a missing token, or a body its schema refuses.
 */
export function checkPortalRequest(request: {
  method: string;
  path: string;
  authorization?: string | null;
  body?: unknown;
}): string[] {
  const found = operationOf(request.method, request.path);
  if (!found) {
    return [`${request.method} ${request.path} is not in the API document`];
  }
  const problems: string[] = [];
  if (!/^Bearer \S+/.test(request.authorization ?? '')) {
    problems.push(`${request.method} ${found.template} without a bearer token`);
  }
  const schema =
    found.operation.requestBody?.content?.['application/json']?.schema;
  if (schema) {
    const fn = validatorFor(schema);
    if (!fn(request.body)) {
      problems.push(
        `${request.method} ${
          found.template
        }: body refused by the document: ${errorsOf(fn)}`,
      );
    }
  } else if (request.body !== undefined) {
    problems.push(`${request.method} ${found.template} takes no body`);
  }
  return problems;
}

/** Problems with a fixture's answer: a status or a body the document does not describe. */
export function checkPortalResponse(response: {
  method: string;
  path: string;
  status: number;
  body: unknown;
}): string[] {
  const found = operationOf(response.method, response.path);
  if (!found) return [];
  const declared = found.operation.responses?.[String(response.status)];
  if (!declared) {
    return [
      `${response.method} ${found.template} does not answer ${response.status} in the API document`,
    ];
  }
  const resolved = declared.$ref
    ? document.components.responses[declared.$ref.split('/').pop()!]
    : declared;
  const schema = resolved?.content?.['application/json']?.schema;
  if (!schema) return [];
  const fn = validatorFor(schema);
  return fn(response.body)
    ? []
    : [
        `${response.method} ${found.template} ${
          response.status
        }: answer refused by the document: ${errorsOf(fn)}`,
      ];
}
