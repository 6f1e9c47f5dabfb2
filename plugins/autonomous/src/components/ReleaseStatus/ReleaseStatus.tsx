import { ComponentType, ReactNode } from 'react';
import {
  StatusAborted,
  StatusError,
  StatusOK,
  StatusPending,
  StatusRunning,
  StatusWarning,
} from '@backstage/core-components';
import { ReleaseStatus as ReleaseStatusValue } from '@autonomous-dev/backstage-plugin-autonomous-common';

type Indicator = ComponentType<{ children?: ReactNode }>;

const indicators: Record<ReleaseStatusValue, Indicator> = {
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

/** The kinds of indicator a status word can sit beside. */
export type StatusTone = 'ok' | 'running' | 'pending' | 'warning' | 'error';

const tones: Record<StatusTone, Indicator> = {
  ok: StatusOK,
  running: StatusRunning,
  pending: StatusPending,
  warning: StatusWarning,
  error: StatusError,
};

/**
 * A coloured indicator followed by a word. core-components' Status* hide everything they
 * render, the word included, from assistive technology; so only the icon goes inside them
 * and the word stays outside, where a screen reader reads it.
 */
export function StatusWord(props: {
  indicator: Indicator;
  children: ReactNode;
}) {
  const { indicator: Icon, children } = props;
  return (
    <span style={{ display: 'inline-flex', alignItems: 'center' }}>
      <Icon />
      <span style={{ whiteSpace: 'nowrap' }}>{children}</span>
    </span>
  );
}

/** Any status word with the indicator of one of the tones. */
export function ToneStatus(props: { tone: StatusTone; children: ReactNode }) {
  return (
    <StatusWord indicator={tones[props.tone]}>{props.children}</StatusWord>
  );
}

export interface ReleaseStatusProps {
  status: ReleaseStatusValue;
  /**
   * The stage is over (the release moved on): an in-flight word such as "building" then
   * shows a finished indicator, not a running one.
   */
  finished?: boolean;
}

/** A release's status as a coloured indicator followed by its word. */
export function ReleaseStatus({ status, finished }: ReleaseStatusProps) {
  let indicator = indicators[status] ?? StatusWarning;
  if (finished && indicator === StatusRunning) {
    indicator = StatusOK;
  }
  return (
    <StatusWord indicator={indicator}>{releaseStatusLabel(status)}</StatusWord>
  );
}
