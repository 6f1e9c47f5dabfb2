export { AutonomousSearchResultListItem } from './AutonomousSearchResultListItem';
export type { AutonomousSearchResultListItemProps } from './AutonomousSearchResultListItem';
export {
  AUTONOMOUS_SEARCH_TYPES,
  isAutonomousSearchResult,
} from './searchTypes';
