/*
 * The vendored documents are Swagger 2 (draft-4-like schemas) and OpenAPI 3.0 schemas. Ajv speaks
 * draft-07, so a few keywords are rewritten in place, keyword by keyword (never inside `properties`
 * names, which may well be called `type` or `format`).
 */

type Schema = Record<string, any>;

const SUB_SCHEMA_MAPS = ['properties', 'patternProperties', 'definitions'];
const SUB_SCHEMA_LISTS = ['allOf', 'anyOf', 'oneOf'];
const SUB_SCHEMAS = ['items', 'additionalProperties', 'not'];

function allowNull(schema: Schema) {
  if (typeof schema.type === 'string') {
    schema.type = [schema.type, 'null'];
  } else if (Array.isArray(schema.type)) {
    if (!schema.type.includes('null')) schema.type.push('null');
  } else if (schema.$ref || schema.allOf) {
    // A nullable reference: wrap it so `null` is accepted besides the referenced shape.
    const inner: Schema = {};
    for (const key of ['$ref', 'allOf']) {
      if (schema[key]) {
        inner[key] = schema[key];
        delete schema[key];
      }
    }
    schema.anyOf = [inner, { type: 'null' }];
  }
  if (schema.enum && !schema.enum.includes(null)) {
    schema.enum = [...schema.enum, null];
  }
}

export interface NormalizeOptions {
  /**
   * Swagger 2 documents served by go-swagger (Harbor): `additionalProperties: {type: object}`
   * there means `map[string]interface{}`, and the server sends and takes any value in it
   * (Harbor's `extra_attrs.architecture` is a string, retention `params.latestPushedK` a number).
   */
  anyValueObjectMaps?: boolean;
}

export function normalizeSchema(
  schema: unknown,
  options: NormalizeOptions = {},
): void {
  if (!schema || typeof schema !== 'object' || Array.isArray(schema)) return;
  const s = schema as Schema;

  if (s['x-nullable'] === true || s.nullable === true) allowNull(s);
  delete s.nullable;

  // Swagger 2 `type: file` (downloads) has no JSON Schema equivalent.
  if (s.type === 'file') delete s.type;

  // Kubernetes IntOrString / Quantity, and CRD-style int-or-string fields.
  if (s['x-kubernetes-int-or-string'] === true && !s.anyOf && !s.oneOf) {
    delete s.type;
    s.anyOf = [{ type: 'integer' }, { type: 'string' }];
  }
  // Vault duration fields are typed string but the server also takes seconds as a number.
  if (s.format === 'duration' && s.type === 'string') {
    s.type = ['string', 'integer'];
  }

  // Draft-4 boolean exclusive bounds.
  if (typeof s.exclusiveMinimum === 'boolean') {
    if (s.exclusiveMinimum && typeof s.minimum === 'number') {
      s.exclusiveMinimum = s.minimum;
      delete s.minimum;
    } else delete s.exclusiveMinimum;
  }
  if (typeof s.exclusiveMaximum === 'boolean') {
    if (s.exclusiveMaximum && typeof s.maximum === 'number') {
      s.exclusiveMaximum = s.maximum;
      delete s.maximum;
    } else delete s.exclusiveMaximum;
  }

  const extra = s.additionalProperties;
  if (
    options.anyValueObjectMaps &&
    extra &&
    typeof extra === 'object' &&
    Object.keys(extra).length === 1 &&
    extra.type === 'object'
  ) {
    s.additionalProperties = {};
  }

  // Defaults and examples are documentation here, never validated.
  delete s.default;
  delete s.example;

  for (const key of SUB_SCHEMA_MAPS) {
    const map = s[key];
    if (map && typeof map === 'object') {
      for (const sub of Object.values(map)) normalizeSchema(sub, options);
    }
  }
  for (const key of SUB_SCHEMA_LISTS) {
    if (Array.isArray(s[key])) {
      s[key].forEach((sub: unknown) => normalizeSchema(sub, options));
    }
  }
  for (const key of SUB_SCHEMAS) {
    if (Array.isArray(s[key])) {
      s[key].forEach((sub: unknown) => normalizeSchema(sub, options));
    } else normalizeSchema(s[key], options);
  }
}

/**
 * Normalizes every schema of a Swagger 2 or OpenAPI 3 document: named definitions and each
 * `schema` found in paths, parameters, request bodies and responses.
 */
export function normalizeDocumentSchemas(doc: Schema): void {
  const options: NormalizeOptions = {
    anyValueObjectMaps: doc.swagger === '2.0',
  };
  for (const sub of Object.values(doc.definitions ?? {})) {
    normalizeSchema(sub, options);
  }
  for (const sub of Object.values(doc.components?.schemas ?? {})) {
    normalizeSchema(sub, options);
  }
  const visit = (node: unknown) => {
    if (!node || typeof node !== 'object') return;
    if (Array.isArray(node)) {
      node.forEach(visit);
      return;
    }
    for (const [key, value] of Object.entries(node)) {
      if (key === 'schema') normalizeSchema(value, options);
      else if (key !== 'example' && key !== 'examples') visit(value);
    }
  };
  visit(doc.paths);
  visit(doc.parameters);
  visit(doc.responses);
  visit(doc.components?.parameters);
  visit(doc.components?.requestBodies);
  visit(doc.components?.responses);
}
