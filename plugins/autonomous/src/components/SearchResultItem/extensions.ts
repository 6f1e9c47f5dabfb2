import { createSearchResultListItemExtension } from '@backstage/plugin-search-react';
import { autonomousPlugin } from '../../plugin';
import { isAutonomousSearchResult } from './searchTypes';

/**
 * Projects, releases and databases in a legacy app's search results: render it inside
 * `<SearchResult>` (or `<SearchResultList>`) on the search page, next to the catalog's item.
 *
 * @public
 */
export const AutonomousSearchResultListItemExtension = autonomousPlugin.provide(
  createSearchResultListItemExtension({
    name: 'AutonomousSearchResultListItem',
    component: () =>
      import('./AutonomousSearchResultListItem').then(
        m => m.AutonomousSearchResultListItem,
      ),
    predicate: isAutonomousSearchResult,
  }),
);
