import { createFormField } from '@backstage/plugin-scaffolder-react/alpha';
import { DatabaseEnginePicker } from './DatabaseEnginePicker';
import { EnvironmentPicker, validateEnvironments } from './EnvironmentPicker';
import { AUTONOMOUS_FIELD_NAMES } from './fieldNames';
import { UpstreamInstancePicker } from './UpstreamInstancePicker';

/** The fields for the new frontend system's scaffolder, loaded when the wizard opens. */
export const environmentPickerField = createFormField({
  name: AUTONOMOUS_FIELD_NAMES.environmentPicker,
  component: EnvironmentPicker as any,
  validation: validateEnvironments as any,
});

export const databaseEnginePickerField = createFormField({
  name: AUTONOMOUS_FIELD_NAMES.databaseEnginePicker,
  component: DatabaseEnginePicker as any,
});

export const upstreamInstancePickerField = createFormField({
  name: AUTONOMOUS_FIELD_NAMES.upstreamInstancePicker,
  component: UpstreamInstancePicker as any,
});
