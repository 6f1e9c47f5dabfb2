export { authModulePlatformGuestProvider as default } from './module';
export { PLATFORM_GUEST_PROVIDER_ID } from './module';
