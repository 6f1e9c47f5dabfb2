import { expect, Page, test } from '@playwright/test';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { checkPageState } from './accessibility';
import { signInAsGuest, signInAsPlatformAdmin } from './support';

/*
 * The three Software Templates from the portal's Template Editor (/create/edit), which the
 * policy gives admins only: a member of platform-team loads each one's directory as a user
 * loads a folder from disk, fills in the form, and its dry run succeeds: every step ran or
 * was skipped, none failed, the editor shows the files, what the suite's actions would create
 * and the repository's link, and the sandbox was asked to change nothing. Chromium's folder
 * picker is a native dialog, so the test hands the editor a folder of the browser's own
 * private file system holding the template's files instead.
 */

const TEMPLATES = path.resolve(__dirname, '../../../templates');

// A field that is not there fails the step at once, with the page as it was, rather than
// at the end of a ten-minute test.
test.use({ actionTimeout: 30_000 });

/** Every file of a template directory, by its path inside it. */
async function templateFiles(name: string): Promise<Record<string, string>> {
  const root = path.join(TEMPLATES, name);
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  const files: Record<string, string> = {};
  for (const entry of entries.filter(e => e.isFile())) {
    const file = path.join(entry.parentPath, entry.name);
    files[path.relative(root, file)] = await readFile(file, 'utf8');
  }
  return files;
}

/** Makes the editor's "Load Template Directory" open a folder holding these files. */
async function offerFolder(page: Page, files: Record<string, string>) {
  await page.addInitScript(contents => {
    (window as any).showDirectoryPicker = async () => {
      const root = await navigator.storage.getDirectory();
      const name = `template-${Date.now()}`;
      const folder = await root.getDirectoryHandle(name, { create: true });
      for (const [file, text] of Object.entries(contents)) {
        const parts = file.split('/');
        let dir = folder;
        for (const part of parts.slice(0, -1)) {
          dir = await dir.getDirectoryHandle(part, { create: true });
        }
        const handle = await dir.getFileHandle(parts[parts.length - 1], {
          create: true,
        });
        const writable = await (handle as any).createWritable();
        await writable.write(text);
        await writable.close();
      }
      return folder;
    };
  }, files);
}

/** Opens a template's folder in the Template Editor with its template.yaml selected. */
async function openInEditor(page: Page, template: string) {
  await offerFolder(page, await templateFiles(template));
  await signInAsPlatformAdmin(page);
  await page.goto('/create/edit');
  await page.getByRole('button', { name: /Load Template Directory/ }).click();
  await page.getByText('template.yaml', { exact: true }).click();
}

/** Picks a group in an OwnerPicker, whose options show the group's title or its name. */
async function pickOwner(page: Page, group: string) {
  const owner = page.getByRole('textbox', { name: /^Owner/ });
  await owner.fill(group.split('-')[0]);
  const words = new RegExp(group.replace(/-/g, '[- ]'), 'i');
  await page.getByRole('option', { name: words }).first().click();
}

/** Fills a RepoUrlPicker on GitHub. */
async function pickRepository(page: Page, owner: string, repo: string) {
  // The picker's fields are comboboxes (suggestions from the host) or plain text boxes.
  const field = (name: RegExp) =>
    page
      .getByRole('combobox', { name })
      .or(page.getByRole('textbox', { name }))
      .first();
  // Each value is taken when its field loses focus (the autocompletes' autoSelect).
  await field(/^Owner/).fill(owner);
  await field(/^Owner/).press('Tab');
  await field(/^Repository$|^Repository \*/).fill(repo);
  await field(/^Repository$|^Repository \*/).press('Tab');
}

/** Goes to the review, once the last step's values are taken, and creates. */
async function reviewAndCreate(page: Page) {
  const create = page.getByRole('button', { name: 'Create' });
  await expect(async () => {
    await page.getByRole('button', { name: 'Review' }).click();
    await expect(create).toBeVisible({ timeout: 5_000 });
  }).toPass({ timeout: 30_000 });
  await create.click();
}

