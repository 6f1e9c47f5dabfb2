import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ResponseError } from '@backstage/errors';
import {
  answer,
  mockConsoleApi,
  renderConsoleTab,
  rowsAnswer,
} from '../../__testUtils__/console';
import { anInstance } from '../../__testUtils__/databases';

const SELECT = 'select id, item from orders';

/** Puts a statement into the editor the way a user does: from the history. */
async function loadFromHistory(statement: string) {
  const history = await screen.findByRole('list', {
    name: 'Your recent statements',
  });
  await userEvent.click(
    within(history).getByRole('button', { name: statement }),
  );
}

/** The run's outcome: written under the statement and said in the live region. */
async function expectSummary(text: string) {
  await waitFor(() => {
    const said = screen.getAllByText(text);
    expect(said).toHaveLength(2);
    expect(said.some(node => node.getAttribute('role') === 'status')).toBe(
      true,
    );
  });
}

function historyWith(statement: string) {
  return jest.fn().mockResolvedValue({
    items: [
      {
        id: 'h-1',
        databaseId: 'db-1',
        user: 'user:default/jane',
        mode: 'read',
        statement,
        startedAt: '2026-12-05T10:00:00.000Z',
        durationMs: 12,
        rowCount: 2,
        truncated: false,
        outcome: 'succeeded',
      },
    ],
  });
}

// jsdom has no layout: CodeMirror measures text through Range rectangles.
beforeAll(() => {
  const none = () => ({
    length: 0,
    item: () => null,
    [Symbol.iterator]: [][Symbol.iterator],
  });
  Object.assign(Range.prototype, {
    getClientRects: none,
    getBoundingClientRect: () => new DOMRect(0, 0, 0, 0),
  });
});

