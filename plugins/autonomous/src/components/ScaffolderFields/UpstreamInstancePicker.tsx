import FormControl from '@material-ui/core/FormControl';
import FormHelperText from '@material-ui/core/FormHelperText';
import InputLabel from '@material-ui/core/InputLabel';
import MenuItem from '@material-ui/core/MenuItem';
import Select from '@material-ui/core/Select';
import type { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import { useAutonomousRead } from './useAutonomousRead';

/** `ui:options` of the upstream instance picker. */
export type UpstreamInstancePickerOptions = {
  /** jenkins, harbor, argocd, vault, kubernetes, prometheus or loki */
  system: string;
  /**
   * The entity the instance is for, whose read permission the backend checks; by default
   * `component:default/new-project`, the entity a wizard is about to create.
   */
  entityRef?: string;
};

/**
 * Picks one configured instance of an upstream system (`GET /upstream-instances`). Its value
 * is the instance name, or undefined for the system's default instance.
 */
export function UpstreamInstancePicker(
  props: FieldExtensionComponentProps<string, UpstreamInstancePickerOptions>,
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
  const system = uiSchema['ui:options']?.system ?? '';
  const entityRef =
    uiSchema['ui:options']?.entityRef ?? 'component:default/new-project';
  const { value, loading, error } = useAutonomousRead(
    system || undefined,
    (api, key) => api.listUpstreamInstances(entityRef, key),
  );
  const items = value ?? [];
  const fallback = items.find(i => i.default);
  const id = `${idSchema?.$id ?? system}-instance`;
  let help = schema.description ?? '';
  if (!system) help = 'The template names no system (ui:options.system)';
  else if (error) help = `The instances could not be read: ${error.message}`;
  else if (!loading && items.length === 0)
    help = `No ${system} instance is configured in the portal`;
  return (
    <FormControl
      data-autonomous-plugin=""
      fullWidth
      margin="normal"
      required={required}
      error={Boolean(error) || (rawErrors?.length ?? 0) > 0}
      disabled={loading || items.length === 0}
    >
      <InputLabel id={`${id}-label`} shrink>
        {schema.title ?? system}
      </InputLabel>
      <Select
        labelId={`${id}-label`}
        id={id}
        value={formData ?? ''}
        // An empty value is the default instance, and says which one that is.
        displayEmpty
        onChange={e => onChange((e.target.value as string) || undefined)}
      >
        <MenuItem value="">
          {fallback ? `Default (${fallback.name})` : 'Default'}
        </MenuItem>
        {items.map(item => (
          <MenuItem key={item.name} value={item.name}>
            {item.name}
          </MenuItem>
        ))}
      </Select>
      {help && <FormHelperText>{help}</FormHelperText>}
    </FormControl>
  );
}
