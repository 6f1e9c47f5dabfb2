import { useEffect, useId, useState } from 'react';
import { useApi } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import Switch from '@material-ui/core/Switch';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import { autonomousApiRef } from '../../api';
import type { EnvironmentSettingsCardProps } from './EnvironmentSettingsCard';
import { ScalingForm, scalingProblem } from './formRules';
import { SettingsForm } from './SettingsForm';

function formOf(props: EnvironmentSettingsCardProps): ScalingForm {
  const scaling = props.settings.scaling;
  return {
    replicas: String(scaling?.replicas ?? 1),
    autoscaling: Boolean(scaling?.autoscaling),
    minReplicas: String(scaling?.autoscaling?.minReplicas ?? 1),
    maxReplicas: String(scaling?.autoscaling?.maxReplicas ?? 3),
    targetCpuPercent: String(scaling?.autoscaling?.targetCpuPercent ?? 80),
  };
}

/** Replicas, and the autoscaler's bounds when it is on. */
export function ScalingSettingsForm(props: EnvironmentSettingsCardProps) {
  const { settings, entityRef, permission } = props;
  const api = useApi(autonomousApiRef);
  const id = useId();
  const key = JSON.stringify(settings.scaling ?? null);
  const [form, setForm] = useState<ScalingForm>(() => formOf(props));
  // eslint-disable-next-line react-hooks/exhaustive-deps
  useEffect(() => setForm(formOf(props)), [key]);
  const disabled = !permission.allowed;
  const env = settings.environment;
  const field = (name: keyof ScalingForm, label: string) => (
    <TextField
      id={`${id}-${name}`}
      size="small"
      label={label}
      value={form[name]}
      disabled={disabled}
      inputProps={{ inputMode: 'numeric' }}
      onChange={e => setForm({ ...form, [name]: e.target.value })}
    />
  );
  return (
    <SettingsForm
      label={`Scaling of ${env}`}
      permission={permission}
      problem={() => scalingProblem(form)}
      submit={() =>
        api.setScaling(entityRef, env, {
          replicas: Number(form.replicas),
          ...(form.autoscaling
            ? {
                autoscaling: {
                  minReplicas: Number(form.minReplicas),
                  maxReplicas: Number(form.maxReplicas),
                  targetCpuPercent: Number(form.targetCpuPercent),
                },
              }
            : {}),
        })
      }
      onSaved={props.onSaved}
      submitLabel="Save scaling"
    >
      {!settings.scaling && (
        <Typography variant="caption" display="block">
          Not set here yet: the chart's own defaults apply.
        </Typography>
      )}
      <Box
        display="flex"
        flexWrap="wrap"
        alignItems="center"
        style={{ gap: 8 }}
      >
        {field('replicas', 'Replicas')}
        <FormControlLabel
          control={
            <Switch
              color="primary"
              checked={form.autoscaling}
              disabled={disabled}
              onChange={(_e, checked) =>
                setForm({ ...form, autoscaling: checked })
              }
            />
          }
          label="Autoscaling"
        />
        {form.autoscaling && field('minReplicas', 'Minimum')}
        {form.autoscaling && field('maxReplicas', 'Maximum')}
        {form.autoscaling && field('targetCpuPercent', 'CPU target %')}
      </Box>
    </SettingsForm>
  );
}
