import {
  entityRefString,
  parseEntityArgument,
  parseReleaseId,
  projectPath,
} from './entity.ts';
import { UsageError } from './errors.ts';

describe('parseEntityArgument', () => {
  it.each([
    ['storefront', 'component:default/storefront'],
    ['component:storefront', 'component:default/storefront'],
    ['component:default/storefront', 'component:default/storefront'],
    ['system:default/payments', 'system:default/payments'],
    ['Component:Shop/storefront', 'component:shop/storefront'],
    ['shop/storefront', 'component:shop/storefront'],
  ])('reads %s as %s', (text, ref) => {
    expect(entityRefString(parseEntityArgument(text))).toBe(ref);
  });

  it('gives the API path of the project', () => {
    expect(projectPath(parseEntityArgument('system:default/payments'))).toBe(
      '/projects/system/default/payments',
    );
  });

  it.each([
    ['', 'is not an entity reference'],
    ['component:default/store/front', 'is not an entity reference'],
    ['a:b:c', 'is not an entity reference'],
    ['component:default/-front', 'entity name "-front"'],
    ['comp onent:default/front', 'entity kind "comp onent"'],
  ])('refuses %j, saying why', (text, message) => {
    expect(() => parseEntityArgument(text)).toThrow(UsageError);
    expect(() => parseEntityArgument(text)).toThrow(message);
  });
});

describe('parseReleaseId', () => {
  it('accepts a UUID and refuses anything else', () => {
    expect(parseReleaseId('6F1C1B8E-59A6-4A34-9D43-2B7A0C4B8E11')).toBe(
      '6f1c1b8e-59a6-4a34-9d43-2b7a0c4b8e11',
    );
    expect(() => parseReleaseId('v12')).toThrow(
      '"v12" is not a release id: release ids are UUIDs',
    );
  });
});
