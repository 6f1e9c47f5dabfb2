import { FormFieldBlueprint } from '@backstage/plugin-scaffolder-react/alpha';

/**
 * The Autonomous wizard fields as extensions of the new frontend system's scaffolder.
 *
 * @alpha
 */
export const autonomousFormFields = [
  FormFieldBlueprint.make({
    name: 'environment-picker',
    params: {
      field: () => import('./formFields').then(m => m.environmentPickerField),
    },
  }),
  FormFieldBlueprint.make({
    name: 'database-engine-picker',
    params: {
      field: () =>
        import('./formFields').then(m => m.databaseEnginePickerField),
    },
  }),
  FormFieldBlueprint.make({
    name: 'upstream-instance-picker',
    params: {
      field: () =>
        import('./formFields').then(m => m.upstreamInstancePickerField),
    },
  }),
];
