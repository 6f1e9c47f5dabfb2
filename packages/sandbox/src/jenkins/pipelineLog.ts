import { randomHex, sha256Hex } from '../util.ts';
import type { Build, LogLine } from './types.ts';

/**
 * The console a build writes: checkout, docker build, tests and, when it builds an image, the
 * push to `registryHost`, spread over the first nine tenths of its duration.
 */
export function pipelineLog(build: Build, registryHost: string): LogLine[] {
  const p = build.params;
  const commit = build.commit.sha;
  const branch = p.GIT_BRANCH || p.BRANCH || 'main';
  const repoUrl = p.GIT_URL || p.GIT_REPOSITORY || `${build.job}.git`;
  const image = build.image
    ? `${registryHost}/${build.image.repository}:${build.image.tag}`
    : undefined;
  const steps: string[][] = [
    [
      `Started by user autonomous`,
      `Running in Durability level: MAX_SURVIVABILITY`,
      `[Pipeline] Start of Pipeline`,
      `[Pipeline] node`,
      `Running on sandbox-agent-1 in /home/jenkins/workspace/${build.job}`,
      `[Pipeline] { (Checkout)`,
      `The recommended git tool is: NONE`,
      ` > git fetch --tags --force --progress -- ${repoUrl} +refs/heads/*:refs/remotes/origin/* # timeout=10`,
      `Checking out Revision ${commit} (origin/${branch})`,
      ` > git checkout -f ${commit} # timeout=10`,
      `Commit message: "${build.commit.subject}"`,
    ],
    [
      `[Pipeline] { (Build)`,
      `+ docker build -t ${image ?? build.job} .`,
      `#1 [internal] load build definition from Dockerfile`,
      `#2 [internal] load metadata for node:24-alpine`,
      `#5 [2/5] RUN npm ci`,
      `#5 added 812 packages in 14s`,
      `#6 [3/5] RUN npm run build`,
      `#8 exporting to image`,
      `#8 writing image sha256:${sha256Hex(commit)} done`,
    ],
    [
      `[Pipeline] { (Test)`,
      `+ npm test -- --ci`,
      `PASS src/app.test.ts`,
      `PASS src/routes.test.ts`,
      `Tests:       42 passed, 42 total`,
    ],
  ];
  if (image) {
    steps.push([
      `[Pipeline] { (Push)`,
      `+ docker push ${image}`,
      `The push refers to repository [${registryHost}/${
        build.image!.repository
      }]`,
      `${randomHex(6)}: Pushed`,
      `${randomHex(6)}: Pushed`,
      `${randomHex(6)}: Layer already exists`,
    ]);
  }
  const lines: LogLine[] = [];
  // The last tenth of the build is left for the push result and "Finished".
  const span = build.durationMs * 0.9;
  steps.forEach((stepLines, stepIndex) => {
    const stepStart = (span * stepIndex) / steps.length;
    const stepSpan = span / steps.length;
    stepLines.forEach((text, i) => {
      lines.push({
        atMs: Math.round(stepStart + (stepSpan * i) / stepLines.length),
        text,
      });
    });
  });
  return lines;
}
