import {
  encodePathSegment,
  encodePathSegments,
  UnsafePathSegmentError,
} from './pathSegment';

describe('encodePathSegment', () => {
  it('encodes a name into one segment', () => {
    expect(encodePathSegment('payments-api', 'the name')).toBe('payments-api');
    expect(encodePathSegment('a/b?c', 'the name')).toBe('a%2Fb%3Fc');
    // Encoded dots are not dot segments: they stay one literal segment.
    expect(encodePathSegment('%2e%2e', 'the name')).toBe('%252e%252e');
  });

  it.each(['', '.', '..'])(
    'refuses %j, which URL resolution would not keep',
    value => {
      expect(() =>
        encodePathSegment(value, 'the ArgoCD application name'),
      ).toThrow(
        new UnsafePathSegmentError(
          `the ArgoCD application name "${value}" is not allowed: it must not be empty, "." or ".."`,
        ),
      );
    },
  );

  it('answers 400 through Backstage error handling', () => {
    expect(() => encodePathSegment('..', 'x')).toThrow(
      expect.objectContaining({ name: 'InputError' }),
    );
  });
});

describe('encodePathSegments', () => {
  it('encodes each segment and drops empty ones', () => {
    expect(encodePathSegments('/payments//api db/', 'the path')).toEqual([
      'payments',
      'api%20db',
    ]);
    expect(encodePathSegments('a..b/.c/..d', 'the path')).toEqual([
      'a..b',
      '.c',
      '..d',
    ]);
  });

  it.each(['payments/../../sys/policy', '..', 'a/./b', './a', 'a/..'])(
    'refuses %j',
    path => {
      expect(() => encodePathSegments(path, 'the Vault secret path')).toThrow(
        `the Vault secret path "${path}" is not allowed: it must not contain "." or ".." segments`,
      );
    },
  );
});
