import { createReleaseBody, gitRefProblem, plainText } from './requests';
import { parseInput } from './validation';

describe('a release request', () => {
  it.each([
    'main',
    'release/2026.11',
    'feature/checkout-v2',
    'v1.2.3',
    'user@host-branch',
    'hotfix_#12',
  ])('accepts the ref %s', ref => {
    expect(gitRefProblem(ref)).toBeUndefined();
    expect(
      parseInput(createReleaseBody, { environment: 'production', ref }, 'body')
        .ref,
    ).toBe(ref);
  });

  it.each([
    ['-x', 'must not start with -'],
    ['--upload-pack=touch /tmp/p', 'must not contain spaces'],
    ['main;rm -rf /', 'must not contain spaces'],
    ['main;reboot', 'must not contain any of $'],
    ['$(id)', 'must not contain any of $'],
    ['a|b', 'must not contain any of $'],
    ['a&b', 'must not contain any of $'],
    ['`id`', 'must not contain any of $'],
    ['a..b', 'must not contain ..'],
    ['a/.hidden', 'must not have a part starting with .'],
    ['refs/heads/x.lock', 'must not have a part ending with .lock'],
    ['a//b', 'must not contain //'],
    ['a/', 'must not start or end with /'],
    ['a.', 'must not end with .'],
    ['a@{1}', 'must not contain @{'],
    ['@', 'must not be @ alone'],
    ['tab\there', 'must not contain spaces, control characters'],
    ['a~1', 'must not contain spaces, control characters'],
  ])('refuses the ref %s with a 400 that says why', (ref, why) => {
    expect(() =>
      parseInput(createReleaseBody, { environment: 'production', ref }, 'body'),
    ).toThrow(
      expect.objectContaining({
        name: 'InputError',
        message: expect.stringContaining(`ref: is not a branch or tag name`),
      }),
    );
    expect(gitRefProblem(ref)).toContain(why);
  });

  it('keeps a reason readable and drops the terminal escape codes and control characters in it', () => {
    const hostile =
      'fix\u001b[2J\u001b[1;1Hall good\u001b]0;pwned\u0007 \u009b31mred\r\nnext\u0000';
    const body = parseInput(
      createReleaseBody,
      { environment: 'production', reason: hostile },
      'body',
    );
    expect(body.reason).toBe('fixall good red  next ');
    // eslint-disable-next-line no-control-regex
    expect(body.reason).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
    expect(plainText('deploy the checkout fix — ünïcode ok')).toBe(
      'deploy the checkout fix — ünïcode ok',
    );
  });
});
