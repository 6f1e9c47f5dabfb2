import { useEffect, useId, useState } from 'react';
import { InfoCard } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import Switch from '@material-ui/core/Switch';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import {
  EnvironmentSettings,
  ProjectSettingsChange,
} from '@autonomous-dev/backstage-plugin-autonomous-common';
import { autonomousApiRef } from '../../api';
import { ActionPermission } from '../../hooks';
import { DomainList } from './DomainList';
import { HealthGatesSettings } from './HealthGatesSettings';
import { domainsProblem, parseDomains } from './formRules';
import { ScalingSettingsForm } from './ScalingSettingsForm';
import { useReadableHelperText } from './readableHelperText';
import { SettingsForm } from './SettingsForm';
import { VariablesForm } from './VariablesForm';

export interface EnvironmentSettingsCardProps {
  entityRef: string;
  settings: EnvironmentSettings;
  permission: ActionPermission;
  onSaved(change: ProjectSettingsChange): void;
}

const BRANCH_PROBLEM = /[\s~^:?*[\\$();|&`'"<>]|\.\.|@\{|\/\/|^[-/]|[/.]$/;

function AutoDeployForm(props: EnvironmentSettingsCardProps) {
  const { settings, entityRef } = props;
  const api = useApi(autonomousApiRef);
  const id = useId();
  const [enabled, setEnabled] = useState(settings.autoDeploy);
  const [branch, setBranch] = useState(settings.branch);
  useEffect(() => {
    setEnabled(settings.autoDeploy);
    setBranch(settings.branch);
  }, [settings.autoDeploy, settings.branch]);
  const env = settings.environment;
  return (
    <SettingsForm
      label={`Auto-deploy of ${env}`}
      permission={props.permission}
      problem={() =>
        !branch.trim() || BRANCH_PROBLEM.test(branch.trim())
          ? `${
              branch.trim() || 'An empty name'
            } is not a branch name git accepts.`
          : undefined
      }
      submit={() =>
        api.setAutoDeploy(entityRef, env, { enabled, branch: branch.trim() })
      }
      onSaved={props.onSaved}
    >
      <Box
        display="flex"
        flexWrap="wrap"
        alignItems="center"
        style={{ gap: 16 }}
      >
        <FormControlLabel
          control={
            <Switch
              checked={enabled}
              onChange={(_e, checked) => setEnabled(checked)}
              color="primary"
              disabled={!props.permission.allowed}
              inputProps={{ 'aria-label': `Auto-deploy pushes to ${env}` }}
            />
          }
          label={enabled ? 'Auto-deploy on' : 'Auto-deploy off'}
        />
        <TextField
          id={`${id}-branch`}
          size="small"
          label="Branch"
          value={branch}
          onChange={e => setBranch(e.target.value)}
          disabled={!props.permission.allowed}
        />
      </Box>
    </SettingsForm>
  );
}

function DomainsForm(props: EnvironmentSettingsCardProps) {
  const { settings, entityRef } = props;
  const api = useApi(autonomousApiRef);
  const current = settings.domains.map(d => d.host).join('\n');
  const id = useId();
  const [text, setText] = useState(current);
  const helperTextProps = useReadableHelperText();
  useEffect(() => setText(current), [current]);
  const env = settings.environment;
  return (
    <SettingsForm
      label={`Domains of ${env}`}
      permission={props.permission}
      problem={() => domainsProblem(parseDomains(text))}
      submit={() =>
        api.setDomains(entityRef, env, { domains: parseDomains(text) })
      }
      onSaved={props.onSaved}
      submitLabel="Save domains"
    >
      <TextField
        id={`${id}-domains`}
        multiline
        minRows={2}
        fullWidth
        size="small"
        variant="outlined"
        label="Custom domains, one per line"
        value={text}
        onChange={e => setText(e.target.value)}
        disabled={!props.permission.allowed}
        helperText="Point each domain's DNS at the ingress; cert-manager issues the TLS certificate once ArgoCD applies the Ingress."
        FormHelperTextProps={helperTextProps}
      />
    </SettingsForm>
  );
}

/** One environment's settings: auto-deploy, domains with TLS, variables, scaling, health gates. */
export function EnvironmentSettingsCard(props: EnvironmentSettingsCardProps) {
  const { settings } = props;
  return (
    <InfoCard title={`${settings.environment} settings`}>
      <Box display="flex" flexDirection="column" style={{ gap: 24 }}>
        <section aria-label={`Auto-deploy of ${settings.environment}`}>
          <Typography variant="h6" component="h3">
            Auto-deploy
          </Typography>
          <AutoDeployForm {...props} />
        </section>
        <section aria-label={`Domains of ${settings.environment}`}>
          <Typography variant="h6" component="h3">
            Domains
          </Typography>
          <DomainList domains={settings.domains} />
          <DomainsForm {...props} />
        </section>
        <section
          aria-label={`Environment variables of ${settings.environment}`}
        >
          <Typography variant="h6" component="h3">
            Environment variables
          </Typography>
          <VariablesForm {...props} />
        </section>
        <section aria-label={`Scaling of ${settings.environment}`}>
          <Typography variant="h6" component="h3">
            Scaling
          </Typography>
          <ScalingSettingsForm {...props} />
        </section>
        <section aria-label={`Health gates of ${settings.environment}`}>
          <Typography variant="h6" component="h3">
            Health gates
          </Typography>
          <HealthGatesSettings
            entityRef={props.entityRef}
            environment={settings.environment}
            permission={props.permission}
          />
        </section>
      </Box>
    </InfoCard>
  );
}
