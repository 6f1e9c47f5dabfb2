export { EnvironmentPicker, validateEnvironments } from './EnvironmentPicker';
export type { EnvironmentPickerOptions } from './EnvironmentPicker';
export { DatabaseEnginePicker } from './DatabaseEnginePicker';
export type {
  DatabaseEngineChoice,
  DatabaseEnginePickerOptions,
} from './DatabaseEnginePicker';
export { UpstreamInstancePicker } from './UpstreamInstancePicker';
export type { UpstreamInstancePickerOptions } from './UpstreamInstancePicker';
export { AUTONOMOUS_FIELD_NAMES } from './fieldNames';
