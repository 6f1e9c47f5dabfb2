import { example } from './examples';

const ACTION = 'autonomous:argocd:create-app';

interface Input {
  name: string;
  entityRef: string;
  repoUrl: string;
  chart?: string;
  path?: string;
  targetRevision?: string;
  project?: string;
  helmValues?: string;
  helmParameters?: Array<{ name: string; value: string }>;
  automatedSync?: boolean;
  prune?: boolean;
  selfHeal?: boolean;
  environments: Array<{
    name: string;
    namespace?: string;
    targetRevision?: string;
    helmParameters?: Array<{ name: string; value: string }>;
    automatedSync?: boolean;
    destinationName?: string;
  }>;
  instance?: string;
}

export const examples = [
  example<Input>(
    ACTION,
    'Staging and production from the chart in the repository',
    {
      id: 'argocd',
      name: 'Create the ArgoCD applications',
      input: {
        name: 'shop',
        entityRef: 'component:default/shop',
        repoUrl: 'https://github.com/acme/shop.git',
        path: 'chart',
        targetRevision: 'main',
        helmParameters: [
          { name: 'image.repository', value: 'harbor.example.com/shop/shop' },
        ],
        environments: [
          { name: 'staging' },
          {
            name: 'production',
            namespace: 'shop',
            automatedSync: false,
            helmParameters: [{ name: 'replicaCount', value: '3' }],
          },
        ],
      },
    },
  ),
  example<Input>(
    ACTION,
    'A chart from a Helm repository, synced without pruning, on a named cluster',
    {
      id: 'argocd-chart',
      name: 'Create the ArgoCD application from a Helm repository',
      input: {
        name: 'billing',
        entityRef: 'component:payments/billing',
        repoUrl: 'https://charts.example.com',
        chart: 'web',
        targetRevision: '1.4.2',
        project: 'payments',
        helmValues: 'ingress:\n  enabled: true\n',
        prune: false,
        environments: [{ name: 'production', destinationName: 'prod-eu' }],
        instance: 'main',
      },
    },
  ),
];
