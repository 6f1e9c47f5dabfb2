// Tests only: the portal's Software Templates, read from the repository.
// eslint-disable-next-line no-restricted-imports
import { existsSync, readdirSync, readFileSync } from 'fs';
// eslint-disable-next-line no-restricted-imports
import { resolve } from 'path';
import { parse } from 'yaml';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { ScmIntegrations } from '@backstage/integration';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  createCatalogRegisterAction,
  createFetchTemplateAction,
} from '@backstage/plugin-scaffolder-backend';
import {
  createPublishGithubAction,
  createPublishGithubPullRequestAction,
} from '@backstage/plugin-scaffolder-backend-module-github';
import {
  createPublishGitlabAction,
  createPublishGitlabMergeRequestAction,
} from '@backstage/plugin-scaffolder-backend-module-gitlab';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
// The frontend package's field names, in a file without React.
// eslint-disable-next-line @backstage/no-relative-monorepo-imports
import { AUTONOMOUS_FIELD_NAMES } from '../../autonomous/src/components/ScaffolderFields/fieldNames';
import { scaffolderModuleAutonomous } from './module';

const ROOT = resolve(__dirname, '../../..');
const TEMPLATES = resolve(ROOT, 'templates');

/** The fields the portal's scaffolder frontend has built in. */
const BUILTIN_FIELDS = [
  'EntityNamePicker',
  'EntityPicker',
  'EntityTagsPicker',
  'MultiEntityPicker',
  'OwnerPicker',
  'OwnedEntityPicker',
  'MyGroupsPicker',
  'RepoUrlPicker',
  'RepoBranchPicker',
  'SecretInput',
];

async function actionIds(): Promise<Set<string>> {
  const ids: string[] = [];
  await startTestBackend({
    extensionPoints: [
      [
        scaffolderActionsExtensionPoint,
        {
          addActions: (...actions: Array<{ id: string }>) =>
            ids.push(...actions.map(a => a.id)),
        },
      ],
    ],
    features: [
      scaffolderModuleAutonomous,
      catalogServiceMock.factory(),
      mockServices.rootConfig.factory({ data: {} }),
    ],
  });
  const config = new ConfigReader({});
  const integrations = ScmIntegrations.fromConfig(config);
  const builtin = [
    createFetchTemplateAction({ reader: {} as any, integrations }),
    createCatalogRegisterAction({ catalog: {} as any, integrations }),
    createPublishGithubAction({ integrations, config } as any),
    createPublishGithubPullRequestAction({ integrations, config } as any),
    createPublishGitlabAction({ integrations, config }),
    createPublishGitlabMergeRequestAction({ integrations }),
  ];
  return new Set([...ids, ...builtin.map(a => a.id)]);
}

/** Every value under a key anywhere in a document. */
function valuesOf(node: unknown, key: string): unknown[] {
  if (Array.isArray(node)) return node.flatMap(n => valuesOf(n, key));
  if (node && typeof node === 'object') {
    return Object.entries(node).flatMap(([k, v]) =>
      k === key ? [v, ...valuesOf(v, key)] : valuesOf(v, key),
    );
  }
  return [];
}

const templateNames = readdirSync(TEMPLATES).filter(name =>
  existsSync(resolve(TEMPLATES, name, 'template.yaml')),
);

describe('the Software Templates', () => {
  let ids: Set<string>;
  beforeAll(async () => {
    ids = await actionIds();
  });

  it('are the monolith, microservice and database templates, each registered in app-config.yaml', () => {
    expect(templateNames.sort()).toEqual([
      'database',
      'microservice',
      'monolith',
    ]);
    const appConfig = parse(
      readFileSync(resolve(ROOT, 'app-config.yaml'), 'utf8'),
    );
    const targets = appConfig.catalog.locations.map((l: any) => l.target);
    for (const name of templateNames) {
      expect(targets).toContain(`../../templates/${name}/template.yaml`);
    }
  });

  describe.each(templateNames)('%s', name => {
    const text = readFileSync(
      resolve(TEMPLATES, name, 'template.yaml'),
      'utf8',
    );
    const template = parse(text);
    const steps: Array<{ id: string; action: string; input?: any }> =
      template.spec.steps;

    it('is a v1beta3 Template', () => {
      expect(template.apiVersion).toBe('scaffolder.backstage.io/v1beta3');
      expect(template.kind).toBe('Template');
      expect(template.spec.owner).toBeTruthy();
    });

    it('names only actions the portal registers', () => {
      const unknown = steps.map(s => s.action).filter(a => !ids.has(a));
      expect(unknown).toEqual([]);
    });

    it('names only wizard fields that exist', () => {
      const known = new Set([
        ...BUILTIN_FIELDS,
        ...Object.values(AUTONOMOUS_FIELD_NAMES),
      ]);
      const fields = valuesOf(template.spec.parameters, 'ui:field');
      expect(fields.length).toBeGreaterThan(0);
      expect(fields.filter(f => !known.has(String(f)))).toEqual([]);
    });

    it('refers only to earlier steps and to parameters it asks for', () => {
      const parameters = new Set(
        valuesOf(template.spec.parameters, 'properties').flatMap(p =>
          Object.keys(p as object),
        ),
      );
      const seen = new Set<string>();
      const stepIds = steps.map(s => s.id);
      expect(new Set(stepIds).size).toBe(stepIds.length);
      for (const step of steps) {
        const own = JSON.stringify(step);
        for (const [, ref] of own.matchAll(/steps\[\\?'([^'\\]+)\\?'\]/g)) {
          expect({ step: step.id, ref, earlier: seen.has(ref) }).toEqual({
            step: step.id,
            ref,
            earlier: true,
          });
        }
        seen.add(step.id);
      }
      for (const [, param] of text.matchAll(/parameters\.(\w+)/g)) {
        expect({ param, asked: parameters.has(param) }).toEqual({
          param,
          asked: true,
        });
      }
    });

    it('fetches only skeleton folders that exist', () => {
      for (const step of steps.filter(s => s.action === 'fetch:template')) {
        expect(existsSync(resolve(TEMPLATES, name, step.input.url))).toBe(true);
      }
    });
  });
});