describe('the Console tab', () => {
  beforeEach(() => {
    // jsdom lays nothing out: give the grid's scrolling box the size a browser would.
    jest
      .spyOn(HTMLElement.prototype, 'clientHeight', 'get')
      .mockReturnValue(420);
    jest
      .spyOn(HTMLElement.prototype, 'clientWidth', 'get')
      .mockReturnValue(1000);
  });
  afterEach(() => jest.restoreAllMocks());

  it('runs the statement read-only with a run id, and shows the columns with their types, the rows, count and time', async () => {
    const api = mockConsoleApi({ listConsoleHistory: historyWith(SELECT) });
    await renderConsoleTab(api);
    expect(
      await screen.findByRole('heading', { name: 'Console of orders-db' }),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('textbox', { name: 'Statement' }),
    ).toBeInTheDocument();

    await loadFromHistory(SELECT);
    await userEvent.click(screen.getByRole('button', { name: 'Run' }));

    expect(api.runConsoleStatement).toHaveBeenCalledWith(
      'db-1',
      {
        statement: SELECT,
        mode: 'read',
        maxRows: 1000,
        runId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      },
      { signal: expect.anything() },
    );
    const grid = await screen.findByRole('table', {
      name: 'Result of the statement on orders-db',
    });
    const headers = within(grid).getAllByRole('columnheader');
    expect(headers.map(h => h.textContent)).toEqual(['idint4', 'itemtext']);
    expect(await within(grid).findByText('item 2')).toBeInTheDocument();
    await expectSummary('2 rows in 42 ms.');
  });

  it('runs with Ctrl+Enter in the editor', async () => {
    const api = mockConsoleApi({ listConsoleHistory: historyWith(SELECT) });
    await renderConsoleTab(api);
    await loadFromHistory(SELECT);
    screen.getByRole('textbox', { name: 'Statement' }).focus();
    await userEvent.keyboard('{Control>}{Enter}{/Control}');
    await expectSummary('2 rows in 42 ms.');
    expect(api.runConsoleStatement).toHaveBeenCalledTimes(1);
  });

  it('says when the row cap truncated the result', async () => {
    const api = mockConsoleApi({
      listConsoleHistory: historyWith(SELECT),
      runConsoleStatement: jest.fn(() =>
        answer(rowsAnswer(1000, { truncated: true, durationMs: 1500 })),
      ),
    });
    await renderConsoleTab(api);
    await loadFromHistory(SELECT);
    await userEvent.click(screen.getByRole('button', { name: 'Run' }));
    await expectSummary(
      '1,000 rows in 1.5 s · truncated at 1,000 rows: raise the row limit to see more.',
    );
    expect(
      screen.getByRole('table', {
        name: 'Result of the statement on orders-db',
      }),
    ).toHaveAttribute('aria-rowcount', '1001');
  });

  it('keeps only the rows in view in the page with 10,000 rows, and scrolls to the others', async () => {
    const api = mockConsoleApi({
      listConsoleHistory: historyWith(SELECT),
      runConsoleStatement: jest.fn(() => answer(rowsAnswer(10_000))),
    });
    await renderConsoleTab(api);
    await loadFromHistory(SELECT);
    await userEvent.click(screen.getByRole('button', { name: 'Run' }));
    await expectSummary('10,000 rows in 42 ms.');
    const grid = screen.getByRole('table', {
      name: 'Result of the statement on orders-db',
    });
    expect(grid).toHaveAttribute('aria-rowcount', '10001');
    const shown = within(grid).getAllByRole('row').length;
    expect(shown).toBeGreaterThan(5);
    expect(shown).toBeLessThan(60);
    expect(within(grid).queryByText('item 9999')).not.toBeInTheDocument();
  });

  it("shows the database's own message when it refuses the statement", async () => {
    // The backend's 400 before the stream started, with the database's message.
    const refused = await ResponseError.fromResponse(
      new Response(
        JSON.stringify({
          error: {
            name: 'InputError',
            message: 'cannot execute INSERT in a read-only transaction',
          },
          request: { method: 'POST', url: '/' },
          response: { statusCode: 400 },
        }),
        { status: 400, headers: { 'Content-Type': 'application/json' } },
      ),
    );
    const api = mockConsoleApi({
      listConsoleHistory: historyWith("insert into orders values (3, 'x')"),
      runConsoleStatement: jest.fn(async function* refuse() {
        yield* [];
        throw refused;
      }),
    });
    await renderConsoleTab(api);
    await loadFromHistory("insert into orders values (3, 'x')");
    await userEvent.click(screen.getByRole('button', { name: 'Run' }));
    await expectSummary(
      'The statement failed: cannot execute INSERT in a read-only transaction',
    );
    expect(screen.queryByRole('table')).not.toBeInTheDocument();
  });

  it('cancels on the server with the run id it chose', async () => {
    let release: () => void = () => {};
    const api = mockConsoleApi({
      listConsoleHistory: historyWith('select pg_sleep(60)'),
      runConsoleStatement: jest.fn(async function* slow() {
        yield {
          type: 'columns' as const,
          columns: [{ name: 'pg_sleep', type: 'void' }],
        };
        await new Promise<void>(resolve => {
          release = resolve;
        });
        yield {
          type: 'error' as const,
          message: 'canceling statement due to user request',
        };
      }),
    });
    await renderConsoleTab(api);
    await loadFromHistory('select pg_sleep(60)');
    await userEvent.click(screen.getByRole('button', { name: 'Run' }));
    await userEvent.click(
      await screen.findByRole('button', { name: 'Cancel' }),
    );
    const runId = (api.runConsoleStatement.mock.calls[0][1] as any).runId;
    expect(api.cancelConsoleStatement).toHaveBeenCalledWith('db-1', runId);
    release();
    await expectSummary('Cancelled after 0 rows.');
    expect(
      screen.getByText('canceling statement due to user request'),
    ).toBeInTheDocument();
  });

  it('keeps write mode off, with the reason reachable, for a user who may not write', async () => {
    const api = mockConsoleApi();
    await renderConsoleTab(api, {
      denied: [
        'autonomous.database.console.write',
        'autonomous.database.console.audit',
      ],
    });
    const toggle = await screen.findByRole('checkbox', { name: 'Write mode' });
    await waitFor(() =>
      expect(toggle).toHaveAttribute('aria-disabled', 'true'),
    );
    expect(toggle).toHaveAccessibleDescription(
      'Write mode (changing data) needs membership of team-a, who own this database. Ask them or a portal admin for access.',
    );
    await userEvent.click(toggle);
    expect(toggle).not.toBeChecked();
    expect(screen.getByRole('button', { name: 'Run' })).toBeInTheDocument();
    // Without the audit permission, no audit trail.
    expect(
      screen.queryByRole('heading', { name: 'Audit trail' }),
    ).not.toBeInTheDocument();
  });

  it('asks before a statement in write mode and runs it as the owner', async () => {
    const update = 'update orders set item = null';
    const api = mockConsoleApi({
      listConsoleHistory: historyWith(update),
      runConsoleStatement: jest.fn(() =>
        answer([
          { type: 'columns', columns: [] },
          { type: 'end', rowCount: 0, truncated: false, durationMs: 3 },
        ]),
      ),
    });
    await renderConsoleTab(api);
    await loadFromHistory(update);
    await userEvent.click(
      await screen.findByRole('checkbox', { name: 'Write mode' }),
    );
    await userEvent.click(
      screen.getByRole('button', { name: 'Run in write mode' }),
    );
    const dialog = await screen.findByRole('dialog', {
      name: 'Run in write mode on orders-db?',
    });
    expect(dialog).toHaveTextContent(update);
    expect(api.runConsoleStatement).not.toHaveBeenCalled();
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Run in write mode' }),
    );
    await waitFor(() =>
      expect(api.runConsoleStatement).toHaveBeenCalledWith(
        'db-1',
        expect.objectContaining({ statement: update, mode: 'write' }),
        expect.anything(),
      ),
    );
    await expectSummary('0 rows in 3 ms.');
  });

  it("shows admins the audit trail with every user's statements", async () => {
    const api = mockConsoleApi({
      listConsoleHistory: jest.fn(async (_id, options) =>
        options?.mine === false
          ? {
              items: [
                {
                  id: 'a-1',
                  databaseId: 'db-1',
                  user: 'user:default/omar',
                  mode: 'write' as const,
                  statement: 'delete from orders',
                  startedAt: '2026-12-05T09:00:00.000Z',
                  durationMs: 8,
                  rowCount: 0,
                  truncated: false,
                  outcome: 'failed' as const,
                  message: 'permission denied for table orders',
                },
              ],
            }
          : { items: [] },
      ),
    });
    await renderConsoleTab(api);
    const audit = await screen.findByRole('list', {
      name: 'Every statement on orders-db',
    });
    expect(audit).toHaveTextContent('delete from orders');
    expect(audit).toHaveTextContent('omar · write mode · failed');
    expect(audit).toHaveTextContent('permission denied for table orders');
  });

  it('saves the statement in the editor, shared with the owners, and loads a saved one', async () => {
    const saved = {
      id: 'q-1',
      name: 'Open orders',
      statement: "select * from orders where status = 'open'",
      shared: true,
      createdBy: 'user:default/omar',
      updatedAt: '2026-12-05T09:00:00.000Z',
    };
    const api = mockConsoleApi({
      listConsoleHistory: historyWith(SELECT),
      listSavedQueries: jest.fn().mockResolvedValue([saved]),
      createSavedQuery: jest.fn().mockResolvedValue({ ...saved, id: 'q-2' }),
    });
    await renderConsoleTab(api);
    await loadFromHistory(SELECT);
    const form = screen.getByRole('form', { name: 'Save the statement' });
    await userEvent.type(within(form).getByLabelText('Name'), 'All orders');
    await userEvent.click(within(form).getByLabelText('Share with the owners'));
    await userEvent.click(
      within(form).getByRole('button', { name: 'Save statement' }),
    );
    expect(api.createSavedQuery).toHaveBeenCalledWith('db-1', {
      name: 'All orders',
      statement: SELECT,
      shared: true,
    });

    // Someone else's shared statement: loadable, not deletable.
    const list = screen.getByRole('list', { name: 'Saved statements' });
    expect(list).toHaveTextContent('shared with the owners · by omar');
    expect(
      within(list).queryByRole('button', { name: /^Delete/ }),
    ).not.toBeInTheDocument();
    await userEvent.click(
      within(list).getByRole('button', { name: 'Open orders' }),
    );
    expect(
      screen.getByRole('textbox', { name: 'Statement' }),
    ).toHaveTextContent(saved.statement);
  });

  it('exports the result as CSV with the statement that ran', async () => {
    const createObjectURL = jest.fn(() => 'blob:result');
    Object.assign(URL, { createObjectURL, revokeObjectURL: jest.fn() });
    const api = mockConsoleApi({
      listConsoleHistory: historyWith(SELECT),
      exportConsoleResult: jest.fn().mockResolvedValue({
        blob: new Blob(['id,item\n1,item 1\n']),
        filename: 'orders-db-result.csv',
      }),
    });
    await renderConsoleTab(api);
    await loadFromHistory(SELECT);
    await userEvent.click(screen.getByRole('button', { name: 'Run' }));
    await userEvent.click(
      await screen.findByRole('button', { name: 'Export CSV' }),
    );
    expect(api.exportConsoleResult).toHaveBeenCalledWith('db-1', {
      statement: SELECT,
      mode: 'read',
      maxRows: 1000,
      format: 'csv',
    });
    await waitFor(() => expect(createObjectURL).toHaveBeenCalled());
  });

  it('waits for the database to be ready', async () => {
    const api = mockConsoleApi({
      listDatabases: jest
        .fn()
        .mockResolvedValue([anInstance({ status: 'installing' })]),
    });
    await renderConsoleTab(api);
    expect(
      await screen.findByText(/The console opens once the database is ready/),
    ).toBeInTheDocument();
    expect(
      screen.queryByRole('textbox', { name: 'Statement' }),
    ).not.toBeInTheDocument();
  });
});
