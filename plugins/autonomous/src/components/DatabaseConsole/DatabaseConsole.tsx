import { DatabaseInstance } from '@autonomous-dev/backstage-plugin-autonomous-common';
import { useCallback, useId, useState } from 'react';
import { useApi } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Paper from '@material-ui/core/Paper';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import { autonomousApiRef, ConsoleExportFormat } from '../../api';
import { errorMessage } from '../../errorMessage';
import { saveFile } from '../../saveFile';
import { useConsoleRun } from '../../hooks/useConsoleRun';
import { ConsolePermissions } from '../../hooks/useConsolePermissions';
import { ConfirmActionDialog } from '../ConfirmActionDialog';
import { engineTitle } from '../DatabaseCommon';
import { Section } from '../DatabaseTab/Section';
import { ErrorText } from '../ErrorText';
import { PermissionedButton } from '../PermissionedButton';
import { ReleaseAnnouncements } from '../ReleasePage';
import { ConsoleHistory } from './ConsoleHistory';
import { RunSummary, runSummaryWords } from './RunSummary';
import { ResultGrid } from './ResultGrid';
import { SavedQueries } from './SavedQueries';
import { StatementEditor } from './StatementEditor';
import { WriteModeSwitch } from './WriteModeSwitch';

const DEFAULT_MAX_ROWS = 1000;
const CARD = { minWidth: 0, padding: 16 };
const MAX_ROWS_LIMIT = 100_000;

export interface DatabaseConsoleProps {
  instance: DatabaseInstance;
  permissions: ConsolePermissions;
}

