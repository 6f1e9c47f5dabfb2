import { autonomousSettingsPermission } from '@autonomous-dev/backstage-plugin-autonomous-common';
import { NotFoundError } from '@backstage/errors';
import express from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';
import { DatabaseReleaseStore } from '../database/ReleaseStore';
import { GateSettings } from '../gates/GateSettings';
import { RolloutStepWindow } from '../gates/StepGateStore';
import {
  EnvironmentGates,
  GATE_COMPARISONS,
  HealthGate,
  ReleaseGateCheck,
} from '../gates/types';
import { RouteContext } from './context';
import {
  entityRefFromParams,
  environmentParams,
  releaseIdParams,
} from './params';
import { parseInput } from './validation';

const GATES_PATH =
  '/projects/:kind/:namespace/:name/environments/:env/health-gates';

const seconds = (what: string, min: number, max: number) =>
  z
    .number({ message: `must be a number of seconds (${what})` })
    .min(min, `must be at least ${min} s`)
    .max(max, `must be at most ${max} s`);

const gateBody = z
  .object({
    name: z
      .string({ message: 'must be a name (text)' })
      .regex(
        /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/,
        'must be a short name of lowercase letters, digits and - (e.g. error-ratio)',
      ),
    query: z
      .string({ message: 'must be a PromQL query (text)' })
      .trim()
      .min(1, 'must not be empty')
      .max(4000, 'must be at most 4000 characters'),
    comparison: z.enum(GATE_COMPARISONS, {
      message: `must be one of ${GATE_COMPARISONS.join(' ')}`,
    }),
    threshold: z
      .number({ message: 'must be a number' })
      .refine(Number.isFinite, 'must be a finite number'),
    durationSeconds: seconds('how long the condition must hold', 1, 21_600),
    intervalSeconds: seconds('how often it is evaluated', 1, 3_600),
  })
  .strict()
  .refine(g => g.intervalSeconds <= g.durationSeconds, {
    message: 'intervalSeconds must not be longer than durationSeconds',
    path: ['intervalSeconds'],
  });

export const healthGatesBody = z
  .object({
    autoRollback: z.boolean({ message: 'must be true or false' }),
    gates: z
      .array(gateBody, { message: 'must be a list of gates' })
      .max(10, 'must hold at most 10 gates'),
  })
  .strict();

/** A gate as the API shows it: durations in seconds. */
function toApiGate(gate: HealthGate) {
  const { durationMs, intervalMs, ...rest } = gate;
  return {
    ...rest,
    durationSeconds: durationMs / 1000,
    intervalSeconds: intervalMs / 1000,
  };
}

function toApi(value: EnvironmentGates) {
  return { ...value, gates: value.gates.map(toApiGate) };
}

function toApiCheck(check: ReleaseGateCheck) {
  const { durationMs, intervalMs, ...rest } = check;
  return {
    ...rest,
    durationSeconds: durationMs / 1000,
    intervalSeconds: intervalMs / 1000,
  };
}

/** A pause of the release's Rollout with the window judged there, as the API shows it. */
function toApiStep(step: RolloutStepWindow) {
  const { checks, pause, ...rest } = step;
  const gates = checks.map(toApiCheck);
  const started = checks.map(c => Date.parse(c.startedAt));
  const ends = checks.map(c => Date.parse(c.startedAt) + c.durationMs);
  return {
    ...rest,
    ...pause,
    windowStartedAt: started.length
      ? new Date(Math.min(...started)).toISOString()
      : undefined,
    windowEndsAt: ends.length
      ? new Date(Math.max(...ends)).toISOString()
      : undefined,
    gates,
  };
}

/** An environment's health gates and auto-rollback switch; a release's gate evaluations. */
export function createHealthGatesRouter(
  ctx: RouteContext,
  deps: { gates: GateSettings; releases: DatabaseReleaseStore },
): express.Router {
  const router = Router();
  const { gates } = deps;

  router.get(GATES_PATH, async (req, res) => {
    const entityRef = entityRefFromParams(req.params);
    const { env } = parseInput(environmentParams, req.params, 'environment');
    const caller = await ctx.readProject(req, entityRef);
    res.json(toApi(await gates.read(caller.resolved, env)));
  });

  router.put(GATES_PATH, async (req, res) => {
    const entityRef = entityRefFromParams(req.params);
    const { env } = parseInput(environmentParams, req.params, 'environment');
    const body = parseInput(healthGatesBody, req.body ?? {}, 'body');
    const caller = await ctx.authorize(
      req,
      autonomousSettingsPermission,
      entityRef,
    );
    const saved = await ctx.audited(
      req,
      caller,
      'environment.health-gates',
      entityRef,
      () =>
        gates.update(
          caller.resolved,
          env,
          {
            autoRollback: body.autoRollback,
            gates: body.gates.map(g => ({
              name: g.name,
              query: g.query,
              comparison: g.comparison,
              threshold: g.threshold,
              durationMs: Math.round(g.durationSeconds * 1000),
              intervalMs: Math.round(g.intervalSeconds * 1000),
            })),
          },
          caller.actor,
        ),
      env,
    );
    res.json(toApi(saved));
  });

  router.get('/releases/:id/health-gates', async (req, res) => {
    const { id } = parseInput(releaseIdParams, req.params, 'release id');
    const release = await deps.releases.getRelease(id);
    if (!release) throw new NotFoundError(`no release with id ${id}`);
    await ctx.authorizeRead(req, release.entityRef);
    const [checks, steps] = await Promise.all([
      gates.checksOf(id),
      gates.stepWindowsOf(id),
    ]);
    res.json({
      releaseId: id,
      gates: checks.map(toApiCheck),
      steps: steps.map(toApiStep),
    });
  });

  return router;
}
