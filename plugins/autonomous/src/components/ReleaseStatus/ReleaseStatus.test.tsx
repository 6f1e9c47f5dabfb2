import { renderInTestApp } from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import { ReleaseStatus } from './ReleaseStatus';

/** Whether an element or one of its ancestors is hidden from assistive technology. */
function hiddenFromAssistiveTech(element: Element | null): boolean {
  for (let node = element; node; node = node.parentElement) {
    if (node.getAttribute('aria-hidden') === 'true') {
      return true;
    }
  }
  return false;
}

describe('ReleaseStatus', () => {
  it.each([
    ['healthy', 'ok', 'healthy'],
    ['failed', 'error', 'failed'],
    ['degraded', 'warning', 'degraded'],
    ['rolled-back', 'warning', 'rolled back'],
    ['building', 'running', 'building'],
    ['rolling-back', 'running', 'rolling back'],
    ['cancelled', 'aborted', 'cancelled'],
  ] as const)(
    'shows a %s release with the %s indicator and a word screen readers read',
    async (status, indicator, word) => {
      await renderInTestApp(<ReleaseStatus status={status} />);
      const label = screen.getByText(word);
      expect(hiddenFromAssistiveTech(label)).toBe(false);
      expect(screen.getByLabelText(`Status ${indicator}`)).toBeInTheDocument();
    },
  );

  it('shows a stage the release has moved on from as finished, not running', async () => {
    await renderInTestApp(<ReleaseStatus status="building" finished />);
    expect(screen.getByText('building')).toBeInTheDocument();
    expect(screen.getByLabelText('Status ok')).toBeInTheDocument();
    expect(screen.queryByLabelText('Status running')).not.toBeInTheDocument();
  });
});
