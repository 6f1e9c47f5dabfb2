import { promises as fs } from 'node:fs';
import { resolveSafeChildPath } from '@backstage/backend-plugin-api';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { ConflictError, InputError } from '@backstage/errors';
import {
  UpstreamInstanceConfigs,
  jenkinsJobPath,
} from '@autonomous-dev/backstage-plugin-autonomous-node';
import {
  ActionUpstreamClients,
  ENTITY_REF_ANNOTATION,
  clientOf,
  isNotFound,
  parseFullEntityRef,
  stringifyEntityRef,
} from './common';
import { documented } from './examples';
import type { EntityOwnershipCheck } from '../ownership';
import { examples } from './jenkinsCreateJob.examples';

/** The action's id. @public */
export const JENKINS_CREATE_JOB_ACTION_ID = 'autonomous:jenkins:create-job';

const xml = (text: string) =>
  text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');

/** The description line through which a job claims its entity. */
export function jenkinsClaimLine(entityRef: string): string {
  return `${ENTITY_REF_ANNOTATION}: ${entityRef}`;
}

function claimsEntity(description: string | null | undefined, ref: string) {
  return (description ?? '')
    .split(/\r?\n/)
    .some(line => line.trim() === jenkinsClaimLine(ref));
}

/** A pipeline job that reads its Jenkinsfile from the repository. */
export function pipelineConfigXml(options: {
  description: string;
  repoUrl: string;
  branch: string;
  jenkinsfilePath: string;
  credentialsId?: string;
}): string {
  const credentials = options.credentialsId
    ? `\n          <credentialsId>${xml(options.credentialsId)}</credentialsId>`
    : '';
  return `<?xml version='1.1' encoding='UTF-8'?>
<flow-definition plugin="workflow-job">
  <description>${xml(options.description)}</description>
  <keepDependencies>false</keepDependencies>
  <properties/>
  <definition class="org.jenkinsci.plugins.workflow.cps.CpsScmFlowDefinition" plugin="workflow-cps">
    <scm class="hudson.plugins.git.GitSCM" plugin="git">
      <configVersion>2</configVersion>
      <userRemoteConfigs>
        <hudson.plugins.git.UserRemoteConfig>
          <url>${xml(options.repoUrl)}</url>${credentials}
        </hudson.plugins.git.UserRemoteConfig>
      </userRemoteConfigs>
      <branches>
        <hudson.plugins.git.BranchSpec>
          <name>*/${xml(options.branch)}</name>
        </hudson.plugins.git.BranchSpec>
      </branches>
    </scm>
    <scriptPath>${xml(options.jenkinsfilePath)}</scriptPath>
    <lightweight>true</lightweight>
  </definition>
  <triggers/>
  <disabled>false</disabled>
</flow-definition>
`;
}

/**
 * Puts the claim line into a config.xml template's `<description>` (adding one after the
 * root element's opening tag when there is none).
 */
export function withClaim(configXml: string, claimLine: string): string {
  const root =
    /^\s*(<\?xml[^>]*\?>\s*)?(<!--[\s\S]*?-->\s*)*<([A-Za-z_][\w.:-]*)[^>]*>/.exec(
      configXml,
    );
  if (!root || !configXml.includes(`</${root[3]}>`)) {
    throw new InputError(
      'the config.xml template is not an XML document with one root element, such as <flow-definition>',
    );
  }
  const line = xml(claimLine);
  if (/<description\s*\/>/.test(configXml)) {
    return configXml.replace(
      /<description\s*\/>/,
      `<description>${line}</description>`,
    );
  }
  const open = /<description>([\s\S]*?)<\/description>/.exec(configXml);
  if (open) {
    if (open[1].split(/\r?\n/).some(l => l.trim() === line)) return configXml;
    const text = open[1] ? `${open[1]}\n${line}` : line;
    return configXml.replace(open[0], `<description>${text}</description>`);
  }
  const at = root.index + root[0].length;
  return `${configXml.slice(
    0,
    at,
  )}\n  <description>${line}</description>${configXml.slice(at)}`;
}

