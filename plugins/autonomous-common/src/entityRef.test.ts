import { entityRefFromRouteParams, entityRoutePath } from './entityRef';

describe('entity refs in routes', () => {
  it('normalises kind and namespace to lower case', () => {
    expect(
      entityRefFromRouteParams({
        kind: 'Component',
        namespace: 'Default',
        name: 'shop',
      }),
    ).toEqual({ ok: true, ref: 'component:default/shop' });
  });

  it('says which part of a bad ref is wrong', () => {
    const result = entityRefFromRouteParams({
      kind: 'component',
      namespace: 'default',
      name: 'bad name!',
    });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.reason).toContain('entity name "bad name!"');
  });

  it('builds the route path back from a ref', () => {
    expect(entityRoutePath('Component:default/shop')).toBe(
      'component/default/shop',
    );
  });
});
