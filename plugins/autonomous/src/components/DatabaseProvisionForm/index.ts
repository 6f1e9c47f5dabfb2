export { DatabaseProvisionForm } from './DatabaseProvisionForm';
export type { DatabaseProvisionFormProps } from './DatabaseProvisionForm';
export { fieldErrors } from './fieldErrors';
