import { createScaffolderFieldExtension } from '@backstage/plugin-scaffolder-react';
import { autonomousPlugin } from '../../plugin';
import { DatabaseEnginePicker } from './DatabaseEnginePicker';
import { EnvironmentPicker, validateEnvironments } from './EnvironmentPicker';
import { AUTONOMOUS_FIELD_NAMES } from './fieldNames';
import { UpstreamInstancePicker } from './UpstreamInstancePicker';

/**
 * The wizard's environment field for a legacy app: render it inside
 * `<ScaffolderFieldExtensions>` of the `/create` route.
 *
 * @public
 */
export const AutonomousEnvironmentPickerFieldExtension =
  autonomousPlugin.provide(
    createScaffolderFieldExtension({
      name: AUTONOMOUS_FIELD_NAMES.environmentPicker,
      component: EnvironmentPicker,
      validation: validateEnvironments,
    }),
  );

/**
 * The wizard's database engine field (engines, versions, modes) for a legacy app.
 *
 * @public
 */
export const AutonomousDatabaseEnginePickerFieldExtension =
  autonomousPlugin.provide(
    createScaffolderFieldExtension({
      name: AUTONOMOUS_FIELD_NAMES.databaseEnginePicker,
      component: DatabaseEnginePicker,
    }),
  );

/**
 * The wizard's upstream instance field (which Jenkins, Harbor, ArgoCD or Vault) for a legacy app.
 *
 * @public
 */
export const AutonomousUpstreamInstancePickerFieldExtension =
  autonomousPlugin.provide(
    createScaffolderFieldExtension({
      name: AUTONOMOUS_FIELD_NAMES.upstreamInstancePicker,
      component: UpstreamInstancePicker,
    }),
  );