async function next(page: Page) {
  await page.getByRole('button', { name: 'Next' }).click();
}

const SANDBOX = 'http://localhost:7200';

async function sandboxJson(route: string, token?: string): Promise<any> {
  const res = await fetch(`${SANDBOX}${route}`, {
    headers: token ? { Authorization: `Bearer ${token}` } : {},
  });
  expect(res.status, `${route}: ${res.status}`).toBe(200);
  return res.json();
}

/** The sandbox's requests that change something (anything but GET and HEAD), by route. */
async function sandboxWrites(): Promise<Record<string, number>> {
  const { routes } = await sandboxJson('/_sandbox/calls');
  return Object.fromEntries(
    Object.entries(routes as Record<string, number>).filter(
      ([route]) => !/^(GET|HEAD) /.test(route),
    ),
  );
}

/**
 * Reviews and creates; in the editor, that is the dry run. Returns its result, and the
 * requests that changed something in the sandbox (GitHub, Jenkins, Harbor, ArgoCD, Vault,
 * databases) while it ran.
 */
async function dryRun(page: Page): Promise<{ result: any; writes: object }> {
  await page.getByRole('button', { name: 'Review' }).click();
  const before = await sandboxWrites();
  const response = page.waitForResponse(r =>
    r.url().endsWith('/api/scaffolder/v2/dry-run'),
  );
  await page.getByRole('button', { name: 'Create' }).click();
  const answer = await response;
  expect(answer.status(), await answer.text()).toBe(200);
  const after = await sandboxWrites();
  const writes = Object.fromEntries(
    Object.entries(after).filter(([route, n]) => n !== (before[route] ?? 0)),
  );
  return { result: await answer.json(), writes };
}

/**
 * The dry run succeeded and created nothing: no step failed, the sandbox was asked to change
 * nothing, and the editor shows the result: the files the template wrote, each named step's
 * log saying what it would create, and the Repository link at the repository's web page.
 */
async function expectDryRunSucceeded(
  page: Page,
  run: { result: any; writes: object },
  expected: {
    name: string;
    files: string[];
    steps: Record<string, RegExp>;
    repository: string;
  },
) {
  const { result, writes } = run;
  const failed = result.log.filter((l: any) => l.body.status === 'failed');
  expect(failed.map((l: any) => l.body.message)).toEqual([]);
  expect(writes).toEqual({});
  for (const [step, says] of Object.entries(expected.steps)) {
    const stepId = result.steps.find((st: any) => st.name === step)?.id;
    const lines = result.log.filter((l: any) => l.body.stepId === stepId);
    expect(lines.map((l: any) => l.body.message).join('\n')).toMatch(says);
  }
  await expect(page.getByText('Result 1')).toBeVisible();

  // Files: the repository as it would be pushed, its catalog-info.yaml naming the project.
  await page.getByText('repo', { exact: true }).click();
  for (const file of expected.files) {
    await expect(page.getByText(file, { exact: true }).first()).toBeVisible();
  }
  await page.getByText('catalog-info.yaml', { exact: true }).first().click();
  await expect(
    page.locator('.cm-line', { hasText: expected.name }).first(),
  ).toBeVisible();

  // Log: each step's own log, chosen in the stepper.
  await page.getByRole('tab', { name: 'Log' }).click();
  for (const [step, says] of Object.entries(expected.steps)) {
    await page
      .getByRole('button')
      .filter({ has: page.getByText(step, { exact: true }) })
      .click();
    await expect(page.getByText(says).first()).toBeVisible();
  }

  // Output: the template's links; Repository opens the repository's web page, not its .git URL.
  await page.getByRole('tab', { name: 'Output' }).click();
  await expect(page.getByRole('link', { name: 'Repository' })).toHaveAttribute(
    'href',
    expected.repository,
  );
}

