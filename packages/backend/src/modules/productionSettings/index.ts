export { appModuleProductionSettings as default } from './module';
export { checkProductionSettings } from './checkProductionSettings';
