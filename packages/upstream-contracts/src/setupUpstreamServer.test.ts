import { checkRequest } from './checkRequest';

// The contract check must catch what a careless client would send.
describe('the contract check the client tests rely on', () => {
  it('accepts a valid ArgoCD patch and rejects a patch sent as an object', () => {
    const valid = checkRequest(
      'argocd',
      {
        method: 'PATCH',
        url: 'http://localhost:7200/argocd/api/v1/applications/shop',
        headers: {
          'content-type': 'application/json',
          authorization: 'Bearer t',
        },
        body: JSON.stringify({ name: 'shop', patch: '{}', patchType: 'merge' }),
      },
      { basePath: '/argocd' },
    );
    expect(valid).toEqual({ ok: true, operation: expect.any(String) });
    const invalid = checkRequest(
      'argocd',
      {
        method: 'PATCH',
        url: 'http://localhost:7200/argocd/api/v1/applications/shop',
        headers: {
          'content-type': 'application/json',
          authorization: 'Bearer t',
        },
        body: JSON.stringify({ patch: { spec: {} }, patchType: 'merge' }),
      },
      { basePath: '/argocd' },
    );
    expect(invalid.ok).toBe(false);
  });
});
