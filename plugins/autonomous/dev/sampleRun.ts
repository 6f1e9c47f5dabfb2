import {
  isTerminalReleaseStatus,
  Release,
  ReleaseEvent,
  ReleaseStatus,
  ReleaseWithEvents,
} from '@autonomous-dev/backstage-plugin-autonomous-common';
import { ResponseError } from '@backstage/errors';
import { PodLogOptions } from '../src';

/** A release started in the dev app, whose stages follow from the time since it started. */
export interface SampleRun {
  release: Release;
  /** When it leaves the queue (later than its creation when it waits for another). */
  startsAt: number;
  cancelledAt?: number;
  /** Redeploys and rollbacks reuse an image: no build. */
  buildless: boolean;
}

type Stage = [status: ReleaseStatus, afterMs: number, message: string];

const BUILD_STAGES: Stage[] = [
  ['building', 1_000, 'Build #{n} started'],
  ['built', 11_000, 'Image pinned to its digest'],
  ['syncing', 12_000, 'Desired image set; sync requested'],
  ['progressing', 14_000, 'Rolling out: 1/2 ready'],
  ['healthy', 20_000, '2/2 ready on the new digest'],
];
const REUSE_STAGES: Stage[] = [
  ['built', 1_000, 'Reusing the image of an earlier release'],
  ['syncing', 2_000, 'Desired image set; sync requested'],
  ['progressing', 4_000, 'Rolling out: 1/2 ready'],
  ['healthy', 10_000, '2/2 ready on the new digest'],
];

const BUILD_LINES = [
  'Started by Autonomous (sample data)',
  '+ git checkout --detach',
  '+ docker build -t harbor.example.com/shop/web .',
  'Step 1/6 : FROM node:24-slim',
  'Step 2/6 : WORKDIR /app',
  'Step 3/6 : COPY package.json yarn.lock ./',
  'Step 4/6 : RUN yarn install --immutable',
  'Step 5/6 : COPY . .',
  'Step 6/6 : RUN yarn build',
  '+ docker push harbor.example.com/shop/web',
  'Finished: SUCCESS',
];

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

function buildNumber(run: SampleRun): number {
  return Number(run.release.id.replace(/\D/g, '')) || 1;
}

/** The release as it stands at `now`, with every stage it has been through. */
export function viewOf(run: SampleRun, now: number): ReleaseWithEvents {
  const { release } = run;
  const events: ReleaseEvent[] = [
    {
      id: `${release.id}-0`,
      releaseId: release.id,
      at: release.createdAt,
      to: 'queued',
      message: release.reason ?? `Requested by ${release.requestedBy}`,
    },
  ];
  const end = run.cancelledAt ?? now;
  for (const [status, afterMs, message] of run.buildless
    ? REUSE_STAGES
    : BUILD_STAGES) {
    const at = run.startsAt + afterMs;
    if (at > end) {
      break;
    }
    events.push({
      id: `${release.id}-${events.length}`,
      releaseId: release.id,
      at: iso(at),
      from: events[events.length - 1].to,
      to: status,
      message: message.replace('{n}', String(buildNumber(run))),
    });
  }
  const last = events[events.length - 1];
  if (run.cancelledAt && !isTerminalReleaseStatus(last.to)) {
    events.push({
      id: `${release.id}-${events.length}`,
      releaseId: release.id,
      at: iso(run.cancelledAt),
      from: last.to,
      to: 'cancelled',
      message: 'Cancelled from the page',
    });
  }
  const status = events[events.length - 1].to;
  const started = events.find(e => e.to !== 'queued');
  const finished = isTerminalReleaseStatus(status)
    ? events[events.length - 1].at
    : undefined;
  const built = events.some(e => e.to === 'built');
  return {
    ...release,
    status,
    startedAt: started?.at,
    finishedAt: finished,
    durationMs:
      finished && started
        ? Date.parse(finished) - Date.parse(started.at)
        : undefined,
    buildNumber:
      !run.buildless && started ? buildNumber(run) : release.buildNumber,
    imageRef:
      release.imageRef ??
      (built
        ? `harbor.example.com/shop/web@sha256:${release.id.padStart(64, 'b')}`
        : undefined),
    events,
  };
}

/** The build log written so far, and whether the build still runs. */
export function buildLogAt(
  run: SampleRun,
  now: number,
): { text: string; building: boolean } {
  const view = viewOf(run, now);
  const startedAt = view.events.find(e => e.to === 'building')?.at;
  if (!startedAt) {
    return { text: '', building: false };
  }
  const elapsed = now - Date.parse(startedAt);
  const shown = Math.min(BUILD_LINES.length, Math.floor(elapsed / 900) + 1);
  const building = view.status === 'building';
  const lines = building
    ? BUILD_LINES.slice(0, Math.min(shown, BUILD_LINES.length - 1))
    : BUILD_LINES;
  return { text: `${lines.join('\n')}\n`, building };
}

/** One line of a sample pod's log. */
export function podLogLine(
  pod: string,
  options: PodLogOptions,
  index: number,
): string {
  const container = options.container ?? 'web';
  if (options.previous) {
    return index === 29
      ? `${container}: FATAL out of memory (sample data)`
      : `${container}: handled request ${index} before the restart`;
  }
  return `${container} ${pod}: GET /checkout 200 (${10 + (index % 7)} ms)`;
}

export const sleep = (ms: number) =>
  new Promise(resolve => setTimeout(resolve, ms));

/** Fails the way the backend does, with a ResponseError carrying the message. */
export async function refusal(status: number, message: string): Promise<never> {
  throw await ResponseError.fromResponse(
    new Response(
      JSON.stringify({
        error: { name: 'Error', message },
        response: { statusCode: status },
      }),
      { status, headers: { 'Content-Type': 'application/json' } },
    ),
  );
}
