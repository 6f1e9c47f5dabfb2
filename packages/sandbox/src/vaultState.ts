import type { Request } from 'express';
import type { SandboxContext } from './context.ts';
import { iso, randomHex } from './util.ts';

interface Version {
  data: Record<string, unknown>;
  created_time: string;
  deletion_time: string;
  destroyed: boolean;
}

interface Secret {
  versions: Version[];
  created_time: string;
  updated_time: string;
  custom_metadata: Record<string, string> | null;
  max_versions: number;
  cas_required: boolean;
}

export interface Token {
  id: string;
  accessor: string;
  policies: string[];
  meta: Record<string, string> | null;
  createdAt: number;
  ttlSeconds: number;
  path: string;
  displayName: string;
}

export class VaultState {
  private readonly ctx: SandboxContext;
  readonly secrets = new Map<string, Secret>();
  readonly tokens = new Map<string, Token>();

  constructor(ctx: SandboxContext) {
    this.ctx = ctx;
    for (const id of ctx.credentials.vaultTokens) {
      this.tokens.set(id, {
        id,
        accessor: randomHex(12),
        policies: ['root'],
        meta: null,
        createdAt: ctx.now(),
        ttlSeconds: 0,
        path: 'auth/token/root',
        displayName: 'root',
      });
    }
  }

  token(req: Request): Token | undefined {
    const header = req.headers['x-vault-token'];
    const auth = req.headers.authorization ?? '';
    let id: string | undefined;
    if (typeof header === 'string') id = header;
    else if (auth.startsWith('Bearer ')) id = auth.slice(7);
    const token = id ? this.tokens.get(id) : undefined;
    if (!token) return undefined;
    if (
      token.ttlSeconds > 0 &&
      this.ctx.now() > token.createdAt + token.ttlSeconds * 1000
    ) {
      return undefined;
    }
    return token;
  }

  write(
    path: string,
    data: Record<string, unknown>,
    cas?: number,
  ): Version | string {
    const now = iso(this.ctx.now());
    let secret = this.secrets.get(path);
    const current = secret?.versions.length ?? 0;
    if (cas !== undefined && cas !== current) {
      return `check-and-set parameter did not match the current version`;
    }
    if (!secret) {
      secret = {
        versions: [],
        created_time: now,
        updated_time: now,
        custom_metadata: null,
        max_versions: 0,
        cas_required: false,
      };
      this.secrets.set(path, secret);
    }
    const version: Version = {
      data,
      created_time: now,
      deletion_time: '',
      destroyed: false,
    };
    secret.versions.push(version);
    secret.updated_time = now;
    return version;
  }

  metadataOf(secret: Secret) {
    const versions: Record<string, unknown> = {};
    secret.versions.forEach((v, i) => {
      versions[String(i + 1)] = {
        created_time: v.created_time,
        deletion_time: v.deletion_time,
        destroyed: v.destroyed,
      };
    });
    return {
      cas_required: secret.cas_required,
      created_time: secret.created_time,
      current_version: secret.versions.length,
      custom_metadata: secret.custom_metadata ?? {},
      // Vault prints "0s"; the spec's `duration` format takes ISO 8601 or seconds, so 0 it is.
      delete_version_after: 0,
      max_versions: secret.max_versions,
      oldest_version: secret.versions.length ? 1 : 0,
      updated_time: secret.updated_time,
      versions,
    };
  }

  list(prefix: string): string[] {
    const p = prefix ? `${prefix.replace(/\/$/, '')}/` : '';
    const keys = new Set<string>();
    for (const path of this.secrets.keys()) {
      if (!path.startsWith(p)) continue;
      const rest = path.slice(p.length);
      const slash = rest.indexOf('/');
      keys.add(slash >= 0 ? rest.slice(0, slash + 1) : rest);
    }
    return [...keys].sort();
  }

  issue(
    policies: string[],
    meta: Record<string, string>,
    path: string,
    ttlSeconds: number,
  ): Token {
    const token: Token = {
      id: `hvs.${randomHex(12)}`,
      accessor: randomHex(12),
      policies,
      meta,
      createdAt: this.ctx.now(),
      ttlSeconds,
      path,
      displayName: `kubernetes-${meta.service_account_namespace ?? 'default'}-${
        meta.service_account_name ?? 'default'
      }`,
    };
    this.tokens.set(token.id, token);
    return token;
  }

  dump() {
    return {
      secrets: Object.fromEntries(
        [...this.secrets.entries()].map(([k, s]) => [
          k,
          {
            versions: s.versions.length,
            keys: Object.keys(s.versions[s.versions.length - 1]?.data ?? {}),
          },
        ]),
      ),
      tokens: this.tokens.size,
    };
  }
}
