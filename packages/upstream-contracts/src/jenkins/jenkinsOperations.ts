import { parseTemplate } from '../spec/operationIndex';
import {
  Operation,
  ParameterSpec,
  PathEntry,
  SchemaSource,
} from '../spec/operation';

/*
 * The community Jenkins specification (swaggy-jenkins 1.1.1) is incomplete and partly wrong, so the
 * operations the Autonomous clients use are written down here from Jenkins core behaviour (LTS
 * 2.568.2, see specs/README.md). Where the specification is right its schema is referenced by
 * pointer; the README of this package lists each choice.
 */

const XML = ['application/xml', 'text/xml'];
const FORM = ['application/x-www-form-urlencoded', 'multipart/form-data'];

const jobName: ParameterSpec = {
  name: 'name',
  in: 'path',
  required: true,
  schema: { type: 'string' },
};
const buildNumber: ParameterSpec = {
  name: 'number',
  in: 'path',
  required: true,
  schema: { type: 'string' },
};
const tree: ParameterSpec = {
  name: 'tree',
  in: 'query',
  required: false,
  schema: { type: 'string' },
};
const depth: ParameterSpec = {
  name: 'depth',
  in: 'query',
  required: false,
  schema: { type: 'integer' },
};

const nullableString = { type: ['string', 'null'] };

/** What `Actionable.getAllActions()` exports: `ParametersAction`, `CauseAction` and others. */
const actionsSchema = {
  type: 'array',
  items: {
    type: 'object',
    properties: {
      _class: { type: 'string' },
      parameters: {
        type: 'array',
        items: {
          type: 'object',
          required: ['name'],
          properties: { _class: { type: 'string' }, name: { type: 'string' } },
        },
      },
    },
  },
};

const queueItemSchema = {
  type: 'object',
  required: ['id', 'url'],
  properties: {
    _class: { type: 'string' },
    id: { type: 'integer' },
    url: { type: 'string' },
    why: nullableString,
    blocked: { type: 'boolean' },
    buildable: { type: 'boolean' },
    stuck: { type: 'boolean' },
    inQueueSince: { type: 'integer' },
    params: { type: 'string' },
    actions: actionsSchema,
    cancelled: { type: 'boolean' },
    executable: {
      anyOf: [
        {
          type: 'object',
          required: ['number', 'url'],
          properties: { number: { type: 'integer' }, url: { type: 'string' } },
        },
        { type: 'null' },
      ],
    },
  },
};

/** An item still in the queue, as `Queue.getItems()` exports it (waiting, blocked, buildable). */
const waitingItemSchema = {
  type: 'object',
  required: ['id', 'url', 'task'],
  properties: {
    _class: { type: 'string' },
    id: { type: 'integer' },
    url: { type: 'string' },
    why: nullableString,
    blocked: { type: 'boolean' },
    buildable: { type: 'boolean' },
    stuck: { type: 'boolean' },
    pending: { type: 'boolean' },
    inQueueSince: { type: 'integer' },
    buildableStartMilliseconds: { type: 'integer' },
    timestamp: { type: 'integer' },
    params: { type: 'string' },
    actions: actionsSchema,
    task: {
      type: 'object',
      properties: {
        _class: { type: 'string' },
        name: { type: 'string' },
        url: { type: 'string' },
        color: { type: 'string' },
      },
    },
  },
};

const queueSchema = {
  type: 'object',
  required: ['items'],
  properties: {
    _class: { type: 'string' },
    discoverableItems: { type: 'array' },
    items: { type: 'array', items: waitingItemSchema },
  },
};

const buildSchema = {
  type: 'object',
  required: ['number', 'url', 'building', 'result'],
  properties: {
    _class: { type: 'string' },
    number: { type: 'integer' },
    id: { type: 'string' },
    url: { type: 'string' },
    building: { type: 'boolean' },
    inProgress: { type: 'boolean' },
    result: {
      enum: ['SUCCESS', 'UNSTABLE', 'FAILURE', 'NOT_BUILT', 'ABORTED', null],
    },
    duration: { type: 'integer' },
    estimatedDuration: { type: 'integer' },
    timestamp: { type: 'integer' },
    queueId: { type: 'integer' },
    displayName: { type: 'string' },
    fullDisplayName: { type: 'string' },
    description: nullableString,
    actions: actionsSchema,
  },
};

const buildReference = {
  anyOf: [
    {
      type: 'object',
      required: ['number', 'url'],
      properties: { number: { type: 'integer' }, url: { type: 'string' } },
    },
    { type: 'null' },
  ],
};

const jobSchema = {
  type: 'object',
  required: ['name', 'url'],
  properties: {
    _class: { type: 'string' },
    name: { type: 'string' },
    fullName: { type: 'string' },
    displayName: { type: 'string' },
    url: { type: 'string' },
    color: { type: 'string' },
    buildable: { type: 'boolean' },
    inQueue: { type: 'boolean' },
    nextBuildNumber: { type: 'integer' },
    description: nullableString,
    lastBuild: buildReference,
    lastCompletedBuild: buildReference,
    lastFailedBuild: buildReference,
    lastSuccessfulBuild: buildReference,
    builds: { type: 'array', items: buildReference },
  },
};

