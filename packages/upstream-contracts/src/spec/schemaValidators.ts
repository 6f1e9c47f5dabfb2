import Ajv, { ErrorObject, ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { DocumentKey, loadDocument } from './documents';
import { SchemaSource } from './operation';

let ajv: Ajv | undefined;
const added = new Set<DocumentKey>();
const byPointer = new Map<string, ValidateFunction>();
const byInline = new WeakMap<object, ValidateFunction>();

function getAjv(): Ajv {
  if (!ajv) {
    ajv = new Ajv({
      strict: false,
      allErrors: true,
      validateSchema: false,
      logger: false,
    });
    addFormats(ajv);
  }
  return ajv;
}

function documentId(key: DocumentKey) {
  return `urn:upstream-contracts:${key}`;
}

/**
 * A validator for a schema of a document, compiled on first use and cached. The whole document is
 * registered once so `$ref`s inside it resolve.
 */
export function validatorFor(
  key: DocumentKey | undefined,
  source: SchemaSource,
): ValidateFunction {
  const instance = getAjv();
  if (key && !added.has(key)) {
    instance.addSchema(loadDocument(key), documentId(key));
    added.add(key);
  }
  if ('inline' in source) {
    let validate = byInline.get(source.inline);
    if (!validate) {
      validate = instance.compile(source.inline);
      byInline.set(source.inline, validate);
    }
    return validate;
  }
  if (!key)
    throw new Error(`A schema pointer needs a document: ${source.pointer}`);
  const cacheKey = `${key}#${source.pointer}`;
  let validate = byPointer.get(cacheKey);
  if (!validate) {
    validate = instance.compile({
      $ref: `${documentId(key)}#${source.pointer}`,
    });
    byPointer.set(cacheKey, validate);
  }
  return validate;
}

function describePath(prefix: string, instancePath: string): string {
  return instancePath
    .split('/')
    .slice(1)
    .map(part => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce(
      (text, part) =>
        /^\d+$/.test(part) ? `${text}[${part}]` : `${text}.${part}`,
      prefix,
    );
}

/** Ajv errors as `body.spec.source.repoURL must be string`. */
export function describeErrors(
  prefix: string,
  errors: ErrorObject[] | null | undefined,
): string[] {
  const problems = new Set<string>();
  for (const error of errors ?? []) {
    // The failing `then` branch is reported by its own errors.
    if (error.keyword === 'if') continue;
    let text = `${describePath(prefix, error.instancePath)} ${
      error.message ?? 'is invalid'
    }`;
    if (error.keyword === 'additionalProperties') {
      text += ` (${(error.params as any).additionalProperty})`;
    } else if (error.keyword === 'enum') {
      text += ` (${(error.params as any).allowedValues
        ?.map(String)
        .join(', ')})`;
    }
    problems.add(text);
    if (problems.size >= 10) break;
  }
  return [...problems];
}
