import { createHash, randomBytes, randomUUID } from 'node:crypto';

export type Json = null | boolean | number | string | Json[] | JsonObject;
export type JsonObject = { [key: string]: Json | undefined };

export function sha256Hex(input: string): string {
  return createHash('sha256').update(input).digest('hex');
}

export function randomHex(bytes: number): string {
  return randomBytes(bytes).toString('hex');
}

export function uuid(): string {
  return randomUUID();
}

/** A lowercase alphanumeric suffix like the ones Kubernetes controllers generate. */
export function randomSuffix(length: number): string {
  const alphabet = 'bcdfghjklmnpqrstvwxz2456789';
  const bytes = randomBytes(length);
  let out = '';
  for (let i = 0; i < length; i++) {
    out += alphabet[bytes[i] % alphabet.length];
  }
  return out;
}

/** RFC 3339 with second precision, as Kubernetes and Argo CD print times. */
export function isoSeconds(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19)}Z`;
}

export function iso(ms: number): string {
  return new Date(ms).toISOString();
}

export function isObject(value: unknown): value is Record<string, any> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function clone<T>(value: T): T {
  return value === undefined ? value : JSON.parse(JSON.stringify(value));
}

/** RFC 7386 JSON merge patch. */
export function mergePatch(target: any, patch: any): any {
  if (!isObject(patch)) {
    return clone(patch);
  }
  const result: Record<string, any> = isObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) {
      delete result[key];
    } else {
      result[key] = mergePatch(result[key], value);
    }
  }
  return result;
}

const MERGE_KEYS: Record<string, string> = {
  containers: 'name',
  initContainers: 'name',
  env: 'name',
  volumes: 'name',
  volumeMounts: 'mountPath',
  ports: 'containerPort',
  imagePullSecrets: 'name',
  conditions: 'type',
};

/**
 * The part of Kubernetes' strategic merge patch that clients use: objects merge, lists of
 * containers, env, volumes and ports merge by their key, `$patch: delete` removes an item,
 * other lists are replaced.
 */
export function strategicMergePatch(target: any, patch: any): any {
  if (!isObject(patch)) {
    return clone(patch);
  }
  const result: Record<string, any> = isObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (key.startsWith('$')) {
      continue;
    }
    if (value === null) {
      delete result[key];
    } else if (
      Array.isArray(value) &&
      MERGE_KEYS[key] &&
      Array.isArray(result[key])
    ) {
      const mergeKey = MERGE_KEYS[key];
      const merged: any[] = result[key].map((item: any) => clone(item));
      for (const item of value) {
        const index = merged.findIndex(
          m => isObject(m) && isObject(item) && m[mergeKey] === item[mergeKey],
        );
        if (isObject(item) && item.$patch === 'delete') {
          if (index >= 0) merged.splice(index, 1);
        } else if (index >= 0) {
          merged[index] = strategicMergePatch(merged[index], item);
        } else {
          merged.push(strategicMergePatch({}, item));
        }
      }
      result[key] = merged;
    } else {
      result[key] = strategicMergePatch(result[key], value);
    }
  }
  return result;
}

function pointer(path: string): string[] {
  return path
    .split('/')
    .slice(1)
    .map(p => p.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** RFC 6902 JSON patch (add, replace, remove, test). Throws on an invalid operation. */
export function jsonPatch(target: any, operations: any[]): any {
  const doc = clone(target);
  for (const op of operations) {
    const parts = pointer(String(op.path ?? ''));
    const last = parts.pop();
    let parent: any = doc;
    for (const part of parts) {
      parent = parent?.[Array.isArray(parent) ? Number(part) : part];
    }
    if (parent === undefined || last === undefined) {
      throw new Error(`path ${op.path} does not exist`);
    }
    let key: any = last;
    if (Array.isArray(parent)) {
      key = last === '-' ? parent.length : Number(last);
    }
    switch (op.op) {
      case 'add':
        if (Array.isArray(parent)) parent.splice(key, 0, clone(op.value));
        else parent[key] = clone(op.value);
        break;
      case 'replace':
        if (!(key in parent)) throw new Error(`path ${op.path} does not exist`);
        parent[key] = clone(op.value);
        break;
      case 'remove':
        if (!(key in parent)) throw new Error(`path ${op.path} does not exist`);
        if (Array.isArray(parent)) parent.splice(key, 1);
        else delete parent[key];
        break;
      case 'test':
        if (JSON.stringify(parent[key]) !== JSON.stringify(op.value)) {
          throw new Error(`test operation failed at ${op.path}`);
        }
        break;
      default:
        throw new Error(`unsupported operation ${op.op}`);
    }
  }
  return doc;
}

export function getPath(obj: any, dotted: string): unknown {
  let current = obj;
  for (const part of dotted.split('.')) {
    if (current === null || current === undefined) return undefined;
    current = current[part];
  }
  return current;
}

export function sleep(ms: number): Promise<void> {
  return new Promise(resolve => setTimeout(resolve, ms));
}
