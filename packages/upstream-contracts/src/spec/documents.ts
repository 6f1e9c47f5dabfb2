import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { readFileSync } from 'node:fs';
import { resolve as resolvePath } from 'node:path';
import { load as parseYaml } from 'js-yaml';
import { normalizeDocumentSchemas } from './normalizeSchema';

/** One vendored specification document. */
export type DocumentKey =
  | 'argocd'
  | 'harbor'
  | 'vault'
  | 'jenkins'
  | 'kubernetes-core-v1'
  | 'kubernetes-apps-v1'
  | 'kubernetes-batch-v1'
  | 'kubernetes-networking-v1'
  | 'kubernetes-autoscaling-v2';

const FILES: Record<DocumentKey, string> = {
  argocd: 'argocd/swagger.json',
  harbor: 'harbor/swagger.yaml',
  vault: 'vault/openapi.json',
  jenkins: 'jenkins/jenkins-api.yml',
  'kubernetes-core-v1': 'kubernetes/api__v1_openapi.json',
  'kubernetes-apps-v1': 'kubernetes/apis__apps__v1_openapi.json',
  'kubernetes-batch-v1': 'kubernetes/apis__batch__v1_openapi.json',
  'kubernetes-networking-v1':
    'kubernetes/apis__networking.k8s.io__v1_openapi.json',
  'kubernetes-autoscaling-v2': 'kubernetes/apis__autoscaling__v2_openapi.json',
};

const SPECS_DIR = resolvePackagePath(
  '@autonomous-dev/upstream-contracts',
  'specs',
);

const loaded = new Map<DocumentKey, Record<string, any>>();

/** The parsed, normalized document; read from disk once per process. */
export function loadDocument(key: DocumentKey): Record<string, any> {
  let doc = loaded.get(key);
  if (!doc) {
    const file = resolvePath(SPECS_DIR, FILES[key]);
    const text = readFileSync(file, 'utf8');
    doc = (
      file.endsWith('.json') ? JSON.parse(text) : parseYaml(text)
    ) as Record<string, any>;
    normalizeDocumentSchemas(doc);
    loaded.set(key, doc);
  }
  return doc;
}

/** Resolves a local `$ref` (`#/a/b`) inside a document; other values are returned as they are. */
export function deref<T = any>(doc: Record<string, any>, node: any): T {
  let current = node;
  for (
    let hops = 0;
    current && typeof current.$ref === 'string' && hops < 10;
    hops++
  ) {
    const ref: string = current.$ref;
    if (!ref.startsWith('#/')) break;
    current = ref
      .slice(2)
      .split('/')
      .map(part => part.replace(/~1/g, '/').replace(/~0/g, '~'))
      .reduce((value, part) => value?.[part], doc as any);
  }
  return current;
}

/** JSON pointer escaping of one path part. */
export function pointerPart(part: string): string {
  return part.replace(/~/g, '~0').replace(/\//g, '~1');
}
