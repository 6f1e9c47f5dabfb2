import type { CanaryStep } from './steps.ts';

/**
 * How a chart switches to Argo Rollouts, as charts that support it do with a value: with
 * `rollout.strategy=canary` or `blueGreen` the workload renders as an `argoproj.io/v1alpha1`
 * Rollout instead of a Deployment (same pod template and selector), with the Services each
 * strategy steers.
 *
 * - `rollout.steps`: canary steps, comma-separated: a number is `setWeight`, `pause` waits for a
 *   promote, `pause:30s` waits that long, `analysis` runs an analysis that passes and
 *   `analysis:fail` one that fails (the controller aborts the rollout). Default
 *   `20,pause,50,pause` (then 100 once the steps are done).
 * - canary: `<name>` is the stable Service, `<name>-canary` the canary's; with ingress hosts the
 *   canary routes traffic through the nginx Ingress (`status.canary.weights`).
 * - blueGreen: `<name>` is the active Service, `<name>-preview` the preview;
 *   `rollout.autoPromotionEnabled=false` holds the new version in preview until promoted.
 */
export function progressiveManifests(
  values: Record<string, string>,
  manifests: Array<{ plural: string; body: any }>,
): Array<{ plural: string; body: any }> {
  const strategy = values['rollout.strategy'];
  if (strategy !== 'canary' && strategy !== 'blueGreen') return manifests;
  const deployment = manifests.find(m => m.plural === 'deployments');
  const service = manifests.find(m => m.plural === 'services');
  if (!deployment || !service) return manifests;
  const name = deployment.body.metadata.name;
  const ingress = manifests.find(m => m.plural === 'ingresses');
  const extraService = (suffix: string) => ({
    plural: 'services',
    body: {
      ...service.body,
      metadata: { ...service.body.metadata, name: `${name}-${suffix}` },
      spec: { ...service.body.spec },
    },
  });
  const rollout = {
    plural: 'rollouts',
    body: {
      metadata: {
        ...deployment.body.metadata,
        annotations: Object.fromEntries(
          Object.entries(deployment.body.metadata.annotations ?? {}).map(
            ([k, v]) => [
              k,
              k === 'argocd.argoproj.io/tracking-id'
                ? String(v).replace(
                    ':apps/Deployment:',
                    ':argoproj.io/Rollout:',
                  )
                : v,
            ],
          ),
        ),
      },
      spec: {
        ...deployment.body.spec,
        strategy:
          strategy === 'canary'
            ? {
                canary: {
                  canaryService: `${name}-canary`,
                  stableService: name,
                  ...(ingress
                    ? {
                        trafficRouting: {
                          nginx: { stableIngress: ingress.body.metadata.name },
                        },
                      }
                    : {}),
                  steps: parseSteps(values['rollout.steps']),
                },
              }
            : {
                blueGreen: {
                  activeService: name,
                  previewService: `${name}-preview`,
                  autoPromotionEnabled:
                    values['rollout.autoPromotionEnabled'] !== 'false',
                },
              },
      },
    },
  };
  return [
    ...manifests.map(m => (m === deployment ? rollout : m)),
    extraService(strategy === 'canary' ? 'canary' : 'preview'),
  ];
}

export function parseSteps(text: string | undefined): CanaryStep[] {
  const items = (text ?? '20,pause,50,pause')
    .split(',')
    .map(s => s.trim())
    .filter(Boolean);
  return items.map(item => {
    if (/^\d+$/.test(item)) return { setWeight: Number(item) };
    if (item === 'pause') return { pause: {} };
    if (item.startsWith('pause:')) {
      return { pause: { duration: item.slice('pause:'.length) } };
    }
    if (item === 'analysis' || item === 'analysis:fail') {
      const templateName = item === 'analysis' ? 'success-rate' : 'always-fail';
      return { analysis: { templates: [{ templateName }] } };
    }
    throw new Error(
      `rollout.steps: "${item}" is not a step (a weight, pause, pause:<duration>, analysis or analysis:fail)`,
    );
  });
}
