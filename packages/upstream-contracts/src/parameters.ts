import { ParameterSpec } from './spec/operation';

function typeOf(schema: Record<string, any>): string | undefined {
  const type = schema.type;
  if (Array.isArray(type)) return type.find(t => t !== 'null');
  return type;
}

/** Problem with one textual parameter value, judged by its declared type and enum. */
export function checkParameterValue(
  label: string,
  value: string,
  schema: Record<string, any>,
): string | undefined {
  const type = typeOf(schema);
  if (type === 'boolean' && !/^(true|false)$/i.test(value)) {
    return `${label} must be boolean (got ${JSON.stringify(value)})`;
  }
  if (type === 'integer' && !/^-?\d+$/.test(value)) {
    return `${label} must be integer (got ${JSON.stringify(value)})`;
  }
  if (
    type === 'number' &&
    (value.trim() === '' || Number.isNaN(Number(value)))
  ) {
    return `${label} must be number (got ${JSON.stringify(value)})`;
  }
  if (Array.isArray(schema.enum) && !schema.enum.map(String).includes(value)) {
    return `${label} must be one of ${schema.enum.join(
      ', ',
    )} (got ${JSON.stringify(value)})`;
  }
  return undefined;
}

const TRANSPORT_HEADERS = new Set(['content-type', 'accept', 'authorization']);

export function checkParameters(
  parameters: ParameterSpec[],
  query: URLSearchParams,
  headers: Record<string, string>,
  pathParams: Record<string, string>,
): string[] {
  const problems: string[] = [];
  for (const p of parameters) {
    if (p.in === 'query') {
      const values = query.getAll(p.name);
      if (values.length === 0) {
        if (p.required) problems.push(`query parameter ${p.name} is required`);
        continue;
      }
      const isArray = typeOf(p.schema) === 'array';
      const itemSchema = isArray ? p.schema.items ?? {} : p.schema;
      const items =
        isArray && p.schema.collectionFormat !== 'multi'
          ? values.flatMap(v => v.split(','))
          : values;
      for (const value of items) {
        const problem = checkParameterValue(
          `query parameter ${p.name}`,
          value,
          itemSchema,
        );
        if (problem) problems.push(problem);
      }
    } else if (p.in === 'header') {
      const name = p.name.toLowerCase();
      if (TRANSPORT_HEADERS.has(name)) continue;
      const value = headers[name];
      if (value === undefined) {
        if (p.required) problems.push(`header ${p.name} is required`);
        continue;
      }
      const problem = checkParameterValue(`header ${p.name}`, value, p.schema);
      if (problem) problems.push(problem);
    } else if (p.in === 'path' && pathParams[p.name] !== undefined) {
      const problem = checkParameterValue(
        `path parameter ${p.name}`,
        decodeURIComponent(pathParams[p.name]),
        p.schema,
      );
      if (problem) problems.push(problem);
    }
  }
  return problems;
}
