export { autonomousPlugin as default } from './plugin';
