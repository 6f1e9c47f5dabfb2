import { checkResponse } from './checkResponse';
import { ContractResult } from './types';

function problems(result: ContractResult): string[] {
  return result.ok ? [] : result.problems;
}

describe('checkResponse', () => {
  it('checks an Argo CD application list', () => {
    const application = {
      metadata: { name: 'shop', namespace: 'argocd' },
      spec: { project: 'default', destination: { namespace: 'shop' } },
      status: {
        sync: { status: 'Synced', revision: 'abc123' },
        health: { status: 'Healthy' },
      },
    };
    const response = {
      method: 'GET',
      url: '/api/v1/applications?project=default',
      status: 200,
    };
    expect(
      checkResponse('argocd', {
        ...response,
        body: { metadata: {}, items: [application] },
      }),
    ).toEqual({
      ok: true,
      operation: 'ApplicationService_List',
    });
    const broken = {
      ...application,
      status: { ...application.status, sync: { status: 3 } },
    };
    expect(
      problems(
        checkResponse('argocd', {
          ...response,
          body: JSON.stringify({ items: [broken] }),
        }),
      ),
    ).toEqual([
      'GET /api/v1/applications: response 200: body.items[0].status.sync.status must be string',
    ]);
  });

  it('checks Argo CD error bodies against the default response', () => {
    expect(
      problems(
        checkResponse('argocd', {
          method: 'GET',
          url: '/api/v1/applications/shop',
          status: 404,
          body: { code: 'five', message: 'not found' },
        }),
      ),
    ).toEqual([
      'GET /api/v1/applications/shop: response 404: body.code must be integer',
    ]);
  });

  it('checks a Harbor project, behind a base path', () => {
    const response = {
      method: 'GET',
      url: 'http://localhost:7200/harbor/api/v2.0/projects/shop',
      status: 200,
    };
    expect(
      checkResponse(
        'harbor',
        {
          ...response,
          body: { project_id: 1, name: 'shop', metadata: { public: 'false' } },
        },
        { basePath: '/harbor' },
      ).ok,
    ).toBe(true);
    expect(
      problems(
        checkResponse(
          'harbor',
          { ...response, body: { project_id: '1', name: 'shop' } },
          { basePath: '/harbor' },
        ),
      ),
    ).toEqual([
      'GET /api/v2.0/projects/shop: response 200: body.project_id must be integer',
    ]);
  });

  it('takes any value in Harbor maps typed `additionalProperties: {type: object}`, as go-swagger does', () => {
    const artifact = {
      id: 1,
      digest: 'sha256:abc',
      extra_attrs: {
        architecture: 'amd64',
        os: 'linux',
        created: '2026-01-01T00:00:00Z',
      },
    };
    const response = {
      method: 'GET',
      url: '/api/v2.0/projects/shop/repositories/web/artifacts/v1',
      status: 200,
    };
    expect(checkResponse('harbor', { ...response, body: artifact }).ok).toBe(
      true,
    );
    expect(
      problems(
        checkResponse('harbor', {
          ...response,
          body: { ...artifact, extra_attrs: 'amd64' },
        }),
      ),
    ).toEqual([
      'GET /api/v2.0/projects/shop/repositories/web/artifacts/v1: response 200: body.extra_attrs must be object',
    ]);
  });

  it('passes a status the specification declares no schema for', () => {
    expect(
      checkResponse('harbor', {
        method: 'POST',
        url: '/api/v2.0/projects',
        status: 201,
        body: '',
      }),
    ).toEqual({
      ok: true,
      operation: 'createProject',
    });
  });

  it('checks a Kubernetes Deployment and a plain-text pod log', () => {
    const deployment = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace: 'shop' },
      spec: {
        replicas: 2,
        selector: { matchLabels: { app: 'web' } },
        template: {
          metadata: { labels: { app: 'web' } },
          spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] },
        },
      },
      status: { replicas: 2, readyReplicas: 2 },
    };
    const response = {
      method: 'GET',
      url: '/apis/apps/v1/namespaces/shop/deployments/web',
      status: 200,
    };
    expect(
      checkResponse('kubernetes', { ...response, body: deployment }).ok,
    ).toBe(true);
    expect(
      problems(
        checkResponse('kubernetes', {
          ...response,
          body: {
            ...deployment,
            spec: { ...deployment.spec, selector: undefined },
          },
        }),
      ),
    ).toEqual([
      "GET /apis/apps/v1/namespaces/shop/deployments/web: response 200: body.spec must have required property 'selector'",
    ]);
    expect(
      checkResponse('kubernetes', {
        method: 'GET',
        url: '/api/v1/namespaces/shop/pods/web-1/log',
        status: 200,
        body: 'started\n',
      }).ok,
    ).toBe(true);
  });

  it('checks the data of a Vault response envelope', () => {
    const response = { method: 'GET', url: '/v1/secret/data/app', status: 200 };
    expect(
      checkResponse('vault', {
        ...response,
        body: {
          request_id: 'r1',
          lease_id: '',
          data: { data: { password: 'x' }, metadata: { version: 3 } },
        },
      }).ok,
    ).toBe(true);
    expect(
      problems(
        checkResponse('vault', {
          ...response,
          body: { request_id: 'r1', data: { data: 'password=x' } },
        }),
      ),
    ).toEqual([
      'GET /v1/secret/data/app: response 200: body.data must be object',
    ]);
  });

  it('checks Jenkins queue items, the queue, builds and crumbs by the rule table', () => {
    expect(
      checkResponse('jenkins', {
        method: 'GET',
        url: '/queue/item/42/api/json',
        status: 200,
        body: {
          _class: 'hudson.model.Queue$LeftItem',
          id: 42,
          url: 'queue/item/42/',
          why: null,
          blocked: false,
          buildable: false,
          cancelled: false,
          executable: null,
        },
      }).ok,
    ).toBe(true);
    expect(
      checkResponse('jenkins', {
        method: 'GET',
        url: '/job/a/job/b/7/api/json',
        status: 200,
        body: { number: 7, url: 'x', building: true, result: null },
      }).ok,
    ).toBe(true);
    expect(
      problems(
        checkResponse('jenkins', {
          method: 'GET',
          url: '/job/deploy/7/api/json',
          status: 200,
          body: { number: 7, url: 'x', building: false, result: 'PASSED' },
        }),
      ),
    ).toEqual([
      'GET /job/deploy/7/api/json: response 200: body.result must be equal to one of the allowed values (SUCCESS, UNSTABLE, FAILURE, NOT_BUILT, ABORTED, null)',
    ]);
    const waiting = {
      _class: 'hudson.model.Queue$WaitingItem',
      actions: [
        {
          _class: 'hudson.model.ParametersAction',
          parameters: [
            {
              _class: 'hudson.model.StringParameterValue',
              name: 'AUTONOMOUS_RELEASE_ID',
              value: 'r1',
            },
          ],
        },
        { _class: 'hudson.model.CauseAction', causes: [] },
      ],
      blocked: false,
      buildable: false,
      id: 43,
      inQueueSince: 1767225600000,
      params: '\nAUTONOMOUS_RELEASE_ID=r1',
      stuck: false,
      task: {
        _class: 'org.jenkinsci.plugins.workflow.job.WorkflowJob',
        name: 'storefront',
        url: 'http://ci/job/shop/job/storefront/',
        color: 'blue',
      },
      url: 'queue/item/43/',
      why: 'In the quiet period. Expires in 4.9 sec',
      timestamp: 1767225605000,
    };
    expect(
      checkResponse('jenkins', {
        method: 'GET',
        url: '/queue/api/json',
        status: 200,
        body: {
          _class: 'hudson.model.Queue',
          discoverableItems: [],
          items: [waiting],
        },
      }),
    ).toEqual({ ok: true, operation: 'getQueue' });
    expect(
      problems(
        checkResponse('jenkins', {
          method: 'GET',
          url: '/queue/api/json',
          status: 200,
          body: {
            items: [
              { ...waiting, task: undefined, actions: [{ parameters: [{}] }] },
            ],
          },
        }),
      ),
    ).toEqual([
      "GET /queue/api/json: response 200: body.items[0] must have required property 'task'",
      "GET /queue/api/json: response 200: body.items[0].actions[0].parameters[0] must have required property 'name'",
    ]);
    expect(
      problems(
        checkResponse('jenkins', {
          method: 'GET',
          url: '/queue/api/json',
          status: 200,
          body: [waiting],
        }),
      ),
    ).toEqual(['GET /queue/api/json: response 200: body must be object']);
    expect(
      checkResponse('jenkins', {
        method: 'GET',
        url: '/crumbIssuer/api/json',
        status: 200,
        body: { crumbRequestField: 'Jenkins-Crumb', crumb: 'c' },
      }).ok,
    ).toBe(true);
    expect(
      problems(
        checkResponse('jenkins', {
          method: 'GET',
          url: '/crumbIssuer/api/json',
          status: 200,
          body: { crumb: 1 },
        }),
      ),
    ).toEqual([
      'GET /crumbIssuer/api/json: response 200: body.crumb must be string',
      "GET /crumbIssuer/api/json: response 200: body must have required property 'crumbRequestField'",
    ]);
  });
});
