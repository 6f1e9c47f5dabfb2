import { ComponentType, ReactNode } from 'react';
import {
  StatusAborted,
  StatusError,
  StatusOK,
  StatusRunning,
  StatusWarning,
} from '@backstage/core-components';
import { ReleaseStatus as ReleaseStatusValue } from '@autonomous-dev/backstage-plugin-autonomous-common';

const indicators: Record<
  ReleaseStatusValue,
  ComponentType<{ children?: ReactNode }>
> = {
  queued: StatusRunning,
  building: StatusRunning,
  built: StatusRunning,
  syncing: StatusRunning,
  progressing: StatusRunning,
  'rolling-back': StatusRunning,
  healthy: StatusOK,
  degraded: StatusWarning,
  'rolled-back': StatusWarning,
  failed: StatusError,
  cancelled: StatusAborted,
};

/** The status word, written as a reader would say it: "rolled back", not "rolled-back". */
export function releaseStatusLabel(status: ReleaseStatusValue): string {
  return status.replace(/-/g, ' ');
}

/** A release's status as a coloured indicator followed by its word. */
export function ReleaseStatus(props: { status: ReleaseStatusValue }) {
  const Indicator = indicators[props.status] ?? StatusWarning;
  return <Indicator>{releaseStatusLabel(props.status)}</Indicator>;
}
