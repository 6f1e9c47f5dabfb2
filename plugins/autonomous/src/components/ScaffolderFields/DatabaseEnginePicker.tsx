import FormControl from '@material-ui/core/FormControl';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import FormHelperText from '@material-ui/core/FormHelperText';
import FormLabel from '@material-ui/core/FormLabel';
import InputLabel from '@material-ui/core/InputLabel';
import MenuItem from '@material-ui/core/MenuItem';
import Radio from '@material-ui/core/Radio';
import RadioGroup from '@material-ui/core/RadioGroup';
import Select from '@material-ui/core/Select';
import type { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import { useEffect } from 'react';
import { useAutonomousRead } from './useAutonomousRead';

/** The field's value: what `autonomous:database:provision` takes. */
export interface DatabaseEngineChoice {
  engine?: string;
  version?: string;
  mode?: 'single' | 'cluster';
}

/** `ui:options` of the database engine picker. */
export type DatabaseEnginePickerOptions = {
  /** The Resource whose annotated engine comes first; default a new one. */
  entityRef?: string;
};

/**
 * Picks an engine, one of its versions and a mode from `GET /database-engines`; a mode the
 * portal cannot provision (cluster) is shown, disabled, with the reason.
 */
export function DatabaseEnginePicker(
  props: FieldExtensionComponentProps<
    DatabaseEngineChoice,
    DatabaseEnginePickerOptions
  >,
) {
  const { formData, onChange, schema, uiSchema, rawErrors, idSchema } = props;
  const entityRef =
    uiSchema['ui:options']?.entityRef ?? 'resource:default/new-database';
  const { value, loading, error } = useAutonomousRead(entityRef, (api, key) =>
    api.listDatabaseEngines(key),
  );
  const items = value?.items ?? [];
  const chosen = formData?.engine ?? value?.defaultEngine ?? items[0]?.engine;
  const info = items.find(i => i.engine === chosen);
  const id = idSchema?.$id ?? 'database';

  // Start from the engine's defaults, so the form holds a complete choice.
  useEffect(() => {
    if (info && (!formData?.engine || !formData.version || !formData.mode)) {
      onChange({
        engine: info.engine,
        version: formData?.version ?? info.defaultVersion,
        mode: formData?.mode ?? 'single',
      });
    }
  }, [info, formData, onChange]);

  return (
    <FormControl
      data-autonomous-plugin=""
      fullWidth
      margin="normal"
      error={Boolean(error) || (rawErrors?.length ?? 0) > 0}
    >
      <FormLabel>{schema.title ?? 'Engine'}</FormLabel>
      <FormControl margin="dense" disabled={loading || !items.length}>
        <InputLabel id={`${id}-engine-label`}>Engine</InputLabel>
        <Select
          labelId={`${id}-engine-label`}
          id={`${id}-engine`}
          value={chosen ?? ''}
          onChange={e => {
            const next = items.find(i => i.engine === e.target.value);
            onChange({
              engine: next?.engine,
              version: next?.defaultVersion,
              mode: 'single',
            });
          }}
        >
          {items.map(item => (
            <MenuItem key={item.engine} value={item.engine}>
              {item.title}
            </MenuItem>
          ))}
        </Select>
      </FormControl>
      <FormControl margin="dense" disabled={!info}>
        <InputLabel id={`${id}-version-label`}>Version</InputLabel>
        <Select
          labelId={`${id}-version-label`}
          id={`${id}-version`}
          value={formData?.version ?? info?.defaultVersion ?? ''}
          onChange={e =>
            onChange({ ...formData, version: e.target.value as string })
          }
        >
          {(info?.versions ?? []).map(version => (
            <MenuItem key={version} value={version}>
              {version}
              {version === info?.defaultVersion ? ' (default)' : ''}
            </MenuItem>
          ))}
        </Select>
      </FormControl>
      <RadioGroup
        aria-label="Mode"
        value={formData?.mode ?? 'single'}
        onChange={e =>
          onChange({
            ...formData,
            mode: e.target.value as DatabaseEngineChoice['mode'],
          })
        }
      >
        {(info?.modes ?? []).map(mode => (
          <FormControlLabel
            key={mode.mode}
            value={mode.mode}
            disabled={!mode.available}
            control={<Radio />}
            label={
              mode.available
                ? `${mode.mode === 'single' ? 'Single instance' : 'Cluster'}`
                : `${
                    mode.mode === 'single' ? 'Single instance' : 'Cluster'
                  } (unavailable: ${mode.reason})`
            }
          />
        ))}
      </RadioGroup>
      {error && (
        <FormHelperText>
          The engines could not be read: {error.message}
        </FormHelperText>
      )}
    </FormControl>
  );
}
