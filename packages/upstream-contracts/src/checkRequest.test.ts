import { checkRequest } from './checkRequest';
import { ContractResult } from './types';

const bearer = { authorization: 'Bearer token-1' };
const basic = {
  authorization: `Basic ${Buffer.from('robot$ci:secret').toString('base64')}`,
};
const json = { 'content-type': 'application/json' };

function problems(result: ContractResult): string[] {
  return result.ok ? [] : result.problems;
}

describe('checkRequest: Argo CD', () => {
  const helmApplication = {
    metadata: { name: 'shop', namespace: 'argocd' },
    spec: {
      project: 'default',
      source: {
        repoURL: 'https://charts.example.com',
        chart: 'shop',
        targetRevision: '1.2.3',
        helm: {
          releaseName: 'shop',
          valuesObject: { replicas: 2 },
          parameters: [{ name: 'image.tag', value: 'v1' }],
        },
      },
      destination: {
        server: 'https://kubernetes.default.svc',
        namespace: 'shop',
      },
      syncPolicy: { automated: { prune: true, selfHeal: true } },
    },
  };

  it('accepts creating an application with a Helm source behind a base path', () => {
    expect(
      checkRequest(
        'argocd',
        {
          method: 'POST',
          url: 'http://localhost:7200/argocd/api/v1/applications?upsert=true',
          headers: { ...bearer, ...json },
          body: JSON.stringify(helmApplication),
        },
        { basePath: '/argocd' },
      ),
    ).toEqual({ ok: true, operation: 'ApplicationService_Create' });
  });

  it('accepts a session login without a token and a sync of a named application', () => {
    expect(
      checkRequest('argocd', {
        method: 'POST',
        url: '/api/v1/session',
        headers: json,
        body: { username: 'admin', password: 'x' },
      }).ok,
    ).toBe(true);
    expect(
      checkRequest('argocd', {
        method: 'POST',
        url: '/api/v1/applications/shop/sync',
        headers: { ...bearer, ...json },
        body: { name: 'shop', revision: 'HEAD', prune: true },
      }),
    ).toEqual({ ok: true, operation: 'ApplicationService_Sync' });
  });

  it('names the body field of the wrong type', () => {
    const bad = {
      ...helmApplication,
      spec: {
        ...helmApplication.spec,
        source: { ...helmApplication.spec.source, repoURL: 42 },
      },
    };
    expect(
      problems(
        checkRequest('argocd', {
          method: 'POST',
          url: '/api/v1/applications',
          headers: { ...bearer, ...json },
          body: JSON.stringify(bad),
        }),
      ),
    ).toEqual([
      'POST /api/v1/applications: body.spec.source.repoURL must be string',
    ]);
  });

  it('catches a query parameter of the wrong type, a missing token and an unknown path', () => {
    expect(
      problems(
        checkRequest('argocd', {
          method: 'POST',
          url: '/api/v1/applications?upsert=yes',
          headers: { ...bearer, ...json },
          body: helmApplication,
        }),
      ),
    ).toEqual([
      'POST /api/v1/applications: query parameter upsert must be boolean (got "yes")',
    ]);
    expect(
      problems(
        checkRequest('argocd', {
          method: 'GET',
          url: '/api/v1/applications',
          headers: {},
        }),
      ),
    ).toEqual([
      'GET /api/v1/applications: missing Authorization: Bearer header (Argo CD takes a bearer token)',
    ]);
    expect(
      problems(
        checkRequest('argocd', {
          method: 'GET',
          url: '/api/v1/releases',
          headers: bearer,
        }),
      ),
    ).toEqual(['GET /api/v1/releases: no such path in the Argo CD API']);
  });

  it('catches a method the path does not have', () => {
    expect(
      problems(
        checkRequest('argocd', {
          method: 'PATCH',
          url: '/api/v1/applications',
          headers: bearer,
        }),
      )[0],
    ).toMatch(
      /^PATCH \/api\/v1\/applications: method PATCH is not defined for \/api\/v1\/applications in the Argo CD API \(it has GET, POST\)$/,
    );
  });

  it('rejects a body sent as text/plain, as fetch labels a bare string', () => {
    expect(
      problems(
        checkRequest('argocd', {
          method: 'POST',
          url: '/api/v1/applications',
          headers: { ...bearer, 'content-type': 'text/plain;charset=UTF-8' },
          body: JSON.stringify(helmApplication),
        }),
      ),
    ).toEqual([
      'POST /api/v1/applications: Content-Type text/plain is not accepted (the operation accepts application/json)',
    ]);
  });
});

