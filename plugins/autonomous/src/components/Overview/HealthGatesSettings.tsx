import { FormEvent, useEffect, useId, useRef, useState } from 'react';
import { Progress } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import Switch from '@material-ui/core/Switch';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import {
  EnvironmentHealthGates,
  HealthGateComparison,
} from '@autonomous-dev/backstage-plugin-autonomous-common';
import { autonomousApiRef } from '../../api';
import { errorMessage } from '../../errorMessage';
import { ActionPermission, useLiveAsync } from '../../hooks';
import { ErrorText } from '../ErrorText';
import { PermissionedButton } from '../PermissionedButton';
import { useReadableHelperText } from './readableHelperText';
import {
  backendProblem,
  COMPARISONS,
  GateField,
  gateOf,
  GateProblem,
  GateRow,
  gatesProblem,
  GATE_LIMITS,
  PLACEHOLDERS,
  rowOf,
} from './healthGateRules';

export interface HealthGatesSettingsProps {
  entityRef: string;
  environment: string;
  permission: ActionPermission;
}

const PLACEHOLDER_TEXT = PLACEHOLDERS.map(p => `{{${p}}}`).join(', ');

function GateFields(props: {
  row: GateRow;
  index: number;
  disabled: boolean;
  problem?: GateProblem;
  onChange(patch: Partial<GateRow>): void;
  onRemove(): void;
}) {
  const { row, index, disabled, problem } = props;
  const id = useId();
  const helperTextProps = useReadableHelperText();
  const title = row.name.trim()
    ? `Gate ${row.name.trim()}`
    : `New gate ${index + 1}`;
  const errorId = `${id}-error`;
  const problemAt = (field: GateField) =>
    problem?.gate === index && problem.field === field;
  const errorFor = (field: GateField) =>
    problemAt(field) ? (
      <ErrorText id={errorId} style={{ marginTop: 4 }}>
        {problem!.text}
      </ErrorText>
    ) : null;
  const described = (field: GateField, hint?: string) => {
    const ids = [hint, problemAt(field) ? errorId : undefined].filter(Boolean);
    return {
      'aria-describedby': ids.length ? ids.join(' ') : undefined,
      'aria-invalid': problemAt(field) || undefined,
    };
  };
  const text = (
    field: 'name' | 'threshold' | 'duration' | 'interval',
    label: string,
    width: number,
    extra: { inputMode?: 'decimal'; placeholder?: string } = {},
  ) => (
    <Box width={width} maxWidth="100%">
      <TextField
        id={`${id}-${field}`}
        size="small"
        fullWidth
        label={label}
        value={row[field]}
        disabled={disabled}
        onChange={e => props.onChange({ [field]: e.target.value })}
        inputProps={{ ...extra, ...described(field) }}
      />
      {errorFor(field)}
    </Box>
  );
  return (
    <Box
      component="fieldset"
      border={1}
      borderColor="divider"
      borderRadius={4}
      m={0}
      mt={1}
      p={1.5}
      minWidth={0}
      aria-label={title}
    >
      <Typography component="legend" variant="subtitle2">
        {title}
      </Typography>
      {text('name', 'Name', 200)}
      <Box mt={1}>
        <TextField
          id={`${id}-query`}
          label="PromQL query"
          multiline
          minRows={2}
          fullWidth
          size="small"
          variant="outlined"
          value={row.query}
          disabled={disabled}
          onChange={e => props.onChange({ query: e.target.value })}
          helperText={`May use ${PLACEHOLDER_TEXT}: each release fills in its own. It must give one number.`}
          FormHelperTextProps={helperTextProps}
          inputProps={{
            spellCheck: false,
            style: { fontFamily: 'monospace' },
            ...described('query', `${id}-query-helper-text`),
          }}
        />
        {errorFor('query')}
      </Box>
      <Box
        display="flex"
        flexWrap="wrap"
        alignItems="flex-start"
        mt={1}
        style={{ gap: 8 }}
      >
        <Box width={110}>
          <TextField
            id={`${id}-comparison`}
            select
            size="small"
            fullWidth
            label="Passes when"
            value={row.comparison}
            disabled={disabled}
            SelectProps={{ native: true }}
            onChange={e =>
              props.onChange({
                comparison: e.target.value as HealthGateComparison,
              })
            }
          >
            {COMPARISONS.map(c => (
              <option key={c} value={c}>
                {`value ${c}`}
              </option>
            ))}
          </TextField>
        </Box>
        {text('threshold', 'Threshold', 110, { inputMode: 'decimal' })}
        {text('duration', 'Holds for', 110, { placeholder: '5m' })}
        {text('interval', 'Evaluated every', 130, { placeholder: '30s' })}
        <Button
          size="small"
          disabled={disabled}
          onClick={props.onRemove}
          aria-label={`Remove ${title.toLowerCase()}`}
          style={{ marginTop: 8 }}
        >
          Remove
        </Button>
      </Box>
    </Box>
  );
}

