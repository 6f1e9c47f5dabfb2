export { AutonomousPage } from './AutonomousPage';
