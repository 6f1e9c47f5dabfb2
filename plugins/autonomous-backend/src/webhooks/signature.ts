import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Compares two strings in time that depends on neither: both are hashed first, so their
 * lengths (and where they differ) tell an attacker nothing.
 */
function sameSecretText(a: string, b: string): boolean {
  const digest = (v: string) => createHash('sha256').update(v, 'utf8').digest();
  return timingSafeEqual(digest(a), digest(b));
}

/** `sha256=<hex>`: GitHub's X-Hub-Signature-256 of these exact body bytes with this secret. */
export function githubSignature(body: Buffer, secret: string): string {
  return `sha256=${createHmac('sha256', Buffer.from(secret, 'utf8'))
    .update(body)
    .digest('hex')}`;
}

/** Whether X-Hub-Signature-256 is the HMAC-SHA256 of the raw body with the secret. */
export function isGithubSignatureValid(
  body: Buffer,
  header: string,
  secret: string,
): boolean {
  return sameSecretText(header.trim(), githubSignature(body, secret));
}

/** Whether X-Gitlab-Token is the secret: GitLab sends it verbatim, not a signature. */
export function isGitlabTokenValid(header: string, secret: string): boolean {
  return sameSecretText(header, secret);
}
