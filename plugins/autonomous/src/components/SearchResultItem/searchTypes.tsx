import CloudUploadIcon from '@material-ui/icons/CloudUpload';
import StorageIcon from '@material-ui/icons/Storage';
import WidgetsIcon from '@material-ui/icons/Widgets';
import { ReactElement } from 'react';

/**
 * The search document types of search-backend-module-autonomous, with the word and icon the
 * search page's result type filter shows for each.
 *
 * @public
 */
export const AUTONOMOUS_SEARCH_TYPES: ReadonlyArray<{
  value: 'autonomous-project' | 'autonomous-release' | 'autonomous-database';
  name: string;
  icon: ReactElement;
}> = [
  { value: 'autonomous-project', name: 'Projects', icon: <WidgetsIcon /> },
  { value: 'autonomous-release', name: 'Releases', icon: <CloudUploadIcon /> },
  { value: 'autonomous-database', name: 'Databases', icon: <StorageIcon /> },
];

/** Whether a search result is one of the suite's documents. @public */
export function isAutonomousSearchResult(result: { type: string }): boolean {
  return AUTONOMOUS_SEARCH_TYPES.some(t => t.value === result.type);
}
