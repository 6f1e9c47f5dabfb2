import TextField from '@material-ui/core/TextField';
import type { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import { useState } from 'react';
import { useAutonomousRead } from './useAutonomousRead';

/** The one environment name rule of the suite: a DNS label. */
const ENVIRONMENT = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

/** `ui:options` of the environment picker. */
export type EnvironmentPickerOptions = {
  /**
   * An existing project (`component:default/shop`): its environments, read from the backend,
   * are the only choices. Without it, the user names the new project's environments.
   */
  entityRef?: string;
};

function split(text: string): string[] {
  return text
    .split(',')
    .map(e => e.trim())
    .filter(Boolean);
}

/** Environments in promotion order, as a comma-separated list the field turns into names. */
export function EnvironmentPicker(
  props: FieldExtensionComponentProps<string[], EnvironmentPickerOptions>,
) {
  const {
    formData,
    onChange,
    schema,
    uiSchema,
    required,
    rawErrors,
    idSchema,
  } = props;
  const entityRef = uiSchema['ui:options']?.entityRef;
  const project = useAutonomousRead(entityRef, (api, key) =>
    api.getProject(key),
  );
  const [text, setText] = useState((formData ?? []).join(', '));
  const names = split(text);
  const known = project.value?.environments.map(e => e.name);
  const invalid = names.filter(
    n => !ENVIRONMENT.test(n) || (known && !known.includes(n)),
  );
  const duplicate = names.find((n, i) => names.indexOf(n) !== i);
  let help =
    schema.description ??
    'Comma-separated, in promotion order, e.g. staging, production';
  if (known) help = `The project's environments: ${known.join(', ')}`;
  if (project.error)
    help = `The project's environments could not be read: ${project.error.message}`;
  if (invalid.length)
    help = known
      ? `Not an environment of the project: ${invalid.join(', ')}`
      : `Not an environment name (lower case letters, digits and dashes): ${invalid.join(
          ', ',
        )}`;
  if (duplicate) help = `${duplicate} is listed twice`;
  return (
    <TextField
      data-autonomous-plugin=""
      id={`${idSchema?.$id ?? 'environments'}-input`}
      label={schema.title ?? 'Environments'}
      fullWidth
      margin="normal"
      required={required}
      value={text}
      error={
        invalid.length > 0 || Boolean(duplicate) || (rawErrors?.length ?? 0) > 0
      }
      helperText={help}
      onChange={e => {
        setText(e.target.value);
        onChange(split(e.target.value));
      }}
    />
  );
}

/** Refuses what the field shows as wrong, so the wizard does not go on with it. */
export function validateEnvironments(
  value: string[] | undefined,
  validation: { addError(message: string): void },
) {
  const names = value ?? [];
  const bad = names.filter(n => !ENVIRONMENT.test(n));
  if (bad.length) {
    validation.addError(
      `${bad.join(
        ', ',
      )}: environment names are lower case letters, digits and dashes`,
    );
  }
  if (new Set(names).size !== names.length) {
    validation.addError('an environment is listed twice');
  }
}
