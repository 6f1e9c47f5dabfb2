import express from 'express';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { GitHubState, githubControlRoutes, githubRouter } from './index.ts';

const run = promisify(execFile);

describe('GitHub double: the REST subset publish:github uses, and Git over smart HTTP', () => {
  let state: GitHubState;
  let server: http.Server;
  let base: string;
  let work: string;
  const auth = { Authorization: 'token sandbox' };

  beforeAll(async () => {
    state = new GitHubState('sandbox');
    const app = express();
    app.use('/github', githubRouter(state));
    const control = express.Router();
    githubControlRoutes(control, state);
    app.use('/_sandbox', control);
    server = http.createServer(app);
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    work = await mkdtemp(join(tmpdir(), 'github-double-test-'));
  });

  afterAll(async () => {
    await new Promise(resolve => server.close(resolve));
    await state.removeTemporary();
    await rm(work, { recursive: true, force: true });
  });

  const api = (path: string, init: RequestInit = {}) =>
    fetch(`${base}/github/api/v3${path}`, {
      ...init,
      headers: { ...auth, 'Content-Type': 'application/json', ...init.headers },
    });

  it('refuses a request without the token, saying so', async () => {
    const res = await fetch(`${base}/github/api/v3/user`);
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ message: 'Bad credentials' });
  });

  it('creates an organization repository, takes a push, serves its files and hooks', async () => {
    const owner = await (await api('/users/acme')).json();
    expect(owner).toEqual({ login: 'acme', type: 'Organization' });

    const created = await api('/orgs/acme/repos', {
      method: 'POST',
      body: JSON.stringify({
        name: 'shop',
        private: true,
        description: 'A shop',
      }),
    });
    expect(created.status).toBe(201);
    const repo = await created.json();
    expect(repo).toMatchObject({
      full_name: 'acme/shop',
      private: true,
      html_url: 'https://github.com/acme/shop',
      clone_url: `${base}/github/git/acme/shop.git`,
    });

    const again = await api('/orgs/acme/repos', {
      method: 'POST',
      body: JSON.stringify({ name: 'shop' }),
    });
    expect(again.status).toBe(422);

    // Push as isomorphic-git does for publish:github: basic auth with the token.
    const dir = join(work, 'shop');
    await run('git', ['init', '-q', '-b', 'main', dir]);
    await writeFile(join(dir, 'catalog-info.yaml'), 'kind: Component\n');
    await run('git', ['-C', dir, 'add', '.']);
    await run('git', [
      '-C',
      dir,
      '-c',
      'user.name=T',
      '-c',
      'user.email=t@example.com',
      'commit',
      '-q',
      '-m',
      'initial commit',
    ]);
    const remote = repo.clone_url.replace('://', '://x-access-token:sandbox@');
    await run('git', ['-C', dir, 'push', '-q', remote, 'main']);
    const bad = repo.clone_url.replace('://', '://x-access-token:wrong@');
    await expect(
      run('git', ['-C', dir, 'push', '-q', bad, 'main']),
    ).rejects.toThrow();

    const raw = await api(
      '/repos/acme/shop/contents/catalog-info.yaml?ref=main',
      {
        headers: { Accept: 'application/vnd.github.v3.raw' },
      },
    );
    expect(raw.status).toBe(200);
    expect(await raw.text()).toBe('kind: Component\n');
    const rawFile = await fetch(
      `${base}/github/raw/acme/shop/main/catalog-info.yaml`,
      { headers: auth },
    );
    expect(await rawFile.text()).toBe('kind: Component\n');
    const json = await (
      await api('/repos/acme/shop/contents/catalog-info.yaml')
    ).json();
    expect(Buffer.from(json.content, 'base64').toString()).toBe(
      'kind: Component\n',
    );
    expect((await api('/repos/acme/shop/contents/missing.yaml')).status).toBe(
      404,
    );

    const protectedBranch = await api(
      '/repos/acme/shop/branches/main/protection',
      {
        method: 'PUT',
        body: JSON.stringify({ enforce_admins: true }),
      },
    );
    expect(protectedBranch.status).toBe(200);

    const hook = await api('/repos/acme/shop/hooks', {
      method: 'POST',
      body: JSON.stringify({
        name: 'web',
        events: ['push'],
        config: {
          url: 'http://portal/api/autonomous/webhooks/github',
          secret: 's3cret',
        },
      }),
    });
    expect(hook.status).toBe(201);
    const hooks = await (
      await api('/repos/acme/shop/hooks?per_page=100')
    ).json();
    expect(hooks).toEqual([
      expect.objectContaining({
        events: ['push'],
        config: expect.objectContaining({
          url: 'http://portal/api/autonomous/webhooks/github',
          secret: '********',
        }),
      }),
    ]);

    const dump = await (await fetch(`${base}/_sandbox/github`)).json();
    expect(dump.repos).toEqual([
      expect.objectContaining({
        fullName: 'acme/shop',
        branches: { main: expect.stringMatching(/^[0-9a-f]{40}$/) },
        protectedBranches: ['main'],
      }),
    ]);
    expect(JSON.stringify(dump)).not.toContain('s3cret');

    // A clone with the token gets what was pushed.
    const clone = join(work, 'clone');
    await run('git', ['clone', '-q', remote, clone]);
    expect((await run('git', ['-C', clone, 'log', '--format=%s'])).stdout).toBe(
      'initial commit\n',
    );
  });

  it('says which request it does not serve', async () => {
    const res = await api('/repos/acme/shop/pulls');
    expect(res.status).toBe(404);
    expect((await res.json()).message).toMatch(/does not serve GET/);
  });
});
