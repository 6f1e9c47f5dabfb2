/* The search-index bench's figures and its Markdown report. */
import { execFileSync } from 'node:child_process';
import { cpus, totalmem } from 'node:os';

export type Engine = 'sqlite' | 'postgres';

export interface TypeFigures {
  documents: number;
  entities: number;
  maxPerEntity: number;
  withoutResourceRef: number;
  ms: number;
}
export interface CollatorRun {
  totalMs: number;
  heapPeakBytes: number;
  maxRssBytes: number;
  types: Record<string, TypeFigures>;
}
export interface Row {
  engine: Engine;
  perProject: number;
  run: CollatorRun;
  wallMs: number;
  backendCpuMs: number;
  backendRssBytes: number;
  /** The machine's 1-minute load average when the run ended. */
  load: number;
  problems: string[];
}

export const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
export const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

export function report(
  rows: Row[],
  options: {
    projects: number;
    releasesPerProject: number;
    pageSize: number;
    defaultPerProject: number;
    pg: { host: string; user: string };
  },
): string {
  const { pg: PG } = options;
  const PROJECTS = options.projects;
  const RELEASES_PER_PROJECT = options.releasesPerProject;
  const PAGE_SIZE = options.pageSize;
  const DEFAULT_PER_PROJECT = options.defaultPerProject;
  const node = process.version;
  let pg = '';
  try {
    pg = execFileSync(
      'psql',
      ['-h', PG.host, '-U', PG.user, '-Atc', 'show server_version'],
      { encoding: 'utf8' },
    ).trim();
  } catch {
    pg = 'unknown';
  }
  const lines = [
    '# search-index',
    '',
    `${new Date().toISOString()} · ${cpus().length} × ${
      cpus()[0]?.model ?? 'cpu'
    } · ${mb(totalmem())} RAM · Node ${node} · PostgreSQL ${pg}`,
    '',
    `${PROJECTS} projects × ${RELEASES_PER_PROJECT} releases, ${PROJECTS} databases; page size ${PAGE_SIZE}; the three collators in one process against the real portal backend. The one-minute target applies to the default bound (${DEFAULT_PER_PROJECT} per project); the cap (100) is reported.`,
    '',
    '| engine | perProject | whole run | projects | releases (docs, max per project) | databases | collator heap peak | collator max RSS | backend CPU | backend RSS after | load avg | problems |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|',
    ...rows.map(r => {
      const t = r.run.types;
      return `| ${r.engine} | ${r.perProject} | ${s(r.run.totalMs)} | ${
        t['autonomous-project'].documents
      } in ${s(t['autonomous-project'].ms)} | ${
        t['autonomous-release'].documents
      } (max ${t['autonomous-release'].maxPerEntity}) in ${s(
        t['autonomous-release'].ms,
      )} | ${t['autonomous-database'].documents} in ${s(
        t['autonomous-database'].ms,
      )} | ${mb(r.run.heapPeakBytes)} | ${mb(r.run.maxRssBytes)} | ${s(
        r.backendCpuMs,
      )} | ${mb(r.backendRssBytes)} | ${r.load.toFixed(1)} | ${
        r.problems.join('; ') || 'none'
      } |`;
    }),
    '',
  ];
  return lines.join('\n');
}
