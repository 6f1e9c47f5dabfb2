import { duration, eventLine, requester, table } from './format.ts';

describe('format', () => {
  it('writes durations the way people read them', () => {
    expect(duration(4_400)).toBe('4s');
    expect(duration(125_000)).toBe('2m 05s');
    expect(duration(3_720_000)).toBe('1h 02m');
  });

  it('writes an event as time, move and message', () => {
    expect(
      eventLine({
        id: 'e1',
        releaseId: 'r1',
        at: '2025-03-14T14:03:07Z',
        from: 'building',
        to: 'built',
        message: 'image pinned',
      }),
    ).toBe('14:03:07  building → built  image pinned');
    expect(
      eventLine({
        id: 'e0',
        releaseId: 'r1',
        at: '2025-03-14T14:03:00Z',
        to: 'queued',
        message: 'queued by cli',
      }),
    ).toBe('14:03:00  queued  queued by cli');
  });

  it('names users by their name and others by their ref', () => {
    expect(requester('user:default/jane')).toBe('jane');
    expect(requester('user:partners/joe')).toBe('user:partners/joe');
    expect(requester('external:ci')).toBe('external:ci');
  });

  it('pads columns to the widest cell', () => {
    expect(table(['A', 'BB'], [['long', 'x']])).toBe('A     BB\nlong  x');
  });
});
