import { fieldOfServerMessage, gitRefProblem } from './gitRef';

describe('git ref rules', () => {
  it.each([
    'main',
    'release/2.0',
    'v1.2.3',
    'feature/a-b_c',
    'dependabot/npm/x',
  ])('accepts %s', ref => expect(gitRefProblem(ref)).toBeUndefined());

  it.each([
    ['main..x', /two dots/],
    ['my branch', /no spaces/],
    ['fix:bug', /“:”/],
    ['a~1', /“~”/],
    ['/main', /“\/”/],
    ['main/', /“\/”/],
    ['a//b', /“\/”/],
    ['-x', /start with “-”/],
    ['main.lock', /“.lock”/],
    ['main.', /end with “.”/],
    ['feature/.hidden', /start with “.”/],
    ['a@{1}', /“@{”/],
  ])('refuses %s, saying why', (ref, why) => {
    expect(gitRefProblem(ref)).toMatch(why);
  });

  it("turns the backend's field messages into sentences for the field", () => {
    expect(
      fieldOfServerMessage('ref: is not a valid git branch or tag name'),
    ).toEqual({
      field: 'ref',
      text: 'This branch or tag name is not a valid git branch or tag name.',
    });
    expect(fieldOfServerMessage('Release v3 is in flight')).toEqual({
      text: 'Release v3 is in flight',
    });
  });
});
