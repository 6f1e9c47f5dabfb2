import { SchemaSource } from './spec/operation';

/**
 * RFC 6902 JSON Patch. Kubernetes declares the `io.k8s.apimachinery.pkg.apis.meta.v1.Patch`
 * schema (`type: object`) for every patch media type, but a JSON Patch document is an array of
 * operations; this schema is used for `application/json-patch+json` instead.
 */
export const JSON_PATCH: SchemaSource = {
  inline: {
    type: 'array',
    items: {
      type: 'object',
      required: ['op', 'path'],
      properties: {
        op: { enum: ['add', 'remove', 'replace', 'move', 'copy', 'test'] },
        path: { type: 'string' },
        from: { type: 'string' },
      },
      allOf: [
        {
          if: { properties: { op: { enum: ['add', 'replace', 'test'] } } },
          then: { required: ['value'] },
        },
        {
          if: { properties: { op: { enum: ['move', 'copy'] } } },
          then: { required: ['from'] },
        },
      ],
    },
  },
};