/** Runs statements against one ready instance and shows what the database answers. */
export function DatabaseConsole(props: DatabaseConsoleProps) {
  const { instance, permissions } = props;
  const api = useApi(autonomousApiRef);
  const labelId = useId();
  const hintId = useId();
  const maxRowsId = useId();
  const [statement, setStatement] = useState('');
  const [writeMode, setWriteMode] = useState(false);
  const [maxRowsText, setMaxRowsText] = useState(String(DEFAULT_MAX_ROWS));
  const [confirming, setConfirming] = useState(false);
  const [problem, setProblem] = useState<string>();
  const [exporting, setExporting] = useState(false);
  const [ran, setRan] = useState(0);
  const maxRows = Number(maxRowsText);
  const maxRowsValid =
    Number.isInteger(maxRows) && maxRows >= 1 && maxRows <= MAX_ROWS_LIMIT;
  const result = useConsoleRun(instance.id, {
    maxRows: maxRowsValid ? maxRows : DEFAULT_MAX_ROWS,
    onFinished: () => setRan(n => n + 1),
  });
  const running = ['running', 'cancelling'].includes(result.status);
  const mode = writeMode && permissions.write.allowed ? 'write' : 'read';

  const { run } = result;
  const start = useCallback(() => {
    if (!permissions.read.allowed || running) {
      return;
    }
    if (!statement.trim()) {
      setProblem('The editor is empty: write a statement to run.');
      return;
    }
    if (!maxRowsValid) {
      setProblem(
        `The row limit is a whole number from 1 to ${MAX_ROWS_LIMIT.toLocaleString(
          'en-US',
        )}.`,
      );
      return;
    }
    setProblem(undefined);
    if (mode === 'write') {
      setConfirming(true);
    } else {
      run(statement, 'read');
    }
  }, [permissions.read.allowed, running, statement, maxRowsValid, mode, run]);

  const exportResult = async (format: ConsoleExportFormat) => {
    if (!result.statement) {
      return;
    }
    setExporting(true);
    setProblem(undefined);
    try {
      // The export runs the statement again, read-only whatever mode it ran in.
      saveFile(
        await api.exportConsoleResult(instance.id, {
          statement: result.statement,
          mode: 'read',
          maxRows: maxRowsValid ? maxRows : DEFAULT_MAX_ROWS,
          format,
        }),
      );
    } catch (error) {
      setProblem(
        `Could not export the result: ${errorMessage(error as Error)}`,
      );
    } finally {
      setExporting(false);
    }
  };

  const load = (text: string) => {
    setStatement(text);
    setProblem(undefined);
  };

  const exportButtons = result.status === 'succeeded' && (
    <Box display="flex" style={{ gap: 8 }}>
      <Button
        variant="outlined"
        size="small"
        disabled={exporting}
        onClick={() => exportResult('csv')}
      >
        Export CSV
      </Button>
      <Button
        variant="outlined"
        size="small"
        disabled={exporting}
        onClick={() => exportResult('json')}
      >
        Export JSON
      </Button>
    </Box>
  );

  return (
    <Box display="flex" flexDirection="column" style={{ gap: 24 }}>
      {/* On cards: the page's grey background leaves secondary text and labels too faint. */}
      <Paper variant="outlined" style={CARD}>
        <Typography variant="h5" component="h2">
          Console of {instance.name}
        </Typography>
        <Typography variant="body2" color="textSecondary" component="p">
          {engineTitle(instance.engine)} {instance.version}
          {instance.connection
            ? ` · database ${instance.connection.database}`
            : ''}
          {' · every statement is recorded with your name'}
        </Typography>
      </Paper>
      <Paper
        variant="outlined"
        component="section"
        aria-labelledby={labelId}
        style={{ ...CARD, display: 'flex', flexDirection: 'column', gap: 8 }}
      >
        <Typography id={labelId} variant="h6" component="h3">
          Statement
        </Typography>
        <Typography
          id={hintId}
          variant="caption"
          color="textSecondary"
          component="p"
        >
          Ctrl+Enter runs it.{' '}
          {instance.engine === 'redis' ? 'One command, as in redis-cli.' : ''}
          {instance.engine === 'mongodb'
            ? 'A command document in JSON, or db.collection.find({"field": "value"}) with JSON arguments.'
            : ''}
        </Typography>
        <StatementEditor
          engine={instance.engine}
          version={instance.version}
          value={statement}
          onChange={setStatement}
          onRun={start}
          labelId={labelId}
          hintId={hintId}
        />
        <Box
          display="flex"
          flexWrap="wrap"
          alignItems="flex-start"
          style={{ gap: 16 }}
        >
          <PermissionedButton
            permission={permissions.read}
            variant="contained"
            color="primary"
            disabled={running}
            onClick={start}
          >
            {mode === 'write' ? 'Run in write mode' : 'Run'}
          </PermissionedButton>
          {running && (
            <Button
              variant="outlined"
              disabled={result.status === 'cancelling'}
              onClick={result.cancel}
            >
              {result.status === 'cancelling' ? 'Cancelling…' : 'Cancel'}
            </Button>
          )}
          <TextField
            id={maxRowsId}
            label="Row limit"
            type="number"
            size="small"
            variant="outlined"
            value={maxRowsText}
            onChange={e => setMaxRowsText(e.target.value)}
            error={!maxRowsValid}
            helperText={
              maxRowsValid
                ? undefined
                : `1 to ${MAX_ROWS_LIMIT.toLocaleString('en-US')}`
            }
            inputProps={{
              min: 1,
              max: MAX_ROWS_LIMIT,
              'aria-invalid': !maxRowsValid,
            }}
            style={{ width: 140 }}
          />
          <WriteModeSwitch
            checked={writeMode}
            onChange={setWriteMode}
            permission={permissions.write}
            ownerUser={instance.connection?.username}
            readonlyUser={instance.connection?.readonlyUsername}
          />
        </Box>
        {problem && <ErrorText>{problem}</ErrorText>}
      </Paper>
      {result.status !== 'idle' && (
        <Section title="Result" action={exportButtons}>
          <RunSummary result={result} />
          {result.columns.length > 0 && (
            <Box mt={1}>
              <ResultGrid
                label={`Result of the statement on ${instance.name}`}
                columns={result.columns}
                rows={result.rows}
                rowCount={result.rowCount}
              />
            </Box>
          )}
        </Section>
      )}
      <ReleaseAnnouncements text={runSummaryWords(result)} />
      <Section title="Saved statements">
        <SavedQueries
          databaseId={instance.id}
          statement={statement}
          onLoad={load}
        />
      </Section>
      <Section title="Your recent statements">
        <ConsoleHistory
          databaseId={instance.id}
          mine
          updates={ran}
          label="Your recent statements"
          onLoad={load}
        />
      </Section>
      {permissions.audit.allowed && (
        <Section title="Audit trail">
          <ConsoleHistory
            databaseId={instance.id}
            mine={false}
            updates={ran}
            label={`Every statement on ${instance.name}`}
            onLoad={load}
          />
        </Section>
      )}
      <ConfirmActionDialog
        open={confirming}
        title={`Run in write mode on ${instance.name}?`}
        description={
          <>
            It runs as the owner user
            {instance.connection ? ` ${instance.connection.username}` : ''} and
            can change or delete data. It is recorded with your name.
            <Box
              component="pre"
              mt={1}
              mb={0}
              style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}
            >
              {statement}
            </Box>
          </>
        }
        confirmLabel="Run in write mode"
        onConfirm={async () => run(statement, 'write')}
        onClose={() => setConfirming(false)}
      />
    </Box>
  );
}
