/** Where the JSON schema of a body lives: a JSON pointer into the document, or an inline schema. */
export type SchemaSource = { pointer: string } | { inline: object };

export interface ParameterSpec {
  name: string;
  in: 'path' | 'query' | 'header' | 'body' | 'formData' | 'cookie';
  required: boolean;
  /** Schema of a non-body parameter (OAS3 `schema`, or the Swagger 2 parameter itself). */
  schema: Record<string, any>;
}

export interface RequestBodySpec {
  required: boolean;
  /** Media type (lowercase, or `*\/*`) to the schema of the body for that media type. */
  media: Record<string, SchemaSource | undefined>;
}

/** One method on one path template, in a form shared by Swagger 2, OpenAPI 3 and the Jenkins rules. */
export interface Operation {
  /** operationId, or `METHOD template` when the document has none. */
  id: string;
  method: string;
  template: string;
  parameters: ParameterSpec[];
  body?: RequestBodySpec;
  /** Status code (`200`, `2XX`, `default`) to the JSON schema of the response body, if declared. */
  responses: Record<string, SchemaSource | undefined>;
  /** True when the specification says the operation needs no credentials. */
  unauthenticated?: boolean;
}

export interface PathEntry {
  template: string;
  segments: TemplateSegment[];
  operations: Map<string, Operation>;
}

export type TemplateSegment =
  | { kind: 'literal'; text: string }
  | { kind: 'param'; pattern: RegExp; names: string[] }
  /** Matches the rest of the path, slashes included (Vault `{path}`, Kubernetes proxy `{path}`). */
  | { kind: 'rest'; name: string };