describe('checkRequest: Harbor', () => {
  it('accepts creating a project with metadata', () => {
    expect(
      checkRequest('harbor', {
        method: 'POST',
        url: 'https://harbor.example.com/api/v2.0/projects',
        headers: { ...basic, ...json, 'X-Resource-Name-In-Location': 'true' },
        body: {
          project_name: 'shop',
          metadata: { public: 'false', auto_scan: 'true' },
          storage_limit: null,
        },
      }),
    ).toEqual({ ok: true, operation: 'createProject' });
  });

  it('accepts listing artifacts with paging', () => {
    expect(
      checkRequest('harbor', {
        method: 'GET',
        url: '/api/v2.0/projects/shop/repositories/web/artifacts?page=1&page_size=10&with_tag=true',
        headers: basic,
      }),
    ).toEqual({ ok: true, operation: 'listArtifacts' });
  });

  it('accepts numbers in retention rule params, which Harbor and its UI send', () => {
    expect(
      checkRequest('harbor', {
        method: 'POST',
        url: '/api/v2.0/retentions',
        headers: { ...basic, ...json },
        body: {
          algorithm: 'or',
          scope: { level: 'project', ref: 1 },
          trigger: { kind: 'Schedule', settings: { cron: '0 0 0 * * *' } },
          rules: [
            {
              action: 'retain',
              template: 'latestPushedK',
              params: { latestPushedK: 10 },
              tag_selectors: [],
              scope_selectors: {},
            },
          ],
        },
      }),
    ).toEqual({ ok: true, operation: 'createRetention' });
  });

  it('catches wrong types, missing credentials and paths outside /api/v2.0', () => {
    expect(
      problems(
        checkRequest('harbor', {
          method: 'POST',
          url: '/api/v2.0/projects',
          headers: { ...basic, ...json },
          body: { project_name: 'shop', metadata: { public: true } },
        }),
      ),
    ).toEqual(['POST /api/v2.0/projects: body.metadata.public must be string']);
    expect(
      problems(
        checkRequest('harbor', {
          method: 'GET',
          url: '/api/v2.0/projects?page=one',
          headers: {},
        }),
      ),
    ).toEqual([
      'GET /api/v2.0/projects: missing Authorization: Basic header (Harbor takes HTTP basic credentials)',
      'GET /api/v2.0/projects: query parameter page must be integer (got "one")',
    ]);
    expect(
      problems(
        checkRequest('harbor', {
          method: 'GET',
          url: '/api/v2.1/projects',
          headers: basic,
        }),
      )[0],
    ).toMatch(/start with \/api\/v2.0/);
    expect(
      problems(
        checkRequest('harbor', {
          method: 'GET',
          url: '/api/v2.0/projects/x/charts',
          headers: basic,
        }),
      ),
    ).toEqual([
      'GET /api/v2.0/projects/x/charts: no such path in the Harbor API',
    ]);
  });
});

describe('checkRequest: Vault', () => {
  const token = { 'X-Vault-Token': 'hvs.test' };

  it('accepts a KV v2 write and read at /v1/secret/data/app', () => {
    expect(
      checkRequest('vault', {
        method: 'POST',
        url: 'http://vault:8200/v1/secret/data/app',
        headers: { ...token, ...json },
        body: { data: { password: 's3cret' }, options: { cas: 0 } },
      }),
    ).toEqual({ ok: true, operation: 'kv-v2-write' });
    expect(
      checkRequest('vault', {
        method: 'GET',
        url: '/v1/secret/data/team/app?version=2',
        headers: token,
      }),
    ).toEqual({
      ok: true,
      operation: 'kv-v2-read',
    });
  });

  it('accepts a Kubernetes login without a token, and LIST as GET with list=true', () => {
    expect(
      checkRequest('vault', {
        method: 'POST',
        url: '/v1/auth/kubernetes/login',
        headers: json,
        body: { role: 'autonomous', jwt: 'eyJ...' },
      }).ok,
    ).toBe(true);
    expect(
      checkRequest('vault', {
        method: 'LIST',
        url: '/v1/secret/metadata/team/',
        headers: token,
      }).ok,
    ).toBe(true);
  });

  it('catches a missing token, a wrong body and paths without /v1', () => {
    expect(
      problems(
        checkRequest('vault', {
          method: 'GET',
          url: '/v1/secret/data/app',
          headers: {},
        }),
      ),
    ).toEqual([
      'GET /v1/secret/data/app: missing X-Vault-Token header (only login endpoints work without a token)',
    ]);
    expect(
      problems(
        checkRequest('vault', {
          method: 'POST',
          url: '/v1/secret/data/app',
          headers: { ...token, ...json },
          body: { data: 'password=s3cret' },
        }),
      ),
    ).toEqual(['POST /v1/secret/data/app: body.data must be object']);
    expect(
      problems(
        checkRequest('vault', {
          method: 'GET',
          url: '/secret/data/app',
          headers: token,
        }),
      )[0],
    ).toMatch(/start with \/v1/);
  });
});

