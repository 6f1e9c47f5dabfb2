import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';

/** The vendored GitHub and GitLab webhook contracts (packages/upstream-contracts/specs). */
const SPECS = resolve(
  __dirname,
  '../../../../packages/upstream-contracts/specs',
);

const read = (path: string) => readFileSync(resolve(SPECS, path), 'utf8');

/** Each GitHub push payload example, by file name, as the exact bytes GitHub would send. */
export function githubPushExamples(): Array<[name: string, body: string]> {
  const dir = 'github/examples/push';
  return readdirSync(resolve(SPECS, dir))
    .filter(f => f.endsWith('.json'))
    .map(f => [f, read(`${dir}/${f}`)]);
}

export function gitlabPushExample(): string {
  return read('gitlab/push-hook.example.json');
}

export function githubSignatureVector(): {
  secret: string;
  payload: string;
  expected_signature: string;
} {
  return JSON.parse(read('github/webhook-signature.test-vector.json'));
}