const crumbSchema: SchemaSource = {
  inline: {
    allOf: [
      {
        $ref: 'urn:upstream-contracts:jenkins#/components/schemas/DefaultCrumbIssuer',
      },
      { required: ['crumb', 'crumbRequestField'] },
    ],
  },
};

interface JenkinsRule {
  id: string;
  method: string;
  templates: string[];
  parameters?: ParameterSpec[];
  body?: { required: boolean; media: string[] };
  response?: SchemaSource;
}

/** The rule table; the package README mirrors it. */
export const JENKINS_RULES: JenkinsRule[] = [
  {
    id: 'createItem',
    method: 'POST',
    templates: ['/createItem', '/job/{folder}/createItem'],
    parameters: [
      { name: 'name', in: 'query', required: true, schema: { type: 'string' } },
      {
        name: 'mode',
        in: 'query',
        required: false,
        schema: { type: 'string', enum: ['copy'] },
      },
      {
        name: 'from',
        in: 'query',
        required: false,
        schema: { type: 'string' },
      },
    ],
    body: { required: true, media: XML },
  },
  {
    id: 'getJobConfig',
    method: 'GET',
    templates: ['/job/{name}/config.xml'],
    parameters: [jobName],
  },
  {
    id: 'updateJobConfig',
    method: 'POST',
    templates: ['/job/{name}/config.xml'],
    parameters: [jobName],
    body: { required: true, media: XML },
  },
  {
    id: 'build',
    method: 'POST',
    templates: ['/job/{name}/build'],
    parameters: [
      jobName,
      {
        name: 'delay',
        in: 'query',
        required: false,
        schema: { type: 'string' },
      },
      {
        name: 'token',
        in: 'query',
        required: false,
        schema: { type: 'string' },
      },
    ],
  },
  {
    id: 'buildWithParameters',
    method: 'POST',
    templates: ['/job/{name}/buildWithParameters'],
    parameters: [jobName],
    body: { required: false, media: FORM },
  },
  {
    id: 'getQueueItem',
    method: 'GET',
    templates: ['/queue/item/{id}/api/json'],
    parameters: [
      { name: 'id', in: 'path', required: true, schema: { type: 'integer' } },
      tree,
      depth,
    ],
    response: { inline: queueItemSchema },
  },
  {
    id: 'getQueue',
    method: 'GET',
    templates: ['/queue/api/json'],
    parameters: [tree, depth],
    response: { inline: queueSchema },
  },
  {
    id: 'getBuild',
    method: 'GET',
    templates: ['/job/{name}/{number}/api/json'],
    parameters: [jobName, buildNumber, tree, depth],
    response: { inline: buildSchema },
  },
  {
    id: 'getProgressiveText',
    method: 'GET',
    templates: ['/job/{name}/{number}/logText/progressiveText'],
    parameters: [
      jobName,
      buildNumber,
      {
        name: 'start',
        in: 'query',
        required: false,
        schema: { type: 'integer' },
      },
    ],
  },
  {
    id: 'stopBuild',
    method: 'POST',
    templates: ['/job/{name}/{number}/stop'],
    parameters: [jobName, buildNumber],
  },
  {
    id: 'getJob',
    method: 'GET',
    templates: ['/job/{name}/api/json'],
    parameters: [jobName, tree, depth],
    response: { inline: jobSchema },
  },
  {
    id: 'getCrumb',
    method: 'GET',
    templates: ['/crumbIssuer/api/json'],
    response: crumbSchema,
  },
];

let entries: PathEntry[] | undefined;

export function jenkinsOperationIndex(): PathEntry[] {
  if (entries) return entries;
  const byTemplate = new Map<string, PathEntry>();
  for (const rule of JENKINS_RULES) {
    for (const template of rule.templates) {
      let entry = byTemplate.get(template);
      if (!entry) {
        entry = {
          template,
          segments: parseTemplate(template),
          operations: new Map(),
        };
        byTemplate.set(template, entry);
      }
      const params = [...(rule.parameters ?? [])];
      if (template.includes('{folder}')) {
        params.push({
          name: 'folder',
          in: 'path',
          required: true,
          schema: { type: 'string' },
        });
      }
      const response = rule.response;
      const operation: Operation = {
        id: rule.id,
        method: rule.method,
        template,
        parameters: params,
        body: rule.body && {
          required: rule.body.required,
          media: Object.fromEntries(rule.body.media.map(m => [m, undefined])),
        },
        responses: response ? { '200': response } : {},
      };
      entry.operations.set(rule.method, operation);
    }
  }
  entries = [...byTemplate.values()];
  return entries;
}

/**
 * Jenkins nests folders as `/job/a/job/b/...`; the chain of `job/NAME` pairs is folded into one
 * `{name}` segment so the rule templates match jobs at any depth.
 */
export function foldJenkinsFolders(path: string): string {
  const segments = path.split('/');
  const out: string[] = [];
  for (let i = 0; i < segments.length; i++) {
    if (segments[i] === 'job' && i + 1 < segments.length) {
      const chain = [segments[i + 1]];
      i += 1;
      while (segments[i + 1] === 'job' && i + 2 < segments.length) {
        chain.push(segments[i + 2]);
        i += 2;
      }
      out.push('job', chain.join('%2Fjob%2F'));
    } else out.push(segments[i]);
  }
  return out.join('/');
}
