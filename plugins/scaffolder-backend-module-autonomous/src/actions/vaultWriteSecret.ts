import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { ConflictError, InputError } from '@backstage/errors';
import { ActionUpstreamClients, clientOf } from './common';
import { examples } from './vaultWriteSecret.examples';
import { documented } from './examples';

/** The action's id. @public */
export const VAULT_WRITE_SECRET_ACTION_ID = 'autonomous:vault:write-secret';

function checkSecretPath(path: string): string {
  const trimmed = path.trim().replace(/^\/+|\/+$/g, '');
  const segments = trimmed.split('/');
  if (
    !trimmed ||
    segments.some(s => s === '' || s === '.' || s === '..') ||
    /[\s?#%*]/.test(trimmed)
  ) {
    throw new InputError(
      `path "${path}" is not a KV v2 secret path: give slash-separated names under the mount, e.g. apps/shop/db, without spaces, wildcards, "." or ".."`,
    );
  }
  return trimmed;
}

function sameData(
  a: Record<string, string> | undefined,
  b: Record<string, string>,
): boolean {
  if (!a) return false;
  const keys = Object.keys(b);
  return (
    keys.length === Object.keys(a).length && keys.every(k => a[k] === b[k])
  );
}

/**
 * Creates the `autonomous:vault:write-secret` action: writes a KV v2 secret, merged into the
 * current version (compare-and-set on it) or replacing it. Values are never logged or output.
 *
 * @public
 */
export function createVaultWriteSecretAction(options: {
  clients: ActionUpstreamClients;
}) {
  return createTemplateAction({
    id: VAULT_WRITE_SECRET_ACTION_ID,
    description:
      'Writes a secret to Vault KV v2, merged into the current version or replacing it. Values are never logged or output; pass them from the task secrets.',
    examples: documented(examples),
    supportsDryRun: true,
    schema: {
      input: {
        path: z =>
          z.string({
            description:
              'Secret path under the KV v2 mount, e.g. apps/shop/db (no "data/" prefix)',
          }),
        data: z =>
          z.record(z.string(), z.string(), {
            description:
              'Keys and values to write. Give values as ${{ secrets.name }} so they stay out of the task spec.',
          }),
        mode: z =>
          z
            .enum(['merge', 'replace'], {
              description:
                'merge (default): keep the keys already there and set these; replace: the secret becomes exactly these keys',
            })
            .optional(),
        instance: z =>
          z
            .string({
              description:
                'Name of the Vault instance under autonomous.vault.instances; default: the first',
            })
            .optional(),
      },
      output: {
        path: z => z.string({ description: 'The secret path written' }),
        mount: z => z.string({ description: 'The KV v2 mount' }),
        version: z =>
          z
            .number({
              description:
                'The secret version that holds the data (absent in a dry run)',
            })
            .optional(),
        keys: z =>
          z.array(z.string(), {
            description: 'The keys written (never the values)',
          }),
      },
    },
    async handler(ctx) {
      const path = checkSecretPath(ctx.input.path);
      const mode = ctx.input.mode ?? 'merge';
      const data = ctx.input.data ?? {};
      const keys = Object.keys(data).sort();
      if (keys.length === 0) {
        throw new InputError('data must hold at least one key');
      }
      const bad = keys.filter(k => typeof data[k] !== 'string');
      if (bad.length) {
        throw new InputError(
          `data values must be strings; not so for ${bad.join(', ')}`,
        );
      }
      const vault = clientOf(options.clients, 'vault', ctx.input.instance);

      ctx.output('path', path);
      ctx.output('mount', vault.kvMount);
      ctx.output('keys', keys);

      if (ctx.isDryRun) {
        ctx.logger.info(
          `Dry run: would ${mode} keys ${keys.join(', ')} of secret ${
            vault.kvMount
          }/${path} in Vault "${vault.instanceName}"`,
        );
        return;
      }

      const { version } = await ctx.checkpoint({
        key: `vault.secret.${vault.instanceName}.${path}`,
        fn: async () => {
          const current = await vault.readSecret(path);
          const next =
            mode === 'merge' ? { ...(current?.data ?? {}), ...data } : data;
          if (current && sameData(current.data, next)) {
            // A re-run after a crash: the data is already there; no new version.
            ctx.logger.info(
              `Secret ${vault.kvMount}/${path} already holds these keys; unchanged at version ${current.metadata.version}`,
            );
            return { version: current.metadata.version };
          }
          try {
            // Compare-and-set: a merge never overwrites a version written meanwhile.
            const written = await vault.writeSecret(path, next, {
              cas: current?.metadata.version ?? 0,
            });
            ctx.logger.info(
              `Wrote keys ${keys.join(', ')} to secret ${
                vault.kvMount
              }/${path} (${mode}), version ${written.version}`,
            );
            return { version: written.version };
          } catch (error) {
            if ((error as { status?: number }).status === 400) {
              throw new ConflictError(
                `Secret ${vault.kvMount}/${path} changed while it was being written; run the step again`,
              );
            }
            throw error;
          }
        },
      });
      ctx.output('version', version);
    },
  });
}
