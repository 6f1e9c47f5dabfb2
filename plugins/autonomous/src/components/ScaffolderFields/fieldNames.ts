/**
 * The names templates give these wizard fields in `ui:field`. Kept apart from the components
 * so that the templates' tests can check a template against them without React.
 *
 * @public
 */
export const AUTONOMOUS_FIELD_NAMES = {
  environmentPicker: 'AutonomousEnvironmentPicker',
  databaseEnginePicker: 'AutonomousDatabaseEnginePicker',
  upstreamInstancePicker: 'AutonomousUpstreamInstancePicker',
} as const;