function checkJobName(name: string, what: string) {
  if (!name || /[/\\?*%#<>|:;[\]"]/.test(name) || /^\.+$/.test(name)) {
    throw new InputError(
      `${what} "${name}" is not a Jenkins item name: no slashes, spaces at the ends or any of ? * % # < > | : ; [ ] "`,
    );
  }
  if (name.trim() !== name) {
    throw new InputError(`${what} "${name}" starts or ends with a space`);
  }
}

/**
 * Creates the `autonomous:jenkins:create-job` action: a pipeline job for a repository, from
 * its Jenkinsfile or a config.xml template, in a folder; the job is updated when it exists
 * and claims the same entity.
 *
 * @public
 */
export function createJenkinsCreateJobAction(options: {
  clients: ActionUpstreamClients;
  /** The configured Jenkins instances, to name the job's URL; default: none (no jobUrl). */
  instances?: (name?: string) => UpstreamInstanceConfigs['jenkins'];
  /**
   * Checks that the user running the task owns the entity before an existing job that
   * claims it is changed. Without it, a job claiming the entity is updated for anyone.
   */
  ownership?: EntityOwnershipCheck;
}) {
  return createTemplateAction({
    id: JENKINS_CREATE_JOB_ACTION_ID,
    description:
      'Creates a Jenkins pipeline job for a repository (its Jenkinsfile, or a config.xml template from the workspace) in a folder, or updates the job when it exists and belongs to the same entity.',
    examples: documented(examples),
    supportsDryRun: true,
    schema: {
      input: {
        name: z => z.string({ description: 'Job name, e.g. shop' }),
        folder: z =>
          z
            .string({
              description:
                'Folder the job lives in, e.g. teams/shop (it must exist); default: the root',
            })
            .optional(),
        entityRef: z =>
          z.string({
            description:
              'The entity the job belongs to, e.g. component:default/shop; written into the job description as its claim',
          }),
        repoUrl: z =>
          z
            .string({
              description:
                'Git URL Jenkins clones, e.g. https://github.com/acme/shop.git (for the Jenkinsfile form)',
            })
            .optional(),
        branch: z =>
          z.string({ description: 'Branch to build; default main' }).optional(),
        jenkinsfilePath: z =>
          z
            .string({
              description:
                'Path of the Jenkinsfile in the repository; default Jenkinsfile',
            })
            .optional(),
        credentialsId: z =>
          z
            .string({
              description: 'Jenkins credentials id for cloning the repository',
            })
            .optional(),
        configXmlPath: z =>
          z
            .string({
              description:
                'Instead of repoUrl: a config.xml in the workspace (e.g. rendered by fetch:template), relative to the workspace',
            })
            .optional(),
        description: z =>
          z
            .string({ description: 'Job description shown in Jenkins' })
            .optional(),
        instance: z =>
          z
            .string({
              description:
                'Name of the Jenkins instance under autonomous.jenkins.instances; default: the first',
            })
            .optional(),
      },
      output: {
        jobFullName: z =>
          z.string({
            description:
              'Full name of the job (folder/name), for jenkins.io/job-full-name',
          }),
        jobUrl: z =>
          z.string({ description: 'URL of the job in Jenkins' }).optional(),
        result: z =>
          z
            .enum(['created', 'updated'], {
              description:
                'Whether the job was created or updated (absent in a dry run)',
            })
            .optional(),
        instance: z => z.string({ description: 'The Jenkins instance used' }),
      },
    },
    async handler(ctx) {
      const { input } = ctx;
      checkJobName(input.name, 'name');
      const folder = (input.folder ?? '').replace(/^\/+|\/+$/g, '');
      folder
        .split('/')
        .filter(Boolean)
        .forEach(part => checkJobName(part, 'folder part'));
      const entityRef = stringifyEntityRef(parseFullEntityRef(input.entityRef));
      const claim = jenkinsClaimLine(entityRef);
      if (Boolean(input.repoUrl) === Boolean(input.configXmlPath)) {
        throw new InputError(
          'give either repoUrl (the job reads the Jenkinsfile from the repository) or configXmlPath (a config.xml template), not both',
        );
      }

      let configXml: string;
      if (input.configXmlPath) {
        let file: string;
        try {
          file = resolveSafeChildPath(ctx.workspacePath, input.configXmlPath);
        } catch {
          throw new InputError(
            `configXmlPath "${input.configXmlPath}" is outside the workspace`,
          );
        }
        const template = await fs.readFile(file, 'utf8').catch(() => {
          throw new InputError(
            `configXmlPath "${input.configXmlPath}" is not a file in the workspace`,
          );
        });
        configXml = withClaim(template, claim);
      } else {
        const repoUrl = input.repoUrl!;
        if (!/^(https?|ssh|git):\/\/\S+$|^[\w.-]+@[\w.-]+:\S+$/.test(repoUrl)) {
          throw new InputError(
            `repoUrl "${repoUrl}" is not a Git URL (https://, ssh://, git:// or user@host:path)`,
          );
        }
        const branch = input.branch ?? 'main';
        if (!/^[\w./-]+$/.test(branch) || branch.includes('..')) {
          throw new InputError(`branch "${branch}" is not a branch name`);
        }
        configXml = pipelineConfigXml({
          description: [input.description, claim].filter(Boolean).join('\n'),
          repoUrl,
          branch,
          jenkinsfilePath: input.jenkinsfilePath ?? 'Jenkinsfile',
          credentialsId: input.credentialsId,
        });
      }

      const jenkins = clientOf(options.clients, 'jenkins', input.instance);
      const jobFullName = [folder, input.name].filter(Boolean).join('/');
      ctx.output('jobFullName', jobFullName);
      ctx.output('instance', jenkins.instanceName);
      const instanceUrl = options.instances?.(jenkins.instanceName)?.url;
      if (instanceUrl) {
        ctx.output(
          'jobUrl',
          `${instanceUrl.replace(/\/+$/, '')}${jenkinsJobPath(jobFullName)}/`,
        );
      }

      if (ctx.isDryRun) {
        ctx.logger.info(
          `Dry run: would create or update pipeline job "${jobFullName}" in Jenkins "${jenkins.instanceName}", claimed by ${entityRef}`,
        );
        return;
      }

      const { result } = await ctx.checkpoint({
        key: `jenkins.job.${jenkins.instanceName}.${jobFullName}`,
        fn: async () => {
          // Only a job that claims this entity is updated; another team's job is left alone.
          const existing = await jenkins.getJob(jobFullName).catch(error => {
            if (isNotFound(error)) return undefined;
            throw error;
          });
          const description = (existing as { description?: string | null })
            ?.description;
          if (existing && !claimsEntity(description, entityRef)) {
            throw new ConflictError(
              `Jenkins job "${jobFullName}" exists and does not belong to ${entityRef} (its description has no "${claim}" line); choose another name or folder`,
            );
          }
          if (existing && options.ownership) {
            await options.ownership.assertOwner(
              entityRef,
              await ctx.getInitiatorCredentials(),
            );
          }
          const done = await jenkins.upsertJob(folder, input.name, configXml);
          ctx.logger.info(
            `Jenkins job "${jobFullName}" ${done} in Jenkins "${jenkins.instanceName}"`,
          );
          return { result: done };
        },
      });
      ctx.output('result', result);
    },
  });
}