test.describe('dry runs from the Template Editor', () => {
  test.setTimeout(5 * 60_000);
  // The admin's own team owns what the dry runs would register: a template registers only
  // what the user who runs it owns, admins included.

  test('monolith', async ({ page }, testInfo) => {
    await openInEditor(page, 'monolith');
    await page.getByRole('textbox', { name: /^Name/ }).fill('dry-shop');
    await pickOwner(page, 'platform-team');
    await next(page);
    await checkPageState(page, testInfo, 'monolith editor, deployment');
    await next(page);
    await checkPageState(page, testInfo, 'monolith editor, upstream systems');
    await next(page);
    await pickRepository(page, 'autonomous-dev', 'dry-shop');
    const run = await dryRun(page);
    await expectDryRunSucceeded(page, run, {
      name: 'dry-shop',
      files: ['catalog-info.yaml', 'Jenkinsfile', 'Dockerfile'],
      steps: {
        'Harbor project and CI robot':
          /Dry run: would create Harbor project "dry-shop"/,
        'Jenkins job':
          /Dry run: would create or update pipeline job "dry-shop"/,
        'ArgoCD applications':
          /Dry run: would create or update ArgoCD application "dry-shop/,
        'Register the project': /Dry run: would register .*catalog-info\.yaml/,
      },
      repository: 'https://github.com/autonomous-dev/dry-shop',
    });
    const github = await sandboxJson('/_sandbox/github');
    expect(github.repos.map((r: any) => r.fullName)).not.toContain(
      'autonomous-dev/dry-shop',
    );
  });

  test('microservice', async ({ page }) => {
    await openInEditor(page, 'microservice');
    await page.getByRole('textbox', { name: /^System name/ }).fill('dry-pay');
    await pickOwner(page, 'platform-team');
    await next(page);
    await next(page);
    await next(page);
    await pickRepository(page, 'autonomous-dev', 'dry-pay');
    const run = await dryRun(page);
    await expectDryRunSucceeded(page, run, {
      name: 'dry-pay',
      files: ['catalog-info.yaml'],
      steps: {
        'Jenkins jobs': /Dry run: would create or update pipeline job/,
        'Register the system and its services':
          /Dry run: would register .*catalog-info\.yaml/,
      },
      repository: 'https://github.com/autonomous-dev/dry-pay',
    });
  });

  test('database', async ({ page }, testInfo) => {
    await openInEditor(page, 'database');
    await page.getByRole('textbox', { name: /^Name/ }).fill('dry-db');
    await pickOwner(page, 'platform-team');
    await expect(page.getByLabel('Engine', { exact: true })).not.toHaveText('');
    await checkPageState(page, testInfo, 'database editor, engine picker');
    await next(page);
    await pickRepository(page, 'autonomous-dev', 'dry-db');
    const run = await dryRun(page);
    await expectDryRunSucceeded(page, run, {
      name: 'dry-db',
      files: ['catalog-info.yaml'],
      steps: {
        'Register the database': /Dry run: would register .*catalog-info\.yaml/,
        'Provision the database': /Dry run: would provision .*dry-db/,
      },
      repository: 'https://github.com/autonomous-dev/dry-db',
    });
    const databases = await sandboxJson('/_sandbox/databases');
    expect(JSON.stringify(databases.databases)).not.toContain('dry-db');
  });
});

/*
 * The monolith template for real, from the wizard: the sandbox's GitHub double takes the new
 * repository (publish:github pushes to Debian's `git http-backend` behind it), and the
 * template ends with the entity in the catalog, its Jenkins job, Harbor project, ArgoCD
 * applications and a healthy first release in the sandbox.
 */

/** Waits for the task page to end; fails with the failed step's log when it does not succeed. */
async function waitForTask(page: Page, timeout: number) {
  const done = page.getByRole('link', { name: 'Open in catalog' });
  const failed = page.getByText(/failed|error/i).first();
  await expect(done.or(failed)).toBeVisible({ timeout });
  if (!(await done.isVisible())) {
    throw new Error(
      `the task failed: ${await page.locator('body').innerText()}`,
    );
  }
}

