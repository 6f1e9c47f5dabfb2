import { DocumentKey, deref, loadDocument, pointerPart } from './documents';
import {
  Operation,
  ParameterSpec,
  PathEntry,
  RequestBodySpec,
  SchemaSource,
  TemplateSegment,
} from './operation';

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch'];

/** Parameters that take the rest of the path, slashes included. */
const REST_PARAMETERS = new Set(['path']);

export function parseTemplate(template: string): TemplateSegment[] {
  const parts = template.split('/').slice(1);
  return parts.map((part, index) => {
    const whole = /^\{([^}]+)\}$/.exec(part);
    if (whole && index === parts.length - 1 && REST_PARAMETERS.has(whole[1])) {
      return { kind: 'rest', name: whole[1] };
    }
    if (!part.includes('{')) return { kind: 'literal', text: part };
    const names: string[] = [];
    const source = part
      .split(/(\{[^}]+\})/)
      .map(piece => {
        const param = /^\{([^}]+)\}$/.exec(piece);
        if (param) {
          names.push(param[1]);
          return '([^/]+)';
        }
        return piece.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      })
      .join('');
    return { kind: 'param', pattern: new RegExp(`^${source}$`), names };
  });
}

function toParameter(
  doc: Record<string, any>,
  raw: any,
  isOas3: boolean,
): ParameterSpec {
  const p = deref(doc, raw);
  const schema = isOas3 ? deref(doc, p.schema) ?? {} : p;
  return {
    name: p.name,
    in: p.in,
    required: Boolean(p.required) || p.in === 'path',
    schema,
  };
}

function mergeParameters(pathLevel: ParameterSpec[], opLevel: ParameterSpec[]) {
  const merged = new Map<string, ParameterSpec>();
  for (const p of [...pathLevel, ...opLevel])
    merged.set(`${p.in}:${p.name}`, p);
  return [...merged.values()];
}

function schemaPointer(
  doc: Record<string, any>,
  node: any,
  pointer: string,
): SchemaSource | undefined {
  if (!node) return undefined;
  // Follow a reference to a shared response or request body to where its schema is.
  if (
    typeof node.$ref === 'string' &&
    !/\/(definitions|schemas)\//.test(node.$ref)
  ) {
    return schemaPointer(doc, deref(doc, node), node.$ref.slice(1));
  }
  return { pointer };
}

function swagger2Operation(
  doc: Record<string, any>,
  template: string,
  method: string,
  raw: any,
  pathParams: ParameterSpec[],
  pointer: string,
): Operation {
  const parameters = mergeParameters(
    pathParams,
    (raw.parameters ?? []).map((p: any) => toParameter(doc, p, false)),
  );
  let body: RequestBodySpec | undefined;
  const rawParams: any[] = raw.parameters ?? [];
  const bodyIndex = rawParams.findIndex(p => deref(doc, p)?.in === 'body');
  if (bodyIndex >= 0) {
    const bodyParam = deref(doc, rawParams[bodyIndex]);
    const bodyPointer = rawParams[bodyIndex].$ref
      ? `${rawParams[bodyIndex].$ref.slice(1)}/schema`
      : `${pointer}/parameters/${bodyIndex}/schema`;
    const consumes: string[] = raw.consumes ??
      doc.consumes ?? ['application/json'];
    body = {
      required: Boolean(bodyParam.required),
      media: Object.fromEntries(
        consumes.map(c => [c.toLowerCase(), { pointer: bodyPointer }]),
      ),
    };
  } else if (parameters.some(p => p.in === 'formData')) {
    const consumes: string[] = raw.consumes ?? [
      'application/x-www-form-urlencoded',
      'multipart/form-data',
    ];
    body = {
      required: parameters.some(p => p.in === 'formData' && p.required),
      media: Object.fromEntries(
        consumes.map(c => [c.toLowerCase(), undefined]),
      ),
    };
  }
  const responses: Record<string, SchemaSource | undefined> = {};
  for (const [status, response] of Object.entries<any>(raw.responses ?? {})) {
    const resolved = deref(doc, response);
    const responsePointer = response.$ref
      ? response.$ref.slice(1)
      : `${pointer}/responses/${pointerPart(status)}`;
    responses[status] = resolved?.schema
      ? schemaPointer(doc, resolved.schema, `${responsePointer}/schema`)
      : undefined;
  }
  return {
    id: raw.operationId ?? `${method.toUpperCase()} ${template}`,
    method: method.toUpperCase(),
    template,
    parameters,
    body,
    responses,
    unauthenticated: Array.isArray(raw.security) && raw.security.length === 0,
  };
}

