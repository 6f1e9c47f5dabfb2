import { ReactNode } from 'react';
import {
  MissingAnnotationEmptyState,
  useEntity,
} from '@backstage/plugin-catalog-react';
import { AUTONOMOUS_ANNOTATIONS } from '@autonomous-dev/backstage-plugin-autonomous-common';
import { isAutonomousAvailable } from '../../isAutonomousAvailable';

/**
 * A project tab of the entity page: the catalog's missing-annotation state on an entity that
 * is not an Autonomous project, else the tab inside the plugin's own marked part of the page
 * (e.g. for accessibility checks).
 */
export function ProjectEntityContent(props: { children: ReactNode }) {
  const { entity } = useEntity();
  if (!isAutonomousAvailable(entity)) {
    return (
      <MissingAnnotationEmptyState
        annotation={AUTONOMOUS_ANNOTATIONS.project}
      />
    );
  }
  return <div data-autonomous-plugin="">{props.children}</div>;
}