test('the monolith template runs for real from the wizard', async ({
  page,
}, testInfo) => {
  test.setTimeout(10 * 60_000);
  const name = `web-${Date.now().toString(36)}`;
  await signInAsGuest(page);
  await page.goto('/create/templates/default/autonomous-monolith');
  await page.getByRole('textbox', { name: /^Name/ }).fill(name);
  await pickOwner(page, 'shop-team');
  await next(page);
  await expect(
    page.getByRole('textbox', { name: /^Environments/ }),
  ).toHaveValue('staging, production');
  await checkPageState(page, testInfo, 'monolith wizard, deployment');
  await next(page);
  await next(page);
  await pickRepository(page, 'autonomous-dev', name);
  await reviewAndCreate(page);
  await waitForTask(page, 6 * 60_000);
  await expect(page.getByRole('link', { name: 'Repository' })).toHaveAttribute(
    'href',
    `https://github.com/autonomous-dev/${name}`,
  );

  // The repository, pushed with the skeleton, and its push webhook.
  const github = await sandboxJson('/_sandbox/github');
  const repo = github.repos.find(
    (r: any) => r.fullName === `autonomous-dev/${name}`,
  );
  expect(repo).toMatchObject({
    branches: { main: expect.any(String) },
    hooks: [
      expect.objectContaining({
        url: expect.stringMatching(/\/api\/autonomous\/webhooks\/github$/),
      }),
    ],
  });

  // Its Jenkins job built the first release, Harbor has its project, ArgoCD its applications.
  const state = await sandboxJson('/_sandbox/state');
  const job = state.jenkins.jobs.find((j: any) => j.fullName === name);
  expect(job?.builds).toEqual([expect.objectContaining({ result: 'SUCCESS' })]);
  expect(state.harbor.projects.map((p: any) => p.name)).toContain(name);
  const apps = state.argocd.map((a: any) => a.name);
  expect(apps).toEqual(expect.arrayContaining([name, `${name}-staging`]));
  const staging = await sandboxJson(
    `/argocd/api/v1/applications/${name}-staging`,
    'sandbox',
  );
  expect(staging.status.health.status).toBe('Healthy');

  // The portal: the entity in the catalog, and its first release healthy on the Releases tab.
  await page.getByRole('link', { name: 'Open in catalog' }).click();
  await expect(page.getByRole('heading', { name })).toBeVisible();
  await page.locator('a[href$="/autonomous-releases"]').click();
  const card = page.getByRole('region', { name: 'Environment staging' });
  await expect(card).toContainText(/healthy/i);
  await checkPageState(page, testInfo, 'new monolith, releases');
});

test('the database template runs for real until the database is ready', async ({
  page,
}, testInfo) => {
  test.setTimeout(10 * 60_000);
  const name = `db-${Date.now().toString(36)}`;
  await signInAsGuest(page);
  await page.goto('/create/templates/default/autonomous-database');
  await page.getByRole('textbox', { name: /^Name/ }).fill(name);
  await pickOwner(page, 'shop-team');
  // The engine picker starts from the portal's default engine and version.
  await expect(page.locator('[id$="-engine"]')).not.toHaveText('');
  await checkPageState(page, testInfo, 'database wizard, engine');
  await next(page);
  await pickRepository(page, 'autonomous-dev', name);
  await reviewAndCreate(page);
  await waitForTask(page, 8 * 60_000);

  // The task's text output names the ready server; the sandbox holds a real database for it.
  await expect(page.getByText(/credentials are in Vault at/)).toBeVisible();
  const databases = await sandboxJson('/_sandbox/databases');
  expect(JSON.stringify(databases.databases)).toContain(name);
  const github = await sandboxJson('/_sandbox/github');
  expect(github.repos.map((r: any) => r.fullName)).toContain(
    `autonomous-dev/${name}`,
  );
});
