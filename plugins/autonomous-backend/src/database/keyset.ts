import { Knex } from 'knex';

export interface KeysetOptions {
  limit: number;
  /** Only rows older than this sequence: the last row of the previous page. */
  beforeSeq?: number;
}

/**
 * Reads one page newest first by the `seq` column, fetching one row more than asked to learn
 * whether another page follows. Cost depends on the page size, not on how deep the page is.
 */
export async function readKeysetPage<Row extends { seq: number | string }>(
  query: Knex.QueryBuilder,
  options: KeysetOptions,
): Promise<{ rows: Row[]; lastSeq?: number }> {
  if (options.beforeSeq !== undefined) {
    query.andWhere('seq', '<', options.beforeSeq);
  }
  const rows: Row[] = await query
    .orderBy('seq', 'desc')
    .limit(options.limit + 1);
  const page = rows.slice(0, options.limit);
  return {
    rows: page,
    lastSeq:
      rows.length > options.limit
        ? Number(page[page.length - 1].seq)
        : undefined,
  };
}
