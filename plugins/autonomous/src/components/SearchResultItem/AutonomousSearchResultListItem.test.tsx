import { renderInTestApp } from '@backstage/test-utils';
import { createExtensionTester } from '@backstage/frontend-test-utils';
import {
  SearchFilterResultTypeBlueprint,
  SearchResultListItemBlueprint,
} from '@backstage/plugin-search-react/alpha';
import { screen } from '@testing-library/react';
import {
  autonomousSearchResultListItem,
  autonomousSearchResultTypes,
} from '../../alpha/search';
import { AutonomousSearchResultListItem } from './AutonomousSearchResultListItem';

const hourAgo = new Date(Date.now() - 60 * 60 * 1000).toISOString();

describe('AutonomousSearchResultListItem', () => {
  it('shows a release with its status, environment and when, linking to the release', async () => {
    await renderInTestApp(
      <AutonomousSearchResultListItem
        result={
          {
            title: 'storefront 1.7.0 to production',
            releaseId: 'r1',
            text: 'release of storefront: rolled-back · ship 1.7.0',
            location:
              '/catalog/default/component/storefront/autonomous-releases?release=r1',
            status: 'rolled-back',
            environment: 'production',
            updatedAt: hourAgo,
          } as any
        }
      />,
    );
    expect(
      screen.getByRole('link', { name: 'storefront 1.7.0 to production' }),
    ).toHaveAttribute(
      'href',
      '/catalog/default/component/storefront/autonomous-releases?release=r1',
    );
    expect(screen.getByText('Release')).toBeInTheDocument();
    expect(screen.getByText('rolled back')).toBeInTheDocument();
    expect(screen.getByLabelText('Status warning')).toBeInTheDocument();
    expect(screen.getByText('production')).toBeInTheDocument();
    const when = screen.getByText('1 hour ago');
    expect(when.closest('time')).toHaveAttribute('dateTime', hourAgo);
  });

  it('shows a database with its own status word and its owner', async () => {
    await renderInTestApp(
      <AutonomousSearchResultListItem
        result={
          {
            title: 'payments (PostgreSQL)',
            databaseId: 'd1',
            text: 'PostgreSQL 16 database of payments-db',
            location: '/catalog/default/resource/payments-db/database',
            status: 'ready',
            environment: 'production',
            owner: 'group:default/payments-team',
          } as any
        }
      />,
    );
    expect(screen.getByText('Database')).toBeInTheDocument();
    expect(screen.getByText('ready')).toBeInTheDocument();
    expect(screen.getByLabelText('Status ok')).toBeInTheDocument();
    expect(screen.getByText('group:default/payments-team')).toBeInTheDocument();
    expect(screen.queryByText(/When/)).not.toBeInTheDocument();
  });
});

describe('the search extensions', () => {
  it('render only the Autonomous document types', () => {
    const item = createExtensionTester(autonomousSearchResultListItem).get(
      SearchResultListItemBlueprint.dataRefs.item,
    );
    const doc = (type: string) => ({
      type,
      document: { title: '', text: '', location: '' },
    });
    expect(item.predicate?.(doc('autonomous-project'))).toBe(true);
    expect(item.predicate?.(doc('autonomous-database'))).toBe(true);
    expect(item.predicate?.(doc('software-catalog'))).toBe(false);
  });

  it('add Projects, Releases and Databases to the result type filter', () => {
    expect(
      autonomousSearchResultTypes.map(extension => {
        const { value, name } = createExtensionTester(extension).get(
          SearchFilterResultTypeBlueprint.dataRefs.resultType,
        );
        return [value, name];
      }),
    ).toEqual([
      ['autonomous-project', 'Projects'],
      ['autonomous-release', 'Releases'],
      ['autonomous-database', 'Databases'],
    ]);
  });
});
