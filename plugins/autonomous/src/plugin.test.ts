import { autonomousPlugin } from './plugin';

describe('autonomous', () => {
  it('should export plugin', () => {
    expect(autonomousPlugin).toBeDefined();
  });
});
