import { randomBytes } from 'crypto';
import { DiscoveryService } from '@backstage/backend-plugin-api';
import { ConflictError, InputError } from '@backstage/errors';
import { ScmIntegrationRegistry } from '@backstage/integration';
import {
  createTemplateAction,
  parseRepoUrl,
} from '@backstage/plugin-scaffolder-node';
import { RepositoryHooksFactory } from '../scm/repositoryHooks';
import { ActionUpstreamClients, clientOf } from './common';
import { documented } from './examples';
import { examples } from './webhookCreate.examples';
import {
  WEBHOOK_SECRET_KEY,
  webhookSecretPath,
} from '@autonomous-dev/backstage-plugin-autonomous-common';

/** The action's id. @public */
export const WEBHOOK_CREATE_ACTION_ID = 'autonomous:webhook:create';

// One definition, in the common package: the backend's webhook routes read the secret there.
export {
  WEBHOOK_SECRET_KEY,
  webhookSecretPath,
} from '@autonomous-dev/backstage-plugin-autonomous-common';

/**
 * Creates the `autonomous:webhook:create` action: a push webhook on a GitHub repository or
 * GitLab project, through the portal's SCM integrations, pointing at the portal's
 * `/api/autonomous/webhooks/<provider>` route, with a generated secret kept in Vault.
 *
 * @public
 */
export function createWebhookCreateAction(options: {
  integrations: ScmIntegrationRegistry;
  discovery: DiscoveryService;
  clients: ActionUpstreamClients;
  /** For tests: the fetch the SCM requests go through. */
  fetch?: typeof fetch;
}) {
  const hooks = new RepositoryHooksFactory(options.integrations, options.fetch);
  return createTemplateAction({
    id: WEBHOOK_CREATE_ACTION_ID,
    description:
      "Creates a push webhook on a GitHub repository or GitLab project (through the portal's SCM integrations) that calls the portal's Autonomous webhook route; its generated secret goes to Vault and nowhere else.",
    examples: documented(examples),
    supportsDryRun: true,
    schema: {
      input: {
        repoUrl: z =>
          z.string({
            description:
              'The repository, as RepoUrlPicker gives it: github.com?owner=acme&repo=shop',
          }),
        webhookUrl: z =>
          z
            .string({
              description:
                "Where deliveries go; default the portal's <backend>/api/autonomous/webhooks/<github|gitlab>",
            })
            .optional(),
        vaultPath: z =>
          z
            .string({
              description:
                'KV v2 path of the secret; default autonomous/webhooks/<provider>/<owner>/<repo>',
            })
            .optional(),
        vaultInstance: z =>
          z
            .string({
              description: 'Vault instance; default the first',
            })
            .optional(),
      },
      output: {
        provider: z => z.string({ description: 'github or gitlab' }),
        webhookUrl: z => z.string({ description: 'Where deliveries go' }),
        webhookId: z =>
          z.number({ description: "The hook's id in the SCM" }).optional(),
        vaultPath: z =>
          z.string({ description: 'Where the secret is kept in Vault' }),
      },
    },
    async handler(ctx) {
      const { input } = ctx;
      const { host, owner, repo } = parseRepoUrl(
        input.repoUrl,
        options.integrations,
      );
      if (!owner || !repo) {
        throw new InputError(
          `repoUrl "${input.repoUrl}" names no owner and repository; use host?owner=acme&repo=shop`,
        );
      }
      const { provider } = hooks.providerOf(host);
      const slug = `${owner}/${repo}`;
      const webhookUrl =
        input.webhookUrl ??
        `${await options.discovery.getExternalBaseUrl(
          'autonomous',
        )}/webhooks/${provider}`;
      if (!/^https?:\/\/\S+$/.test(webhookUrl)) {
        throw new InputError(
          `webhookUrl "${webhookUrl}" is not an http(s) URL`,
        );
      }
      const vaultPath = (
        input.vaultPath ?? webhookSecretPath(provider, slug)
      ).replace(/^\/+|\/+$/g, '');
      if (vaultPath.split('/').some(s => s === '' || s === '.' || s === '..')) {
        throw new InputError(
          `vaultPath "${vaultPath}" is not a KV v2 secret path`,
        );
      }
      const vault = clientOf(options.clients, 'vault', input.vaultInstance);
      ctx.output('provider', provider);
      ctx.output('webhookUrl', webhookUrl);
      ctx.output('vaultPath', vaultPath);

      if (ctx.isDryRun) {
        ctx.logger.info(
          `Dry run: would create a push webhook on ${provider} repository ${slug} to ${webhookUrl}, its secret in Vault "${vault.instanceName}" at ${vault.kvMount}/${vaultPath}`,
        );
        return;
      }

      // The secret first: a hook never exists whose secret is not in Vault.
      await ctx.checkpoint({
        key: `webhook.secret.${vault.instanceName}.${vaultPath}`,
        fn: async () => {
          const current = await vault.readSecret(vaultPath);
          if (current?.data[WEBHOOK_SECRET_KEY]) {
            // A re-run: never rotate the secret a hook may already use.
            return { version: current.metadata.version };
          }
          if (current) {
            throw new ConflictError(
              `Vault already holds a secret at ${vault.kvMount}/${vaultPath} without a "${WEBHOOK_SECRET_KEY}" key; choose another vaultPath`,
            );
          }
          const written = await vault.writeSecret(
            vaultPath,
            { [WEBHOOK_SECRET_KEY]: randomBytes(32).toString('hex') },
            { cas: 0 },
          );
          ctx.logger.info(
            `Generated the webhook secret, kept in Vault at ${vault.kvMount}/${vaultPath}`,
          );
          return { version: written.version };
        },
      });

      const { id } = await ctx.checkpoint({
        key: `webhook.${provider}.${host}.${slug}.${webhookUrl}`,
        fn: async () => {
          const stored = await vault.readSecret(vaultPath);
          const secret = stored?.data[WEBHOOK_SECRET_KEY];
          if (!secret) {
            throw new ConflictError(
              `The webhook secret at ${vault.kvMount}/${vaultPath} is gone; run the step again`,
            );
          }
          const repository = await hooks.forRepository(host, owner, repo);
          const existing = (await repository.list()).find(
            h => h.url === webhookUrl,
          );
          if (existing) {
            // A re-run after a crash: the same hook, given the secret in Vault.
            await repository.update(existing.id, webhookUrl, secret);
            ctx.logger.info(
              `Push webhook ${existing.id} of ${provider} repository ${slug} to ${webhookUrl} updated`,
            );
            return { id: existing.id };
          }
          const created = await repository.create(webhookUrl, secret);
          ctx.logger.info(
            `Push webhook ${created.id} created on ${provider} repository ${slug}, delivering to ${webhookUrl}`,
          );
          return { id: created.id };
        },
      });
      ctx.output('webhookId', id);
    },
  });
}
