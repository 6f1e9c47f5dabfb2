import { parseCommandLine } from './redis';

describe('parseCommandLine', () => {
  it('splits a command line the way redis-cli does', () => {
    expect(parseCommandLine('  GET   user:1 ')).toEqual(['GET', 'user:1']);
    expect(
      parseCommandLine(`SET greeting "hello \\"world\\"\\n" EX 10`),
    ).toEqual(['SET', 'greeting', 'hello "world"\n', 'EX', '10']);
    expect(parseCommandLine(`HSET h 'a b' ""`)).toEqual([
      'HSET',
      'h',
      'a b',
      '',
    ]);
  });

  it('refuses unbalanced quotes instead of guessing', () => {
    expect(() => parseCommandLine('SET k "open')).toThrow(/unbalanced quotes/);
  });
});
