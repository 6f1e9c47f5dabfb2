import {
  SearchFilterResultTypeBlueprint,
  SearchResultListItemBlueprint,
} from '@backstage/plugin-search-react/alpha';
import {
  AUTONOMOUS_SEARCH_TYPES,
  isAutonomousSearchResult,
} from '../components/SearchResultItem/searchTypes';

/**
 * Projects, releases and databases in the search page's results, with their status,
 * environment and when (documents of search-backend-module-autonomous).
 *
 * @alpha
 */
export const autonomousSearchResultListItem =
  SearchResultListItemBlueprint.make({
    params: {
      predicate: isAutonomousSearchResult,
      component: () =>
        import('../components/SearchResultItem').then(
          m => m.AutonomousSearchResultListItem,
        ),
    },
  });

/**
 * The search page's result type filter entries: Projects, Releases, Databases.
 *
 * @alpha
 */
export const autonomousSearchResultTypes = AUTONOMOUS_SEARCH_TYPES.map(
  ({ value, name, icon }) =>
    SearchFilterResultTypeBlueprint.make({
      name: value,
      params: { value, name, icon },
    }),
);
