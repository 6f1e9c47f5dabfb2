export {
  ENTITY_REF_ANNOTATION,
  ENTITY_CLAIM_LABELS,
  type ActionUpstreamClients,
  type ParsedEntityRef,
} from './common';
export {
  createVaultWriteSecretAction,
  VAULT_WRITE_SECRET_ACTION_ID,
} from './vaultWriteSecret';
export {
  createJenkinsCreateJobAction,
  JENKINS_CREATE_JOB_ACTION_ID,
} from './jenkinsCreateJob';
export {
  createHarborCreateProjectAction,
  HARBOR_CREATE_PROJECT_ACTION_ID,
} from './harborCreateProject';
export {
  createArgoCdCreateAppAction,
  applicationClaims,
  ARGOCD_CREATE_APP_ACTION_ID,
  ENVIRONMENT_LABEL,
} from './argocdCreateApp';
export {
  createProjectRegisterAction,
  PROJECT_REGISTER_ACTION_ID,
} from './projectRegister';
export {
  createReleaseCreateAction,
  RELEASE_CREATE_ACTION_ID,
} from './releaseCreate';
export {
  createWebhookCreateAction,
  webhookSecretPath,
  WEBHOOK_CREATE_ACTION_ID,
  WEBHOOK_SECRET_KEY,
} from './webhookCreate';
export {
  createDatabaseProvisionAction,
  DATABASE_PROVISION_ACTION_ID,
} from './databaseProvision';
