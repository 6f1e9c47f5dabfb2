import { FormEvent, useId, useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { identityApiRef, useApi } from '@backstage/core-plugin-api';
import { Progress } from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Checkbox from '@material-ui/core/Checkbox';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import Link from '@material-ui/core/Link';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import { autonomousApiRef, SavedQuery } from '../../api';
import { errorMessage } from '../../errorMessage';
import { useLiveAsync } from '../../hooks';
import { ErrorText } from '../ErrorText';
import { userName } from './consoleWords';

const useStyles = makeStyles(theme => ({
  list: { listStyle: 'none', margin: 0, padding: 0 },
  item: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'center',
    gap: theme.spacing(1),
    padding: theme.spacing(0.5, 0),
    borderBottom: `1px solid ${theme.palette.divider}`,
  },
  name: { flex: '1 1 12rem', minWidth: 0, textAlign: 'left' },
}));

export interface SavedQueriesProps {
  databaseId: string;
  /** The statement in the editor: what Save saves. */
  statement: string;
  onLoad(statement: string): void;
}

/**
 * The instance's saved statements: the user's own and those its owners shared. Saving takes
 * the statement in the editor; the author may share, stop sharing or delete.
 */
export function SavedQueries(props: SavedQueriesProps) {
  const { databaseId, statement } = props;
  const classes = useStyles();
  const api = useApi(autonomousApiRef);
  const identityApi = useApi(identityApiRef);
  const me = useAsync(
    async () => (await identityApi.getBackstageIdentity()).userEntityRef,
    [identityApi],
  );
  const saved = useLiveAsync(
    () => api.listSavedQueries(databaseId),
    [api, databaseId],
  );
  const nameId = useId();
  const [name, setName] = useState('');
  const [shared, setShared] = useState(false);
  const [nameError, setNameError] = useState<string>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  const act = async (action: () => Promise<unknown>) => {
    setBusy(true);
    setError(undefined);
    try {
      await action();
      saved.refresh();
      return true;
    } catch (e) {
      setError(errorMessage(e as Error));
      return false;
    } finally {
      setBusy(false);
    }
  };

  const save = async (event: FormEvent) => {
    event.preventDefault();
    if (!name.trim()) {
      setNameError('Give the statement a name to find it by.');
      return;
    }
    if (!statement.trim()) {
      setNameError('The editor is empty: write the statement to save first.');
      return;
    }
    setNameError(undefined);
    const done = await act(() =>
      api.createSavedQuery(databaseId, {
        name: name.trim(),
        statement,
        shared,
      }),
    );
    if (done) {
      setName('');
      setShared(false);
    }
  };

  const mine = (query: SavedQuery) => query.createdBy === me.value;

  return (
    <Box display="flex" flexDirection="column" style={{ gap: 8 }}>
      <form aria-label="Save the statement" onSubmit={save} noValidate>
        <Box
          display="flex"
          flexWrap="wrap"
          alignItems="center"
          style={{ gap: 8 }}
        >
          <TextField
            id={nameId}
            label="Name"
            size="small"
            variant="outlined"
            value={name}
            onChange={e => setName(e.target.value)}
            error={Boolean(nameError)}
            helperText={nameError}
            inputProps={{ 'aria-invalid': Boolean(nameError) }}
          />
          <FormControlLabel
            control={
              <Checkbox
                checked={shared}
                onChange={e => setShared(e.target.checked)}
              />
            }
            label="Share with the owners"
          />
          <Button type="submit" variant="outlined" disabled={busy}>
            Save statement
          </Button>
        </Box>
      </form>
      {error && <ErrorText>{error}</ErrorText>}
      {saved.error && (
        <ErrorText alert={false}>
          Could not read the saved statements: {errorMessage(saved.error)}
        </ErrorText>
      )}
      {!saved.value && !saved.error && <Progress />}
      {saved.value && !saved.value.length && (
        <Typography variant="body2" color="textSecondary">
          Nothing saved yet.
        </Typography>
      )}
      {saved.value && saved.value.length > 0 && (
        <ul className={classes.list} aria-label="Saved statements">
          {saved.value.map(query => (
            <li key={query.id} className={classes.item}>
              <Link
                component="button"
                variant="body2"
                className={classes.name}
                onClick={() => props.onLoad(query.statement)}
              >
                {query.name}
              </Link>
              <Typography variant="caption" color="textSecondary">
                {query.shared ? 'shared with the owners' : 'only you'}
                {mine(query) ? '' : ` · by ${userName(query.createdBy)}`}
              </Typography>
              {mine(query) && (
                <>
                  <Button
                    size="small"
                    disabled={busy}
                    aria-label={`${query.shared ? 'Stop sharing' : 'Share'} ${
                      query.name
                    }`}
                    onClick={() =>
                      act(() =>
                        api.updateSavedQuery(databaseId, query.id, {
                          name: query.name,
                          statement: query.statement,
                          shared: !query.shared,
                        }),
                      )
                    }
                  >
                    {query.shared ? 'Stop sharing' : 'Share'}
                  </Button>
                  <Button
                    size="small"
                    disabled={busy}
                    aria-label={`Delete ${query.name}`}
                    onClick={() =>
                      act(() => api.deleteSavedQuery(databaseId, query.id))
                    }
                  >
                    Delete
                  </Button>
                </>
              )}
            </li>
          ))}
        </ul>
      )}
    </Box>
  );
}
