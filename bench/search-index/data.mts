/*
 * What the search-index bench adds to release-history's seed: a database instance per
 * project, and the projects as catalog Components.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Knex } from 'knex';
import { PROJECTS, projectRef } from '../release-history/seed.mts';

/** One database instance per project, as provisioning would have left them. */
export async function seedDatabases(db: Knex): Promise<void> {
  const now = new Date();
  const rows = Array.from({ length: PROJECTS }, (_, i) => {
    const name = `bench-db-${String(i + 1).padStart(4, '0')}`;
    return {
      id: `00000000-0000-4000-8000-${String(i + 1).padStart(12, '0')}`,
      entity_ref: `resource:default/${name}`,
      name,
      engine: 'postgresql',
      version: '16',
      mode: 'single',
      environment: 'production',
      namespace: `db-${name}`,
      storage_gi: 1,
      status: i % 10 === 0 ? 'failed' : 'ready',
      credentials_path: `autonomous/databases/${name}`,
      created_by: 'user:default/bench',
      created_at: now,
      updated_at: now,
    };
  });
  for (let i = 0; i < rows.length; i += 100) {
    await db('database_instances').insert(rows.slice(i, i + 100));
  }
}

/** The bench projects as catalog Components, one file location. */
export function writeCatalog(dataDir: string): string {
  const dir = join(dataDir, 'catalog');
  mkdirSync(dir, { recursive: true });
  const entities = join(dir, 'search-bench-projects.yaml');
  const docs: string[] = [];
  for (let p = 1; p <= PROJECTS; p++) {
    docs.push(
      [
        'apiVersion: backstage.io/v1alpha1',
        'kind: Component',
        'metadata:',
        `  name: ${projectRef(p).split('/')[1]}`,
        '  annotations:',
        '    autonomous.dev/project: monolith',
        '    autonomous.dev/environments: production,staging',
        'spec:',
        '  type: service',
        '  lifecycle: production',
        '  owner: group:default/guests',
      ].join('\n'),
    );
  }
  writeFileSync(entities, `${docs.join('\n---\n')}\n`);
  const config = join(dir, 'app-config.search-catalog.yaml');
  writeFileSync(
    config,
    [
      'catalog:',
      '  rules:',
      '    - allow: [Component]',
      '  locations:',
      '    - type: file',
      `      target: ${entities}`,
      '',
    ].join('\n'),
  );
  return config;
}
