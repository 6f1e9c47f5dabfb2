import type { DownloadedFile } from './AutonomousApi';
import {
  AutonomousConsoleApi,
  ConsoleExportFormat,
  ConsoleHistoryOptions,
  ConsoleHistoryPage,
  ConsoleStatementRequest,
  ConsoleStreamEvent,
  SavedQuery,
  SavedQueryRequest,
} from './consoleTypes';
import { queryString } from './query';
import { attachmentFilename, readTextChunks } from './textStream';

const enc = encodeURIComponent;

/** How the client sends a request: with the user's credentials, throwing on a non-2xx. */
export interface ConsoleRequests {
  json<T>(method: string, path: string, body?: unknown): Promise<T>;
  send(
    method: string,
    path: string,
    body?: unknown,
    signal?: AbortSignal,
  ): Promise<Response>;
}

/** The console routes of the autonomous backend; the AutonomousClient hands them out. */
export class ConsoleClient implements AutonomousConsoleApi {
  constructor(private readonly requests: ConsoleRequests) {}

  async *runConsoleStatement(
    databaseId: string,
    request: ConsoleStatementRequest,
    options: { signal?: AbortSignal } = {},
  ): AsyncGenerator<ConsoleStreamEvent, void, undefined> {
    const { signal } = options;
    let response: Response;
    try {
      response = await this.requests.send(
        'POST',
        `${consolePath(databaseId)}/statements`,
        { ...request, format: 'ndjson' },
        signal,
      );
    } catch (error) {
      if (signal?.aborted) {
        return;
      }
      throw error;
    }
    yield* readNdjson(readTextChunks(response.body, signal));
  }

  async cancelConsoleStatement(
    databaseId: string,
    runId: string,
  ): Promise<void> {
    await this.requests.send(
      'POST',
      `${consolePath(databaseId)}/runs/${enc(runId)}/cancel`,
    );
  }

  async exportConsoleResult(
    databaseId: string,
    request: ConsoleStatementRequest & { format: ConsoleExportFormat },
  ): Promise<DownloadedFile> {
    const response = await this.requests.send(
      'POST',
      `${consolePath(databaseId)}/statements`,
      request,
    );
    const filename =
      attachmentFilename(response.headers.get('Content-Disposition')) ??
      `result.${request.format}`;
    return { blob: await response.blob(), filename };
  }

  listConsoleHistory(
    databaseId: string,
    options: ConsoleHistoryOptions = {},
  ): Promise<ConsoleHistoryPage> {
    const search = queryString({
      mine: options.mine === false ? 'false' : 'true',
      cursor: options.cursor,
      limit: options.limit !== undefined ? String(options.limit) : undefined,
    });
    return this.requests.json(
      'GET',
      `${consolePath(databaseId)}/history${search}`,
    );
  }

  async listSavedQueries(databaseId: string): Promise<SavedQuery[]> {
    const answer = await this.requests.json<{ items: SavedQuery[] }>(
      'GET',
      `${consolePath(databaseId)}/saved-queries`,
    );
    return answer.items;
  }

  createSavedQuery(
    databaseId: string,
    request: SavedQueryRequest,
  ): Promise<SavedQuery> {
    return this.requests.json(
      'POST',
      `${consolePath(databaseId)}/saved-queries`,
      request,
    );
  }

  updateSavedQuery(
    databaseId: string,
    queryId: string,
    request: SavedQueryRequest,
  ): Promise<SavedQuery> {
    return this.requests.json(
      'PUT',
      `${consolePath(databaseId)}/saved-queries/${enc(queryId)}`,
      request,
    );
  }

  async deleteSavedQuery(databaseId: string, queryId: string): Promise<void> {
    await this.requests.send(
      'DELETE',
      `${consolePath(databaseId)}/saved-queries/${enc(queryId)}`,
    );
  }
}

/** The lines of an NDJSON body, parsed, as they complete. */
export async function* readNdjson(
  chunks: AsyncIterable<string>,
): AsyncGenerator<ConsoleStreamEvent, void, undefined> {
  let pending = '';
  for await (const chunk of chunks) {
    const lines = (pending + chunk).split('\n');
    // The last piece is a line still being written.
    pending = lines.pop() ?? '';
    for (const line of lines) {
      if (line.trim()) {
        yield JSON.parse(line) as ConsoleStreamEvent;
      }
    }
  }
  const last = pending.trim();
  if (last) {
    yield JSON.parse(last) as ConsoleStreamEvent;
  }
}

function consolePath(databaseId: string): string {
  return `/databases/${enc(databaseId)}/console`;
}
