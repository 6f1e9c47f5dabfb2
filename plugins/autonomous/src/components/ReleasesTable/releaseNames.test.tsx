import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { aRelease, mockAutonomousApi } from '../../__testUtils__/releases';
import { renderTab } from '../../__testUtils__/renderTab';

const sha = '3f2a9c1d0b4e5f60718293a4b5c6d7e8f9a0b1c2';
const built = aRelease({
  id: 'rel-12',
  number: 12,
  version: 'main-12',
  ref: 'main',
  commitSha: sha,
  commitSubject: 'Fix the checkout total',
  commitMessage: 'Fix the checkout total\n\nRounding was off by a cent.',
  imageRef: 'harbor.example.com/shop/web@sha256:bbbb',
});
const rollback = aRelease({
  id: 'rel-14',
  number: 14,
  version: 'main-12',
  ref: 'main',
  commitSha: sha,
  commitSubject: 'Fix the checkout total',
  trigger: 'rollback',
  sourceReleaseId: 'rel-12',
  sourceReleaseNumber: 12,
  imageRef: built.imageRef,
});

function rowOf(name: string) {
  return within(screen.getByRole('button', { name }).closest('tr')!);
}

describe('telling releases apart', () => {
  it('shows each release by its number, its commit and where a rollback came from, linked', async () => {
    const api = mockAutonomousApi({
      listReleases: jest.fn().mockResolvedValue({ items: [rollback, built] }),
      getRelease: jest.fn(async id => ({
        ...(id === 'rel-12' ? built : rollback),
        events: [],
      })),
    });
    await renderTab(api);

    await screen.findByRole('button', { name: '#14 main-12' });
    const first = rowOf('#12 main-12');
    expect(first.getByText('3f2a9c1')).toHaveAttribute('title', sha);
    expect(first.getByText('Fix the checkout total')).toBeInTheDocument();
    expect(first.queryByText(/rollback to|redeploy of/)).toBeNull();

    const second = rowOf('#14 main-12');
    expect(second.getByText(/^rollback to/)).toHaveTextContent(
      'rollback to #12',
    );
    // The source is a link to that release: it opens in the drawer.
    await userEvent.click(second.getByRole('button', { name: '#12' }));
    const drawer = within(
      await screen.findByRole('dialog', { name: /^Release / }),
    );
    expect(
      await drawer.findByRole('heading', {
        name: 'Release #12 main-12 to production',
      }),
    ).toBeInTheDocument();
    expect(drawer.getByText(sha)).toBeInTheDocument();
    expect(drawer.getByText('Fix the checkout total')).toBeInTheDocument();
    expect(api.getRelease).toHaveBeenCalledWith('rel-12');
  });

  it('says in the drawer what a rollback went back to, with a link to it', async () => {
    const api = mockAutonomousApi({
      listReleases: jest.fn().mockResolvedValue({ items: [rollback, built] }),
      getRelease: jest.fn(async id => ({
        ...(id === 'rel-12' ? built : rollback),
        events: [],
      })),
    });
    await renderTab(api, { at: '/?release=rel-14' });

    const drawer = within(
      await screen.findByRole('dialog', { name: /^Release / }),
    );
    await drawer.findByRole('heading', {
      name: 'Release #14 main-12 to production',
    });
    expect(drawer.getByText(/^rollback to/)).toHaveTextContent(
      'rollback to #12',
    );
    await userEvent.click(drawer.getByRole('button', { name: '#12' }));
    await waitFor(() => expect(api.getRelease).toHaveBeenCalledWith('rel-12'));
  });
});
