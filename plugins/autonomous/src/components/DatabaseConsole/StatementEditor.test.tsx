import { renderInTestApp } from '@backstage/test-utils';
import { screen, waitFor } from '@testing-library/react';
import { languageOf, StatementEditor } from './StatementEditor';

const MONGO = 'db.orders.find({"status": "open"})';

async function renderEditor(engine: 'mongodb' | 'redis') {
  await renderInTestApp(
    <>
      <span id="label">Statement</span>
      <span id="hint">Ctrl+Enter runs it.</span>
      <StatementEditor
        engine={engine}
        value={MONGO}
        onChange={() => {}}
        onRun={() => {}}
        labelId="label"
        hintId="hint"
      />
    </>,
  );
  return screen.getByRole('textbox', { name: 'Statement' });
}

describe('the statement editor', () => {
  it('has a language for every SQL engine and for MongoDB, none for Redis', () => {
    for (const engine of [
      'postgresql',
      'mysql',
      'mssql',
      'oracle',
      'cassandra',
      'mongodb',
    ] as const) {
      expect(languageOf(engine)).toBeDefined();
    }
    expect(languageOf('redis')).toBeUndefined();
  });

  it('highlights a MongoDB statement’s strings, which a Redis command leaves plain', async () => {
    const mongo = await renderEditor('mongodb');
    await waitFor(() =>
      expect(
        [...mongo.querySelectorAll('span')].map(s => s.textContent),
      ).toContain('"open"'),
    );
  });

  it('leaves a Redis command unhighlighted', async () => {
    const redis = await renderEditor('redis');
    expect(redis.querySelectorAll('span')).toHaveLength(0);
  });
});
