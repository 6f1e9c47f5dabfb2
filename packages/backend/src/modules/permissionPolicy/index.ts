export { permissionModuleAutonomousPolicy as default } from './module';
export {
  AutonomousPermissionPolicy,
  DEFAULT_ADMIN_GROUPS,
} from './AutonomousPermissionPolicy';
