import { formatBytes, stepTitle } from './databaseWords';

describe('database words', () => {
  it('writes sizes in the units people read', () => {
    expect(formatBytes(0)).toBe('0 bytes');
    expect(formatBytes(1)).toBe('1 byte');
    expect(formatBytes(999)).toBe('999 bytes');
    expect(formatBytes(1536)).toBe('1.5 KB');
    expect(formatBytes(48_213)).toBe('48 KB');
    expect(formatBytes(3_400_000)).toBe('3.4 MB');
    expect(formatBytes(12_000_000_000)).toBe('12 GB');
  });

  it('names each step, and an unknown one by its key', () => {
    expect(stepTitle('final-backup')).toBe('Final backup');
    expect(stepTitle('something-new')).toBe('something-new');
  });
});
