import { useEffect, useId, useState } from 'react';
import { useApi } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Checkbox from '@material-ui/core/Checkbox';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import { autonomousApiRef } from '../../api';
import type { EnvironmentSettingsCardProps } from './EnvironmentSettingsCard';
import { VariableRow, variablesProblem } from './formRules';
import { SettingsForm } from './SettingsForm';

function valueLabel(row: VariableRow): string {
  if (!row.secret) return 'Value';
  return row.stored ? 'New secret value (empty keeps Vault’s)' : 'Secret value';
}

function rowsOf(props: EnvironmentSettingsCardProps): VariableRow[] {
  return props.settings.variables.map(v => ({
    name: v.name,
    secret: v.secret,
    value: v.value ?? '',
    stored: v.secret,
  }));
}

/**
 * The environment's variables. A secret one shows its name only: its value went to Vault and
 * is never read back; typing a new value replaces it, leaving it empty keeps it.
 */
export function VariablesForm(props: EnvironmentSettingsCardProps) {
  const { settings, entityRef, permission } = props;
  const api = useApi(autonomousApiRef);
  const id = useId();
  const key = JSON.stringify(settings.variables);
  const [rows, setRows] = useState<VariableRow[]>(() => rowsOf(props));
  // eslint-disable-next-line react-hooks/exhaustive-deps
  useEffect(() => setRows(rowsOf(props)), [key]);
  const env = settings.environment;
  const disabled = !permission.allowed;
  const change = (i: number, patch: Partial<VariableRow>) =>
    setRows(previous =>
      previous.map((row, j) => (j === i ? { ...row, ...patch } : row)),
    );

  return (
    <SettingsForm
      label={`Environment variables of ${env}`}
      permission={permission}
      problem={() => variablesProblem(rows)}
      submit={() =>
        api.setVariables(entityRef, env, {
          variables: rows.map(row =>
            row.secret
              ? {
                  name: row.name,
                  secret: true,
                  ...(row.value ? { value: row.value } : {}),
                }
              : { name: row.name, secret: false, value: row.value },
          ),
        })
      }
      onSaved={props.onSaved}
      submitLabel="Save variables"
    >
      <Typography variant="caption" display="block">
        Plain values go to the chart's ConfigMap; secret ones to Vault at{' '}
        <code>{settings.secretsVaultPath}</code>, shown here by name only.
      </Typography>
      {rows.map((row, i) => (
        <Box
          key={i}
          display="flex"
          flexWrap="wrap"
          alignItems="center"
          style={{ gap: 8 }}
          mt={1}
        >
          <TextField
            id={`${id}-name-${i}`}
            size="small"
            label="Name"
            value={row.name}
            disabled={disabled}
            onChange={e => change(i, { name: e.target.value })}
          />
          <TextField
            id={`${id}-value-${i}`}
            size="small"
            label={valueLabel(row)}
            type={row.secret ? 'password' : 'text'}
            autoComplete="off"
            value={row.value}
            disabled={disabled}
            onChange={e => change(i, { value: e.target.value })}
          />
          <FormControlLabel
            control={
              <Checkbox
                checked={row.secret}
                disabled={disabled || row.stored}
                onChange={(_e, checked) =>
                  change(i, { secret: checked, value: '' })
                }
              />
            }
            label="Secret"
          />
          <Button
            size="small"
            disabled={disabled}
            aria-label={`Remove ${row.name || 'this variable'}`}
            onClick={() =>
              setRows(previous => previous.filter((_, j) => j !== i))
            }
          >
            Remove
          </Button>
        </Box>
      ))}
      <Box mt={1}>
        <Button
          size="small"
          disabled={disabled}
          onClick={() =>
            setRows(previous => [
              ...previous,
              { name: '', secret: false, value: '', stored: false },
            ])
          }
        >
          Add variable
        </Button>
      </Box>
    </SettingsForm>
  );
}
