import { FormEvent, useEffect, useId, useMemo, useState } from 'react';
import Box from '@material-ui/core/Box';
import FormControl from '@material-ui/core/FormControl';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import FormHelperText from '@material-ui/core/FormHelperText';
import FormLabel from '@material-ui/core/FormLabel';
import Radio from '@material-ui/core/Radio';
import RadioGroup from '@material-ui/core/RadioGroup';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import {
  DatabaseEngine,
  DatabaseInstance,
} from '@autonomous-dev/backstage-plugin-autonomous-common';
import { DatabaseEngineList, ProvisionDatabaseRequest } from '../../api';
import { errorMessage } from '../../errorMessage';
import { ActionPermission } from '../../hooks';
import { ErrorText } from '../ErrorText';
import { PermissionedButton } from '../PermissionedButton';
import { fieldErrors } from './fieldErrors';

const NAME_PATTERN = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

export interface DatabaseProvisionFormProps {
  entityRef: string;
  /** The entity's name: the instance's default name. */
  defaultName: string;
  engines: DatabaseEngineList;
  permission: ActionPermission;
  provision(request: ProvisionDatabaseRequest): Promise<DatabaseInstance>;
  onProvisioned(instance: DatabaseInstance): void;
}

/** The form that provisions the entity's database: engine, version, size and mode. */
export function DatabaseProvisionForm(props: DatabaseProvisionFormProps) {
  const id = useId();
  const { engines, permission } = props;
  const firstEngine =
    engines.items.find(e => e.engine === engines.defaultEngine) ??
    engines.items[0];
  const [engine, setEngine] = useState<DatabaseEngine | undefined>(
    firstEngine?.engine,
  );
  const option = useMemo(
    () => engines.items.find(e => e.engine === engine),
    [engines, engine],
  );
  const [version, setVersion] = useState(option?.defaultVersion ?? '');
  const [storage, setStorage] = useState(
    String(option?.defaultStorageGi ?? 10),
  );
  const [name, setName] = useState(props.defaultName);
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<Record<string, string>>({});

  // A new engine brings its own versions and default size.
  useEffect(() => {
    if (option) {
      setVersion(option.defaultVersion);
      setStorage(String(option.defaultStorageGi));
    }
  }, [option]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (busy || !permission.allowed || !engine) {
      return;
    }
    const found: Record<string, string> = {};
    const storageGi = Number(storage);
    if (!Number.isInteger(storageGi) || storageGi < 1 || storageGi > 16384) {
      found.storageGi = 'The size is a whole number of GiB, from 1 to 16384.';
    }
    if (!NAME_PATTERN.test(name) || name.length > 40) {
      found.name =
        'Lower-case letters, digits and hyphens, starting with a letter and not ending with a hyphen; at most 40 characters.';
    }
    setErrors(found);
    if (Object.keys(found).length) {
      document.getElementById(`${id}-${Object.keys(found)[0]}`)?.focus();
      return;
    }
    setBusy(true);
    try {
      const instance = await props.provision({
        entityRef: props.entityRef,
        engine,
        version,
        storageGi,
        mode: 'single',
        name,
      });
      props.onProvisioned(instance);
    } catch (e) {
      setErrors(fieldErrors(errorMessage(e as Error)));
    } finally {
      setBusy(false);
    }
  };

  const cluster = option?.modes.find(m => m.mode === 'cluster');
  // With an id, TextField ties its helper text (where an error shows) to the field as its
  // description, and `error` marks the field aria-invalid.
  const fieldProps = (field: string) => ({
    id: `${id}-${field}`,
    error: Boolean(errors[field]),
  });

  return (
    <form onSubmit={submit} aria-labelledby={`${id}-title`} noValidate>
      <Typography variant="h5" component="h2" id={`${id}-title`}>
        Create the database
      </Typography>
      <Typography variant="body2" color="textSecondary" component="p">
        No database runs for this resource yet. Choose how it should run; the
        portal creates it in its own namespace, with an owner and a read-only
        user whose passwords stay in Vault.
      </Typography>
      <Box display="flex" flexWrap="wrap" mt={1} style={{ gap: 16 }}>
        <TextField
          {...fieldProps('engine')}
          select
          label="Engine"
          value={engine ?? ''}
          onChange={e => setEngine(e.target.value as DatabaseEngine)}
          SelectProps={{ native: true }}
          helperText={
            errors.engine ??
            (engines.defaultEngine === engine
              ? 'The engine this resource names'
              : ' ')
          }
        >
          {engines.items.map(e => (
            <option key={e.engine} value={e.engine}>
              {e.title}
            </option>
          ))}
        </TextField>
        <TextField
          {...fieldProps('version')}
          select
          label="Version"
          value={version}
          onChange={e => setVersion(e.target.value)}
          SelectProps={{ native: true }}
          helperText={errors.version ?? ' '}
        >
          {option?.versions.map(v => (
            <option key={v} value={v}>
              {v}
            </option>
          ))}
        </TextField>
        <TextField
          {...fieldProps('storageGi')}
          label="Storage (GiB)"
          type="number"
          value={storage}
          onChange={e => setStorage(e.target.value)}
          helperText={errors.storageGi ?? 'Size of the data volume'}
        />
        <TextField
          {...fieldProps('name')}
          label="Instance name"
          value={name}
          onChange={e => setName(e.target.value)}
          helperText={errors.name ?? `Runs in the namespace db-${name}`}
        />
      </Box>
      <FormControl component="fieldset" margin="normal">
        <FormLabel component="legend">Mode</FormLabel>
        <RadioGroup value="single" name={`${id}-mode`}>
          <FormControlLabel
            value="single"
            control={<Radio />}
            label="Single instance"
          />
          <FormControlLabel
            value="cluster"
            control={
              <Radio inputProps={{ 'aria-describedby': `${id}-cluster` }} />
            }
            label="Cluster (unavailable)"
            disabled
          />
        </RadioGroup>
        <FormHelperText id={`${id}-cluster`}>
          {cluster?.reason ??
            'Cluster mode is not available: only single-instance databases can be provisioned.'}
        </FormHelperText>
      </FormControl>
      {errors.form && <ErrorText>{errors.form}</ErrorText>}
      <Box mt={1}>
        <PermissionedButton
          permission={permission}
          type="submit"
          variant="contained"
          color="primary"
          disabled={busy || !engine}
        >
          {busy ? 'Creating…' : 'Create database'}
        </PermissionedButton>
      </Box>
    </form>
  );
}
