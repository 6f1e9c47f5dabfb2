import { load as parseYaml } from 'js-yaml';
import { JSON_PATCH } from './jsonPatch';
import { resolveOperation } from './resolveOperation';
import { checkParameters } from './parameters';
import { DocumentKey } from './spec/documents';
import { Operation } from './spec/operation';
import { describeErrors, validatorFor } from './spec/schemaValidators';
import { SystemDefinition } from './systems';
import {
  CheckOptions,
  ContractResult,
  RecordedRequest,
  UpstreamSystem,
} from './types';

function lowerCaseHeaders(headers: Record<string, string> | undefined) {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {}))
    out[name.toLowerCase()] = String(value);
  return out;
}

function isEmptyBody(body: unknown) {
  return (
    body === undefined ||
    body === null ||
    (typeof body === 'string' && body.length === 0)
  );
}

function bodyText(body: unknown): string | undefined {
  if (typeof body === 'string') return body;
  if (body instanceof Uint8Array) return Buffer.from(body).toString('utf8');
  if (body instanceof ArrayBuffer) return Buffer.from(body).toString('utf8');
  return undefined;
}

/** Parses a body for schema validation; returns undefined for media types that carry no JSON. */
export function parseBody(
  mediaType: string,
  body: unknown,
): { value: unknown } | { error: string } | undefined {
  const text = bodyText(body);
  if (text === undefined) return { value: body };
  if (/yaml/.test(mediaType)) {
    try {
      return { value: parseYaml(text) };
    } catch (e) {
      return { error: `body is not valid YAML: ${(e as Error).message}` };
    }
  }
  if (/json/.test(mediaType) || mediaType === '' || mediaType === '*/*') {
    try {
      return { value: JSON.parse(text) };
    } catch (e) {
      return { error: `body is not valid JSON: ${(e as Error).message}` };
    }
  }
  if (/xml/.test(mediaType) && !/^\s*</.test(text)) {
    return { error: 'body is not XML' };
  }
  return undefined;
}

function checkBody(
  system: SystemDefinition,
  document: DocumentKey | undefined,
  operation: Operation,
  headers: Record<string, string>,
  body: unknown,
): string[] {
  const declared = operation.body;
  if (isEmptyBody(body)) {
    return declared?.required ? ['a request body is required'] : [];
  }
  if (!declared) return ['the operation takes no request body'];

  const accepted = Object.keys(declared.media);
  const mediaType = (headers['content-type'] ?? '')
    .split(';')[0]
    .trim()
    .toLowerCase();
  let schemaKey: string | undefined;
  if (!mediaType) {
    if (system.requiresContentType) {
      return [
        `no Content-Type header (the operation accepts ${accepted.join(', ')})`,
      ];
    }
    schemaKey = accepted.find(m => /json/.test(m)) ?? accepted[0];
  } else {
    schemaKey = [mediaType, '*/*'].find(m => accepted.includes(m));
    if (!schemaKey) {
      return [
        `Content-Type ${mediaType} is not accepted (the operation accepts ${accepted.join(
          ', ',
        )})`,
      ];
    }
  }
  const parsed = parseBody(mediaType || schemaKey || '', body);
  if (!parsed) return [];
  if ('error' in parsed) return [parsed.error];
  const schema =
    mediaType === 'application/json-patch+json'
      ? JSON_PATCH
      : schemaKey && declared.media[schemaKey];
  if (!schema) return [];
  const validate = validatorFor(document, schema);
  return validate(parsed.value) ? [] : describeErrors('body', validate.errors);
}

/** Checks that a request is valid for the real API's specification. */
export function checkRequest(
  system: UpstreamSystem,
  request: RecordedRequest,
  options?: CheckOptions,
): ContractResult {
  const resolved = resolveOperation(
    system,
    request.method,
    request.url,
    options,
  );
  if (!resolved.ok) return resolved;
  const { value } = resolved;
  const headers = lowerCaseHeaders(request.headers);
  let firstProblems: string[] | undefined;
  for (const { operation, params } of value.candidates) {
    const problems = [
      ...value.system.checkAuth(value.method, value.path, headers, operation),
      ...checkParameters(operation.parameters, value.query, headers, params),
      ...checkBody(
        value.system,
        value.document,
        operation,
        headers,
        request.body,
      ),
    ];
    if (problems.length === 0) return { ok: true, operation: operation.id };
    firstProblems ??= problems;
  }
  return {
    ok: false,
    problems: firstProblems!.map(p => `${value.method} ${value.path}: ${p}`),
  };
}
