import { parseCron } from './cron.ts';
import { KubeError } from './errors.ts';
import type { ResourceType } from './types.ts';

const DNS1123_SUBDOMAIN =
  /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** What the API server refuses with 422 Invalid: a missing or malformed name, a workload without containers. */
export function validate(type: ResourceType, obj: any) {
  const name = obj?.metadata?.name;
  const causes: any[] = [];
  if (!name) {
    causes.push({
      reason: 'FieldValueRequired',
      message: 'Required value: name or generateName is required',
      field: 'metadata.name',
    });
  } else if (
    !(
      type.plural === 'namespaces' || type.plural === 'services'
        ? DNS1123_LABEL
        : DNS1123_SUBDOMAIN
    ).test(name) ||
    name.length > 253
  ) {
    causes.push({
      reason: 'FieldValueInvalid',
      message: `Invalid value: "${name}": a lowercase RFC 1123 ${
        type.plural === 'namespaces' || type.plural === 'services'
          ? 'label'
          : 'subdomain'
      } must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character`,
      field: 'metadata.name',
    });
  }
  if (
    type.plural === 'deployments' ||
    type.plural === 'statefulsets' ||
    type.plural === 'jobs'
  ) {
    const containers = obj?.spec?.template?.spec?.containers;
    if (!Array.isArray(containers) || containers.length === 0) {
      causes.push({
        reason: 'FieldValueRequired',
        message: 'Required value',
        field: 'spec.template.spec.containers',
      });
    }
    if (type.plural !== 'jobs' && !obj?.spec?.selector) {
      causes.push({
        reason: 'FieldValueRequired',
        message: 'Required value',
        field: 'spec.selector',
      });
    }
  }
  if (type.plural === 'cronjobs') causes.push(...cronJobCauses(obj));
  if (type.plural === 'pods') {
    if (
      !Array.isArray(obj?.spec?.containers) ||
      obj.spec.containers.length === 0
    ) {
      causes.push({
        reason: 'FieldValueRequired',
        message: 'Required value',
        field: 'spec.containers',
      });
    }
  }
  if (causes.length) {
    const qualified = type.group ? `${type.kind}.${type.group}` : type.kind;
    throw new KubeError(
      422,
      'Invalid',
      `${qualified} "${name ?? ''}" is invalid: ${causes
        .map(c => `${c.field}: ${c.message}`)
        .join(', ')}`,
      {
        name: name ?? '',
        ...(type.group ? { group: type.group } : {}),
        kind: type.kind,
        causes,
      },
    );
  }
}

/** A CronJob needs a valid schedule and a Job template whose pods never restart in place. */
function cronJobCauses(obj: any): any[] {
  const causes: any[] = [];
  const schedule = obj?.spec?.schedule;
  if (typeof schedule !== 'string' || !schedule.trim()) {
    causes.push({
      reason: 'FieldValueRequired',
      message: 'Required value',
      field: 'spec.schedule',
    });
  } else {
    try {
      parseCron(schedule);
    } catch (e) {
      causes.push({
        reason: 'FieldValueInvalid',
        message: `Invalid value: "${schedule}": ${(e as Error).message}`,
        field: 'spec.schedule',
      });
    }
  }
  const pod = obj?.spec?.jobTemplate?.spec?.template?.spec;
  if (!Array.isArray(pod?.containers) || pod.containers.length === 0) {
    causes.push({
      reason: 'FieldValueRequired',
      message: 'Required value',
      field: 'spec.jobTemplate.spec.template.spec.containers',
    });
  }
  if (!['OnFailure', 'Never'].includes(pod?.restartPolicy)) {
    causes.push({
      reason: 'FieldValueNotSupported',
      message: `Unsupported value: "${
        pod?.restartPolicy ?? ''
      }": supported values: "OnFailure", "Never"`,
      field: 'spec.jobTemplate.spec.template.spec.restartPolicy',
    });
  }
  for (const field of [
    'successfulJobsHistoryLimit',
    'failedJobsHistoryLimit',
  ]) {
    const v = obj?.spec?.[field];
    if (v !== undefined && !(Number.isInteger(v) && v >= 0)) {
      causes.push({
        reason: 'FieldValueInvalid',
        message: `Invalid value: ${JSON.stringify(
          v,
        )}: must be greater than or equal to 0`,
        field: `spec.${field}`,
      });
    }
  }
  return causes;
}