/**
 * An environment's health gates and its auto-rollback switch, edited as one: the backend
 * runs every query on the environment's Prometheus before it saves, and its refusal (a PromQL
 * parse error, an unknown placeholder, several series) is shown under the query it is about.
 */
export function HealthGatesSettings(props: HealthGatesSettingsProps) {
  const { entityRef, environment, permission } = props;
  const api = useApi(autonomousApiRef);
  const saved = useLiveAsync(
    () => api.getHealthGates(entityRef, environment),
    [api, entityRef, environment],
  );
  const nextKey = useRef(0);
  const [rows, setRows] = useState<GateRow[]>([]);
  const [autoRollback, setAutoRollback] = useState(false);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<GateProblem>();
  const [done, setDone] = useState<string>();

  const load = (value: EnvironmentHealthGates) => {
    setRows(value.gates.map(g => rowOf(g, nextKey.current++)));
    setAutoRollback(value.autoRollback);
  };
  const savedKey = saved.value ? JSON.stringify(saved.value) : undefined;
  useEffect(() => {
    if (saved.value) load(saved.value);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [savedKey]);

  if (!saved.value) {
    return saved.error ? (
      <ErrorText alert={false}>
        Could not read the health gates of {environment}:{' '}
        {errorMessage(saved.error)}
      </ErrorText>
    ) : (
      <Progress />
    );
  }

  const disabled = !permission.allowed;
  const label = `Health gates of ${environment}`;
  const change = (i: number, patch: Partial<GateRow>) =>
    setRows(previous =>
      previous.map((row, j) => (j === i ? { ...row, ...patch } : row)),
    );

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    if (!permission.allowed) return;
    setDone(undefined);
    const found = gatesProblem(rows);
    setProblem(found);
    if (found) return;
    setBusy(true);
    try {
      const answer = await api.setHealthGates(entityRef, environment, {
        autoRollback,
        gates: rows.map(gateOf),
      });
      load(answer);
      const n = answer.gates.length;
      setDone(
        `Saved ${n} health gate${
          n === 1 ? '' : 's'
        } of ${environment}; auto-rollback ${
          answer.autoRollback ? 'on' : 'off'
        }.`,
      );
      saved.refresh();
    } catch (error) {
      setProblem(backendProblem(errorMessage(error as Error), rows));
    } finally {
      setBusy(false);
    }
  };

  const { updatedAt, updatedBy } = saved.value;
  return (
    <form aria-label={label} onSubmit={onSubmit} noValidate>
      <Typography variant="caption" display="block">
        After each rollout, a release is healthy only once every gate's query,
        run on the project's Prometheus, keeps its condition for the whole
        window. A gate whose Prometheus gives no value fails closed after the
        orchestrator's retry window (autonomous.orchestrator.retryWindow, 3
        minutes unless configured).
        {updatedAt && updatedBy
          ? ` Last changed by ${updatedBy} at ${updatedAt}.`
          : ''}
      </Typography>
      {rows.length === 0 && (
        <Typography variant="body2" style={{ marginTop: 8 }}>
          No gate: a release is healthy as soon as ArgoCD reports it synced and
          healthy on its image.
        </Typography>
      )}
      {rows.map((row, i) => (
        <GateFields
          key={row.key}
          row={row}
          index={i}
          disabled={disabled}
          problem={problem}
          onChange={patch => change(i, patch)}
          onRemove={() => {
            setProblem(undefined);
            setRows(previous => previous.filter((_, j) => j !== i));
          }}
        />
      ))}
      <Box
        mt={1}
        display="flex"
        flexWrap="wrap"
        alignItems="center"
        style={{ gap: 16 }}
      >
        <Button
          size="small"
          disabled={disabled || rows.length >= GATE_LIMITS.gates}
          onClick={() =>
            setRows(previous => [
              ...previous,
              {
                key: nextKey.current++,
                name: '',
                query: '',
                comparison: '<',
                threshold: '',
                duration: '5m',
                interval: '30s',
              },
            ])
          }
        >
          Add gate
        </Button>
        <FormControlLabel
          control={
            <Switch
              color="primary"
              checked={autoRollback}
              disabled={disabled}
              onChange={(_e, checked) => setAutoRollback(checked)}
            />
          }
          label="Roll back automatically when a gate fails"
        />
      </Box>
      <Box mt={1} display="flex" alignItems="center" style={{ gap: 8 }}>
        <PermissionedButton
          type="submit"
          size="small"
          variant="outlined"
          color="primary"
          permission={permission}
          disabled={busy}
        >
          {busy ? 'Checking on Prometheus…' : 'Save health gates'}
        </PermissionedButton>
      </Box>
      {done && (
        <Typography
          role="status"
          variant="body2"
          color="textSecondary"
          style={{ marginTop: 8 }}
        >
          {done}
        </Typography>
      )}
      {problem && problem.gate === undefined && (
        <ErrorText style={{ marginTop: 8 }}>{problem.text}</ErrorText>
      )}
    </form>
  );
}
