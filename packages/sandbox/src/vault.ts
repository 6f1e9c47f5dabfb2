import express from 'express';
import type { Request, Response, Router } from 'express';
import type { SandboxContext } from './context.ts';
import { VaultState, type Token } from './vaultState.ts';
import { iso, uuid } from './util.ts';

export { VaultState };

/** The KV v2 mount the sandbox serves. */
const MOUNT = 'secret';

function envelope(data: unknown, extra: Record<string, unknown> = {}) {
  return {
    request_id: uuid(),
    lease_id: '',
    renewable: false,
    lease_duration: 0,
    data,
    wrap_info: null,
    warnings: null,
    auth: null,
    ...extra,
  };
}

function errors(res: Response, status: number, ...messages: string[]) {
  res.status(status).json({ errors: messages });
}

export function vaultRouter(ctx: SandboxContext, state: VaultState): Router {
  const router = express.Router();
  router.use(express.json({ type: () => true, limit: '5mb' }));

  const method = (req: Request) => {
    const m = String(
      req.headers['x-sandbox-method'] ?? req.method,
    ).toUpperCase();
    if (m === 'GET' && req.query.list === 'true') return 'LIST';
    return m;
  };

  router.get('/v1/sys/health', (_req, res) => {
    res.json({
      initialized: true,
      sealed: false,
      standby: false,
      performance_standby: false,
      replication_performance_mode: 'disabled',
      replication_dr_mode: 'disabled',
      server_time_utc: Math.floor(ctx.now() / 1000),
      version: '1.15.0',
      cluster_name: 'vault-cluster-sandbox',
      cluster_id: '00000000-0000-0000-0000-000000000000',
    });
  });

  router.post('/v1/auth/kubernetes/login', (req, res) => {
    const role = req.body?.role;
    const jwt = req.body?.jwt;
    if (typeof jwt !== 'string' || !jwt) {
      errors(res, 400, 'missing jwt');
      return;
    }
    if (
      typeof role !== 'string' ||
      !ctx.credentials.vaultKubernetesRoles.includes(role)
    ) {
      errors(res, 400, `invalid role name "${role ?? ''}"`);
      return;
    }
    let sub = 'system:serviceaccount:default:default';
    try {
      sub =
        JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString())
          .sub ?? sub;
    } catch {
      // any JWT is accepted
    }
    const [, , saNamespace = 'default', saName = 'default'] =
      String(sub).split(':');
    const meta = {
      role,
      service_account_name: saName,
      service_account_namespace: saNamespace,
      service_account_secret_name: '',
      service_account_uid: uuid(),
    };
    const token = state.issue(
      ['default', role],
      meta,
      'auth/kubernetes/login',
      3600,
    );
    res.json(
      envelope(null, {
        auth: {
          client_token: token.id,
          accessor: token.accessor,
          policies: token.policies,
          token_policies: token.policies,
          metadata: meta,
          lease_duration: token.ttlSeconds,
          renewable: true,
          entity_id: uuid(),
          token_type: 'service',
          orphan: true,
          mfa_requirement: null,
          num_uses: 0,
        },
      }),
    );
  });

  router.use((req, res, next) => {
    const token = state.token(req);
    if (!token) {
      errors(res, 403, 'permission denied');
      return;
    }
    res.locals.token = token;
    next();
  });

  const lookup = (token: Token) => ({
    accessor: token.accessor,
    creation_time: Math.floor(token.createdAt / 1000),
    creation_ttl: token.ttlSeconds,
    display_name: token.displayName,
    entity_id: '',
    expire_time: token.ttlSeconds
      ? iso(token.createdAt + token.ttlSeconds * 1000)
      : null,
    explicit_max_ttl: 0,
    id: token.id,
    issue_time: iso(token.createdAt),
    meta: token.meta,
    num_uses: 0,
    orphan: true,
    path: token.path,
    policies: token.policies,
    renewable: token.ttlSeconds > 0,
    ttl: token.ttlSeconds
      ? Math.max(
          0,
          Math.floor(
            (token.createdAt + token.ttlSeconds * 1000 - ctx.now()) / 1000,
          ),
        )
      : 0,
    type: 'service',
  });

  router.get('/v1/auth/token/lookup-self', (_req, res) => {
    res.json(envelope(lookup(res.locals.token)));
  });

  router.post('/v1/auth/token/renew-self', (req, res) => {
    const token: Token = res.locals.token;
    if (token.ttlSeconds === 0) {
      errors(res, 400, 'lease is not renewable');
      return;
    }
    const increment = Number(req.body?.increment ?? 0);
    token.createdAt = ctx.now();
    if (typeof req.body?.increment === 'string' || increment > 0) {
      token.ttlSeconds =
        Number(String(req.body.increment).replace(/s$/, '')) ||
        token.ttlSeconds;
    }
    res.json(
      envelope(null, {
        auth: {
          client_token: token.id,
          accessor: token.accessor,
          policies: token.policies,
          token_policies: token.policies,
          metadata: token.meta,
          lease_duration: token.ttlSeconds,
          renewable: true,
          entity_id: '',
          token_type: 'service',
          orphan: true,
          mfa_requirement: null,
          num_uses: 0,
        },
      }),
    );
  });

  router.all(/^\/v1\/([^/]+)\/(data|metadata)(?:\/(.*))?$/, (req, res) => {
    const m = req.params as unknown as Record<string, string>;
    const mount = m[0];
    const kind = m[1];
    const path = (m[2] ?? '').replace(/\/$/, '');
    const verb = method(req);
    res.locals.template = `/v1/{kv_v2_mount_path}/${kind}/{path}`;
    if (mount !== MOUNT) {
      errors(res, 403, 'permission denied');
      return;
    }
    if (kind === 'data') {
      if (!path) {
        errors(res, 405, '1 error occurred:\n\t* unsupported operation\n\n');
        return;
      }
      const secret = state.secrets.get(path);
      if (verb === 'GET') {
        const wanted = req.query.version
          ? Number(req.query.version)
          : secret?.versions.length ?? 0;
        const version = secret?.versions[wanted - 1];
        if (!secret || !version || version.deletion_time || version.destroyed) {
          res.status(404).json({ errors: [] });
          return;
        }
        res.json(
          envelope(
            {
              data: version.data,
              metadata: {
                created_time: version.created_time,
                custom_metadata: secret.custom_metadata ?? {},
                deletion_time: '',
                destroyed: false,
                version: wanted,
              },
            },
            { mount_type: 'kv' },
          ),
        );
        return;
      }
      if (verb === 'POST' || verb === 'PUT') {
        const data = req.body?.data;
        if (typeof data !== 'object' || data === null || Array.isArray(data)) {
          errors(res, 400, 'no data provided');
          return;
        }
        const cas = req.body?.options?.cas;
        const result = state.write(
          path,
          data,
          cas === undefined ? undefined : Number(cas),
        );
        if (typeof result === 'string') {
          errors(res, 400, result);
          return;
        }
        const after = state.secrets.get(path)!;
        res.json(
          envelope(
            {
              created_time: result.created_time,
              custom_metadata: after.custom_metadata ?? {},
              deletion_time: '',
              destroyed: false,
              version: after.versions.length,
            },
            { mount_type: 'kv' },
          ),
        );
        return;
      }
      if (verb === 'DELETE') {
        const latest = secret?.versions[secret.versions.length - 1];
        if (latest && !latest.deletion_time)
          latest.deletion_time = new Date(ctx.now()).toISOString();
        res.status(204).end();
        return;
      }
      errors(res, 405, '1 error occurred:\n\t* unsupported operation\n\n');
      return;
    }
    // metadata
    if (verb === 'LIST') {
      const keys = state.list(path);
      if (!keys.length) {
        res.status(404).json({ errors: [] });
        return;
      }
      res.json(envelope({ keys }, { mount_type: 'kv' }));
      return;
    }
    const secret = state.secrets.get(path);
    if (verb === 'GET') {
      if (!secret) {
        res.status(404).json({ errors: [] });
        return;
      }
      res.json(envelope(state.metadataOf(secret), { mount_type: 'kv' }));
      return;
    }
    if (verb === 'POST' || verb === 'PUT') {
      if (!secret) {
        state.write(path, {});
        state.secrets.get(path)!.versions.pop();
      }
      const s = state.secrets.get(path)!;
      if (req.body?.custom_metadata)
        s.custom_metadata = req.body.custom_metadata;
      if (req.body?.max_versions !== undefined)
        s.max_versions = Number(req.body.max_versions);
      if (req.body?.cas_required !== undefined)
        s.cas_required = Boolean(req.body.cas_required);
      res.status(204).end();
      return;
    }
    if (verb === 'DELETE') {
      state.secrets.delete(path);
      res.status(204).end();
      return;
    }
    errors(res, 405, '1 error occurred:\n\t* unsupported operation\n\n');
  });

  router.use((_req, res) => {
    res.status(404).json({ errors: [] });
  });
  return router;
}
