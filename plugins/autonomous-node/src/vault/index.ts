export {
  VaultClient,
  type VaultClientOptions,
  type VaultSecret,
  type VaultSecretMetadata,
} from './VaultClient';