function jsonMedia(
  content: Record<string, any> | undefined,
  basePointer: string,
) {
  const media: Record<string, SchemaSource | undefined> = {};
  for (const [type, value] of Object.entries<any>(content ?? {})) {
    media[type.toLowerCase()] = value?.schema
      ? { pointer: `${basePointer}/${pointerPart(type)}/schema` }
      : undefined;
  }
  return media;
}

function oas3Operation(
  doc: Record<string, any>,
  template: string,
  method: string,
  raw: any,
  pathParams: ParameterSpec[],
  pointer: string,
  pathItem: any,
): Operation {
  const parameters = mergeParameters(
    pathParams,
    (raw.parameters ?? []).map((p: any) => toParameter(doc, p, true)),
  );
  let body: RequestBodySpec | undefined;
  if (raw.requestBody) {
    const ref = raw.requestBody.$ref;
    const requestBody = deref(doc, raw.requestBody);
    const bodyPointer = ref ? ref.slice(1) : `${pointer}/requestBody`;
    body = {
      required: Boolean(requestBody.required),
      media: jsonMedia(requestBody.content, `${bodyPointer}/content`),
    };
  }
  const responses: Record<string, SchemaSource | undefined> = {};
  for (const [status, response] of Object.entries<any>(raw.responses ?? {})) {
    const resolved = deref(doc, response);
    const responsePointer = response.$ref
      ? response.$ref.slice(1)
      : `${pointer}/responses/${pointerPart(status)}`;
    const content = resolved?.content ?? {};
    const jsonType =
      Object.keys(content).find(t => t === 'application/json') ??
      Object.keys(content).find(t => /json/.test(t) || t === '*/*');
    responses[status] =
      jsonType && content[jsonType]?.schema
        ? {
            pointer: `${responsePointer}/content/${pointerPart(
              jsonType,
            )}/schema`,
          }
        : undefined;
  }
  return {
    id: raw.operationId ?? `${method.toUpperCase()} ${template}`,
    method: method.toUpperCase(),
    template,
    parameters,
    body,
    responses,
    unauthenticated:
      (Array.isArray(raw.security) && raw.security.length === 0) ||
      pathItem['x-vault-unauthenticated'] === true,
  };
}

const indexes = new Map<DocumentKey, PathEntry[]>();

/** Every path of a document with its operations; built once per process. */
export function operationIndex(key: DocumentKey): PathEntry[] {
  let entries = indexes.get(key);
  if (entries) return entries;
  const doc = loadDocument(key);
  const isOas3 = typeof doc.openapi === 'string';
  entries = [];
  for (const [template, rawItem] of Object.entries<any>(doc.paths ?? {})) {
    const pathItem = deref(doc, rawItem);
    const pathParams = (pathItem.parameters ?? []).map((p: any) =>
      toParameter(doc, p, isOas3),
    );
    const operations = new Map<string, Operation>();
    for (const method of METHODS) {
      if (!pathItem[method]) continue;
      const pointer = `/paths/${pointerPart(template)}/${method}`;
      operations.set(
        method.toUpperCase(),
        isOas3
          ? oas3Operation(
              doc,
              template,
              method,
              pathItem[method],
              pathParams,
              pointer,
              pathItem,
            )
          : swagger2Operation(
              doc,
              template,
              method,
              pathItem[method],
              pathParams,
              pointer,
            ),
      );
    }
    entries.push({ template, segments: parseTemplate(template), operations });
  }
  indexes.set(key, entries);
  return entries;
}
