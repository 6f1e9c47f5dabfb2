/*
 * Turns finished releases (their release_events, through GET /api/autonomous/releases/:id)
 * and the sandbox's stage times into one latency per stage end, and those into the report.
 */
import type { StageTimes } from './truth.mts';

export type Mode = 'events' | 'polling';

export interface ReleaseEvent {
  at: string;
  from?: string;
  to: string;
  message: string;
}
export interface FinishedRelease {
  id: string;
  status: string;
  imageRef?: string;
  buildJob?: string;
  argocdApplication?: string;
  durationMs?: number;
  events: ReleaseEvent[];
}

export const TRANSITIONS = [
  {
    key: 'started',
    label: 'build started → noticed',
    what: 'the queue item left the queue (the build’s start) → the note “Jenkins build #N started”',
  },
  {
    key: 'built',
    label: 'build finished → built',
    what: 'the build’s start + duration → building → built (after Harbor resolved the digest)',
  },
  {
    key: 'progressing',
    label: 'sync finished → progressing',
    what: 'the sync operation’s finishedAt → syncing → progressing',
  },
  {
    key: 'healthy',
    label: 'rollout ready → healthy',
    what: 'Argo CD Healthy, rollout complete and every pod on the digest → progressing → healthy',
  },
] as const;
export type TransitionKey = (typeof TRANSITIONS)[number]['key'];

export interface Sample {
  mode: Mode;
  transition: TransitionKey;
  ms: number;
  release: string;
  app: string;
  /** Epoch ms: the stage's end in the sandbox, and the backend's event. */
  ended: number;
  acted: number;
}

/** One latency per stage end of each release; a missing time is a problem, not a skip. */
export function samplesOf(
  mode: Mode,
  release: FinishedRelease,
  times: StageTimes,
  problems: string[],
): Sample[] {
  const samples: Sample[] = [];
  const build = times.build(release.buildJob ?? '', release.id);
  const app = release.argocdApplication ?? '';
  const digest = release.imageRef?.slice(release.imageRef.indexOf('@') + 1);
  const acted = (test: (e: ReleaseEvent) => boolean) => {
    const event = release.events.find(test);
    return event ? Date.parse(event.at) : undefined;
  };
  const pairs: Record<TransitionKey, [number | undefined, number | undefined]> =
    {
      started: [
        build?.startedAt,
        acted(e => /^Jenkins build #\d+ started/.test(e.message)),
      ],
      built: [build?.finishedAt, acted(e => e.to === 'built')],
      progressing: [
        digest ? times.syncFinished(app, digest) : undefined,
        acted(e => e.to === 'progressing'),
      ],
      healthy: [
        digest ? times.rolloutReady(app, digest) : undefined,
        acted(e => e.to === 'healthy'),
      ],
    };
  for (const { key } of TRANSITIONS) {
    const [ended, next] = pairs[key];
    if (ended === undefined || next === undefined) {
      problems.push(
        `${mode}: release ${release.id} (${app}): no ${
          ended === undefined ? 'sandbox time' : 'backend event'
        } for “${key}”`,
      );
      continue;
    }
    // Both clocks are this machine's; a few ms before the stage end would be rounding.
    if (next < ended - 5) {
      problems.push(
        `${mode}: release ${release.id}: “${key}” recorded ${
          ended - next
        } ms before the stage ended`,
      );
    }
    samples.push({
      mode,
      transition: key,
      ms: Math.max(0, next - ended),
      release: release.id,
      app,
      ended,
      acted: next,
    });
  }
  return samples;
}

export interface Stats {
  n: number;
  p50: number;
  p95: number;
  max: number;
}

/** Nearest-rank percentiles. */
export function stats(values: number[]): Stats {
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (p: number) =>
    sorted[
      Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)
    ];
  return {
    n: sorted.length,
    p50: sorted.length ? rank(50) : NaN,
    p95: sorted.length ? rank(95) : NaN,
    max: sorted.length ? sorted[sorted.length - 1] : NaN,
  };
}

export interface Row {
  mode: Mode;
  label: string;
  stats: Stats;
  targetMs: number;
}

export function rows(
  samples: Sample[],
  modes: Mode[],
  targetOf: (mode: Mode) => number,
): Row[] {
  const out: Row[] = [];
  for (const mode of modes) {
    const own = samples.filter(s => s.mode === mode);
    for (const t of TRANSITIONS) {
      out.push({
        mode,
        label: t.label,
        stats: stats(own.filter(s => s.transition === t.key).map(s => s.ms)),
        targetMs: targetOf(mode),
      });
    }
    out.push({
      mode,
      label: '**all four**',
      stats: stats(own.map(s => s.ms)),
      targetMs: targetOf(mode),
    });
  }
  return out;
}

export function table(all: Row[]): string {
  const s = (ms: number) =>
    Number.isFinite(ms) ? (ms / 1000).toFixed(2) : '–';
  return [
    '| Mode | Stage end → backend acts | n | p50 s | p95 s | max s | target (p95) | met |',
    '| ---- | ------------------------ | -: | ----: | ----: | ----: | -----------: | --- |',
    ...all.map(
      r =>
        `| ${r.mode === 'events' ? 'notifications' : 'polling only'} | ${
          r.label
        } | ${r.stats.n} | ${s(r.stats.p50)} | ${s(r.stats.p95)} | ${s(
          r.stats.max,
        )} | ≤ ${s(r.targetMs)} | ${
          r.stats.p95 <= r.targetMs ? 'yes' : '**no**'
        } |`,
    ),
  ].join('\n');
}

export interface ModeResult {
  mode: Mode;
  releases: FinishedRelease[];
  seconds: number;
  notifications?: { sent: number; failed: number };
}

export function reportMarkdown(options: {
  results: ModeResult[];
  samples: Sample[];
  problems: string[];
  modes: Mode[];
  targetOf: (mode: Mode) => number;
  header: string;
  setup: string;
}): string {
  const { results, samples, problems, modes, targetOf } = options;
  const median = (xs: number[]) =>
    [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const late = samples.filter(
    s => s.mode === 'events' && s.ms > targetOf('events'),
  );
  return [
    '# stage-overhead',
    '',
    options.header,
    '',
    options.setup,
    '',
    table(rows(samples, modes, targetOf)),
    '',
    ...results.map(
      r =>
        `- ${r.mode}: ${
          r.releases.length
        } releases healthy in ${r.seconds.toFixed(0)} s, median release ${(
          median(r.releases.map(x => x.durationMs ?? 0)) / 1000
        ).toFixed(1)} s${
          r.notifications
            ? `; notifications sent ${r.notifications.sent}, failed ${r.notifications.failed}`
            : ''
        }${
          r.mode === 'events'
            ? `; ${late.length} of ${
                samples.filter(s => s.mode === 'events').length
              } stage ends took over ${targetOf('events') / 1000} s${
                late.length
                  ? ` (${late
                      .map(s => `${s.transition} ${(s.ms / 1000).toFixed(2)} s`)
                      .join(', ')})`
                  : ''
              }`
            : ''
        }`,
    ),
    ...TRANSITIONS.map(t => `- ${t.label}: ${t.what}`),
    ...(problems.length
      ? ['', '**Problems:**', ...problems.map(p => `- ${p}`)]
      : []),
    '',
  ].join('\n');
}