describe('checkRequest: Kubernetes', () => {
  it('accepts creating a Namespace and merge-patching a Deployment', () => {
    expect(
      checkRequest('kubernetes', {
        method: 'POST',
        url: 'https://k8s.example.com:6443/api/v1/namespaces?fieldManager=autonomous',
        headers: { ...bearer, ...json },
        body: {
          apiVersion: 'v1',
          kind: 'Namespace',
          metadata: { name: 'shop', labels: { team: 'web' } },
        },
      }),
    ).toEqual({ ok: true, operation: 'createCoreV1Namespace' });
    expect(
      checkRequest('kubernetes', {
        method: 'PATCH',
        url: '/apis/apps/v1/namespaces/shop/deployments/web',
        headers: { ...bearer, 'content-type': 'application/merge-patch+json' },
        body: JSON.stringify({ spec: { replicas: 3 } }),
      }),
    ).toEqual({ ok: true, operation: 'patchAppsV1NamespacedDeployment' });
  });

  it('accepts a server-side apply in YAML and a Deployment with int-or-string ports', () => {
    expect(
      checkRequest('kubernetes', {
        method: 'PATCH',
        url: '/apis/apps/v1/namespaces/shop/deployments/web?fieldManager=autonomous&force=true',
        headers: { ...bearer, 'content-type': 'application/apply-patch+yaml' },
        body: 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n',
      }).ok,
    ).toBe(true);
    expect(
      checkRequest('kubernetes', {
        method: 'POST',
        url: '/api/v1/namespaces/shop/services',
        headers: { ...bearer, ...json },
        body: {
          metadata: { name: 'web' },
          spec: {
            ports: [
              { port: 80, targetPort: 8080 },
              { port: 81, targetPort: 'http' },
            ],
          },
        },
      }).ok,
    ).toBe(true);
  });

  it('checks a JSON Patch as an array of operations, not as the object the spec declares', () => {
    const request = {
      method: 'PATCH',
      url: '/apis/apps/v1/namespaces/shop/deployments/web',
      headers: { ...bearer, 'content-type': 'application/json-patch+json' },
    };
    expect(
      checkRequest('kubernetes', {
        ...request,
        body: [{ op: 'replace', path: '/spec/replicas', value: 3 }],
      }).ok,
    ).toBe(true);
    expect(
      problems(
        checkRequest('kubernetes', {
          ...request,
          body: { spec: { replicas: 3 } },
        }),
      ),
    ).toEqual([
      'PATCH /apis/apps/v1/namespaces/shop/deployments/web: body must be array',
    ]);
    expect(
      problems(
        checkRequest('kubernetes', {
          ...request,
          body: [{ op: 'replace', path: '/spec/replicas' }],
        }),
      ),
    ).toEqual([
      "PATCH /apis/apps/v1/namespaces/shop/deployments/web: body[0] must have required property 'value'",
    ]);
  });

  it('rejects a PATCH sent as application/json, which no patch type is', () => {
    expect(
      problems(
        checkRequest('kubernetes', {
          method: 'PATCH',
          url: '/apis/apps/v1/namespaces/shop/deployments/web',
          headers: { ...bearer, ...json },
          body: { spec: { replicas: 3 } },
        }),
      ),
    ).toEqual([
      'PATCH /apis/apps/v1/namespaces/shop/deployments/web: Content-Type application/json is not accepted (the operation accepts application/apply-patch+cbor, application/apply-patch+yaml, application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json)',
    ]);
  });

  it('catches a missing token, a wrong type and an API group that is not vendored', () => {
    expect(
      problems(
        checkRequest('kubernetes', {
          method: 'GET',
          url: '/api/v1/namespaces/shop/pods',
          headers: {},
        }),
      ),
    ).toEqual([
      'GET /api/v1/namespaces/shop/pods: missing Authorization: Bearer header (Kubernetes takes a bearer token)',
    ]);
    expect(
      problems(
        checkRequest('kubernetes', {
          method: 'POST',
          url: '/api/v1/namespaces',
          headers: { ...bearer, ...json },
          body: { metadata: { name: 'shop', labels: ['web'] } },
        }),
      ),
    ).toEqual(['POST /api/v1/namespaces: body.metadata.labels must be object']);
    expect(
      problems(
        checkRequest('kubernetes', {
          method: 'GET',
          url: '/apis/rbac.authorization.k8s.io/v1/roles',
          headers: bearer,
        }),
      )[0],
    ).toMatch(/no such path in the Kubernetes API documents vendored here/);
    expect(
      problems(
        checkRequest('kubernetes', {
          method: 'GET',
          url: '/api/v1/namespaces/shop/pods/web-1/log?follow=sometimes',
          headers: bearer,
        }),
      ),
    ).toEqual([
      'GET /api/v1/namespaces/shop/pods/web-1/log: query parameter follow must be boolean (got "sometimes")',
    ]);
  });
});

