import { example } from './examples';

const ACTION = 'autonomous:jenkins:create-job';

interface Input {
  name: string;
  folder?: string;
  entityRef: string;
  repoUrl?: string;
  branch?: string;
  jenkinsfilePath?: string;
  credentialsId?: string;
  configXmlPath?: string;
  description?: string;
  instance?: string;
}

export const examples = [
  example<Input>(
    ACTION,
    "A pipeline job that builds the repository's Jenkinsfile",
    {
      id: 'jenkins-job',
      name: 'Create the Jenkins job',
      input: {
        name: 'shop',
        folder: 'teams',
        entityRef: 'component:default/shop',
        repoUrl: 'https://github.com/acme/shop.git',
        branch: 'main',
        jenkinsfilePath: 'Jenkinsfile',
        credentialsId: 'github-app',
        description: 'Builds shop and pushes its image to Harbor',
      },
    },
  ),
  example<Input>(
    ACTION,
    'A job from a config.xml template rendered into the workspace',
    {
      id: 'jenkins-job-from-template',
      name: 'Create the Jenkins job from its config.xml',
      input: {
        name: 'shop-nightly',
        folder: 'teams',
        entityRef: 'component:default/shop',
        configXmlPath: 'ci/config.xml',
        instance: 'ci',
      },
    },
  ),
];
