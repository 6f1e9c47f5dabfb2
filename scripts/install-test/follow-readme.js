#!/usr/bin/env node
/*
 * Applies the code changes of the README's "Install into your portal" section to a portal made
 * by @backstage/create-app, the way a person following it would: the backend.add line, the
 * frontend plugin for the app's frontend system, a sample annotated Component and the
 * app-config the guide asks for: the upstreams (here the repo's sandbox, a test double of Jenkins,
 * Harbor, Argo CD and Kubernetes) and the CLI's static token for CI. Fails when a file does not
 * look the way the guide assumes.
 *
 * Usage: follow-readme.js PORTAL_DIR new|legacy BACKEND_PORT APP_PORT SANDBOX_URL CI_TOKEN
 */
const fs = require('node:fs');
const path = require('node:path');

const [portal, system, backendPort, appPort, sandboxUrl, ciToken] =
  process.argv.slice(2);
if (
  !portal ||
  !['new', 'legacy'].includes(system) ||
  !backendPort ||
  !appPort ||
  !sandboxUrl ||
  !ciToken
) {
  console.error(
    'usage: follow-readme.js PORTAL_DIR new|legacy BACKEND_PORT APP_PORT SANDBOX_URL CI_TOKEN',
  );
  process.exit(2);
}
const at = file => path.join(portal, file);

function edit(file, change) {
  const before = fs.readFileSync(at(file), 'utf8');
  const after = change(before);
  if (after === before) {
    throw new Error(
      `follow-readme: ${file} did not change; the guide no longer fits it`,
    );
  }
  fs.writeFileSync(at(file), after);
}

function insertBefore(text, marker, insertion, file) {
  const index = text.indexOf(marker);
  if (index < 0) throw new Error(`follow-readme: no "${marker}" in ${file}`);
  return text.slice(0, index) + insertion + text.slice(index);
}

// Backend: one line in packages/backend/src/index.ts.
edit('packages/backend/src/index.ts', text =>
  insertBefore(
    text,
    'backend.start();',
    "// the Autonomous suite\nbackend.add(import('@autonomous-dev/backstage-plugin-autonomous-backend'));\n\n",
    'packages/backend/src/index.ts',
  ),
);

if (system === 'new') {
  // New frontend system: the plugin from /alpha among createApp's features.
  edit('packages/app/src/App.tsx', text => {
    let out = insertBefore(
      text,
      'export default createApp',
      "import autonomousPlugin from '@autonomous-dev/backstage-plugin-autonomous/alpha';\n\n",
      'App.tsx',
    );
    out = out.replace(
      /features:\s*\[([^\]]*?),?\s*\]/,
      (_, list) => `features: [${list}, autonomousPlugin]`,
    );
    return out;
  });
} else {
  // Legacy frontend system: the Releases tab in the service and website entity pages.
  const file = 'packages/app/src/components/catalog/EntityPage.tsx';
  edit(file, text => {
    let out =
      "import {\n  EntityAutonomousReleasesContent,\n  isAutonomousAvailable,\n} from '@autonomous-dev/backstage-plugin-autonomous';\n" +
      text;
    for (const page of ['serviceEntityPage', 'websiteEntityPage']) {
      const start = out.indexOf(`const ${page} = (`);
      if (start < 0) throw new Error(`follow-readme: no ${page} in ${file}`);
      const end = out.indexOf('</EntityLayout>', start);
      const route =
        '  <EntityLayout.Route\n' +
        '      path="/autonomous-releases"\n' +
        '      title="Releases"\n' +
        '      if={isAutonomousAvailable}\n' +
        '    >\n' +
        '      <EntityAutonomousReleasesContent />\n' +
        '    </EntityLayout.Route>\n  ';
      out = out.slice(0, end) + route + out.slice(end);
    }
    return out;
  });
}

// A project: a Component with the autonomous.dev/project annotation, in its own file location.
fs.writeFileSync(
  at('examples/autonomous.yaml'),
  `apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: install-test-shop
  description: A sample Autonomous project
  annotations:
    autonomous.dev/project: monolith
    autonomous.dev/environments: staging,production
    autonomous.dev/auto-deploy: 'true'
    autonomous.dev/branch: main
    argocd/app-name: install-test-shop
    jenkins.io/job-full-name: shop/install-test-shop
    goharbor.io/repository-slug: shop/install-test-shop
    backstage.io/kubernetes-id: install-test-shop
spec:
  type: service
  lifecycle: experimental
  owner: guests
`,
);

// The guide's app-config, plus the ports this test runs on. Arrays replace rather than merge
// across config files, so the template's locations are repeated next to the new one.
fs.writeFileSync(
  at('app-config.install-test.yaml'),
  `app:
  baseUrl: http://localhost:${appPort}
backend:
  baseUrl: http://localhost:${backendPort}
  listen:
    port: ${backendPort}
  cors:
    origin: http://localhost:${appPort}
    methods: [GET, HEAD, PATCH, POST, PUT, DELETE]
    credentials: true
  auth:
    # README of the CLI: "A static token for CI".
    externalAccess:
      - type: static
        options:
          token: ${ciToken}
          subject: install-test-ci
        accessRestrictions:
          - plugin: autonomous
            permission:
              - autonomous.project.read
              - autonomous.release.deploy
              - autonomous.release.rollback
catalog:
  locations:
    - type: file
      target: ../../examples/entities.yaml
    - type: file
      target: ../../examples/org.yaml
      rules:
        - allow: [User, Group]
    - type: file
      target: ../../examples/autonomous.yaml
autonomous:
  permissionDecisionCacheMs: 5000
  # The CLI's README: the entities the CI token may act on.
  serviceTokens:
    - subject: install-test-ci
      entities: [component:default/install-test-shop]
  # README step 3: the upstreams a release drives.
  jenkins:
    instances:
      - name: default
        url: ${sandboxUrl}/jenkins
        username: autonomous
        apiToken: sandbox
  harbor:
    instances:
      - name: default
        url: ${sandboxUrl}/harbor
        username: admin
        password: sandbox
        registryHost: ${new URL(sandboxUrl).host}
  argocd:
    instances:
      - name: default
        url: ${sandboxUrl}/argocd
        token: sandbox
  kubernetes:
    instances:
      - name: default
        url: ${sandboxUrl}/kubernetes
        token: sandbox
        skipTLSVerify: true
`,
);
console.log(
  `follow-readme: backend and ${system} frontend wired, sample project added`,
);