describe('checkRequest: Jenkins', () => {
  const xml = { 'content-type': 'application/xml' };
  const config =
    '<?xml version="1.1"?><flow-definition plugin="workflow-job"/>';

  it('accepts buildWithParameters with basic auth, as form data or as query', () => {
    expect(
      checkRequest(
        'jenkins',
        {
          method: 'POST',
          url: 'https://ci.example.com/jenkins/job/shop/job/deploy/buildWithParameters',
          headers: {
            ...basic,
            'content-type': 'application/x-www-form-urlencoded',
          },
          body: 'VERSION=1.2.3&ENV=prod',
        },
        { basePath: '/jenkins' },
      ),
    ).toEqual({ ok: true, operation: 'buildWithParameters' });
    expect(
      checkRequest('jenkins', {
        method: 'POST',
        url: '/job/deploy/buildWithParameters?VERSION=1.2.3',
        headers: basic,
      }).ok,
    ).toBe(true);
  });

  it('accepts the operations of the rule table', () => {
    const crumb = { 'Jenkins-Crumb': 'abc' };
    const ok = [
      {
        method: 'POST',
        url: '/createItem?name=deploy',
        headers: { ...basic, ...xml },
        body: config,
      },
      {
        method: 'POST',
        url: '/job/shop/createItem?name=deploy',
        headers: { ...crumb, 'content-type': 'text/xml' },
        body: config,
      },
      { method: 'GET', url: '/job/shop/job/deploy/config.xml', headers: basic },
      {
        method: 'POST',
        url: '/job/deploy/config.xml',
        headers: { ...basic, ...xml },
        body: config,
      },
      { method: 'POST', url: '/job/deploy/build', headers: basic },
      { method: 'GET', url: '/queue/item/42/api/json', headers: basic },
      {
        method: 'GET',
        url: '/queue/api/json?tree=items[id,task[name,url],actions[parameters[name,value]]]',
        headers: basic,
      },
      { method: 'GET', url: '/job/deploy/7/api/json', headers: basic },
      {
        method: 'GET',
        url: '/job/a/job/b/7/logText/progressiveText',
        headers: basic,
      },
      {
        method: 'GET',
        url: '/job/deploy/7/logText/progressiveText?start=1024',
        headers: basic,
      },
      { method: 'POST', url: '/job/deploy/7/stop', headers: crumb },
      {
        method: 'GET',
        url: '/job/deploy/api/json?tree=lastBuild[number]',
        headers: basic,
      },
      { method: 'GET', url: '/crumbIssuer/api/json', headers: basic },
    ];
    expect(
      ok.map(r => [r.method, r.url, problems(checkRequest('jenkins', r))]),
    ).toEqual(ok.map(r => [r.method, r.url, []]));
  });

  it('catches createItem without name or without Content-Type, and a POST without credentials', () => {
    expect(
      problems(
        checkRequest('jenkins', {
          method: 'POST',
          url: '/createItem',
          headers: { ...basic, ...xml },
          body: config,
        }),
      ),
    ).toEqual(['POST /createItem: query parameter name is required']);
    expect(
      problems(
        checkRequest('jenkins', {
          method: 'POST',
          url: '/createItem?name=deploy',
          headers: basic,
          body: config,
        }),
      ),
    ).toEqual([
      'POST /createItem: no Content-Type header (the operation accepts application/xml, text/xml)',
    ]);
    expect(
      problems(
        checkRequest('jenkins', {
          method: 'POST',
          url: '/job/deploy/build',
          headers: {},
        }),
      )[0],
    ).toMatch(/^POST \/job\/deploy\/build: a POST needs HTTP basic auth/);
    expect(
      problems(
        checkRequest('jenkins', {
          method: 'GET',
          url: '/job/deploy/build',
          headers: basic,
        }),
      )[0],
    ).toMatch(/method GET is not defined/);
    expect(
      problems(
        checkRequest('jenkins', {
          method: 'GET',
          url: '/job/deploy/7/logText/progressiveText?start=end',
          headers: basic,
        }),
      ),
    ).toEqual([
      'GET /job/deploy/7/logText/progressiveText: query parameter start must be integer (got "end")',
    ]);
    expect(
      problems(
        checkRequest('jenkins', {
          method: 'POST',
          url: '/queue/api/json',
          headers: basic,
        }),
      )[0],
    ).toMatch(/method POST is not defined/);
    expect(
      problems(
        checkRequest('jenkins', {
          method: 'GET',
          url: '/queue/api/json?depth=all',
          headers: basic,
        }),
      ),
    ).toEqual([
      'GET /queue/api/json: query parameter depth must be integer (got "all")',
    ]);
  });
});
