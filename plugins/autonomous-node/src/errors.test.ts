import {
  UpstreamError,
  isUpstreamError,
  reasonFromBody,
  scrubSecrets,
} from './errors';

describe('UpstreamError', () => {
  it('reads like a sentence and knows whether a retry may help', () => {
    const error = new UpstreamError({
      system: 'argocd',
      operation: 'sync of application "shop"',
      status: 409,
      reason: 'another operation is already in progress',
    });
    expect(error.message).toBe(
      'ArgoCD sync of application "shop" failed: 409 Conflict: another operation is already in progress',
    );
    expect(error.name).toBe('UpstreamError');
    expect(error.retryable).toBe(false);
    expect(isUpstreamError(error)).toBe(true);
    expect(
      new UpstreamError({
        system: 'harbor',
        operation: 'x',
        status: 502,
        reason: 'y',
      }).retryable,
    ).toBe(true);
    expect(
      new UpstreamError({ system: 'vault', operation: 'x', reason: 'timeout' })
        .retryable,
    ).toBe(true);
  });
});

describe('reasonFromBody', () => {
  it.each([
    [
      'ArgoCD',
      '{"error":"permission denied","code":7,"message":"permission denied"}',
      'permission denied',
    ],
    [
      'Harbor',
      '{"errors":[{"code":"NOT_FOUND","message":"project shop not found"}]}',
      'project shop not found',
    ],
    [
      'Vault',
      '{"errors":["1 error occurred:\\n\\t* permission denied\\n\\n"]}',
      'permission denied',
    ],
    [
      'Kubernetes',
      '{"kind":"Status","message":"pods \\"x\\" not found","code":404}',
      'pods "x" not found',
    ],
    [
      'Jenkins HTML',
      '<html><head><title>Error 404 Not Found</title></head><body><h2>HTTP ERROR 404 Not Found</h2></body></html>',
      'HTTP ERROR 404 Not Found',
    ],
    [
      'text',
      'Invalid password/token for user: robot\nmore',
      'Invalid password/token for user: robot',
    ],
  ])('takes the reason from a %s body', (_, body, reason) => {
    expect(reasonFromBody(body, 'fallback')).toBe(reason);
  });

  it('falls back when the body says nothing', () => {
    expect(reasonFromBody('  ', 'Bad Gateway')).toBe('Bad Gateway');
  });
});

describe('scrubSecrets', () => {
  it('removes credentials in every shape they travel in', () => {
    const secret = 'hunter2-secret';
    const text = [
      `token ${secret}`,
      `Authorization: Bearer eyJhbGciOi.abc.def`,
      `Authorization: Basic ${Buffer.from(`admin:${secret}`).toString(
        'base64',
      )}`,
      `https://admin:${secret}@harbor.example.com/api`,
      `{"password":"p4ss","client_token":"hvs.x"}`,
      `?token=abc&x=1`,
    ].join('\n');
    const scrubbed = scrubSecrets(text, [secret]);
    expect(scrubbed).not.toContain(secret);
    expect(scrubbed).not.toContain('eyJhbGciOi');
    expect(scrubbed).not.toContain('p4ss');
    expect(scrubbed).not.toContain('hvs.x');
    expect(scrubbed).not.toContain('token=abc');
    expect(scrubbed).toContain('https://***@harbor.example.com/api');
  });
});
