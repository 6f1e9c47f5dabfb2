import { githubSignatureVector } from '../__testUtils__/webhookContracts';
import {
  githubSignature,
  isGithubSignatureValid,
  isGitlabTokenValid,
} from './signature';

describe('webhook signatures', () => {
  const vector = githubSignatureVector();

  it("computes GitHub's documented test vector", () => {
    const body = Buffer.from(vector.payload, 'utf8');
    expect(githubSignature(body, vector.secret)).toBe(
      vector.expected_signature,
    );
    expect(
      isGithubSignatureValid(body, vector.expected_signature, vector.secret),
    ).toBe(true);
  });

  it('refuses another body, another secret, a truncated or SHA-1 signature', () => {
    const body = Buffer.from(vector.payload, 'utf8');
    const sig = vector.expected_signature;
    expect(
      isGithubSignatureValid(
        Buffer.from(`${vector.payload} `),
        sig,
        vector.secret,
      ),
    ).toBe(false);
    expect(isGithubSignatureValid(body, sig, `${vector.secret}!`)).toBe(false);
    expect(isGithubSignatureValid(body, sig.slice(0, -1), vector.secret)).toBe(
      false,
    );
    expect(
      isGithubSignatureValid(
        body,
        sig.replace('sha256=', 'sha1='),
        vector.secret,
      ),
    ).toBe(false);
    expect(isGithubSignatureValid(body, '', vector.secret)).toBe(false);
  });

  it("compares GitLab's plain token exactly", () => {
    expect(isGitlabTokenValid('s3cret-token', 's3cret-token')).toBe(true);
    expect(isGitlabTokenValid('s3cret-toke', 's3cret-token')).toBe(false);
    expect(isGitlabTokenValid('S3CRET-TOKEN', 's3cret-token')).toBe(false);
  });
});
