import { ResponseError } from '@backstage/errors';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { EnvironmentHealthGates } from '@autonomous-dev/backstage-plugin-autonomous-common';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { autonomousApiRef } from '../../api';
import { ActionPermission } from '../../hooks';
import { mockAutonomousApi } from '../../__testUtils__/releases';
import { HealthGatesSettings } from './HealthGatesSettings';

// The form tests type into many fields; on a 2-core machine running every suite at once one
// took over the default 20 s.
jest.setTimeout(60_000);

const ERROR_RATIO =
  'sum(rate(http_requests_total{namespace="{{namespace}}",code=~"5.."}[1m])) / sum(rate(http_requests_total{namespace="{{namespace}}"}[1m]))';

const current: EnvironmentHealthGates = {
  entityRef: 'component:default/shop',
  environment: 'production',
  autoRollback: true,
  gates: [
    {
      name: 'error-ratio',
      query: ERROR_RATIO,
      comparison: '<',
      threshold: 0.01,
      durationSeconds: 300,
      intervalSeconds: 30,
    },
  ],
  updatedAt: '2026-12-01T10:00:00.000Z',
  updatedBy: 'user:default/ada',
};

const ALLOWED: ActionPermission = { allowed: true, loading: false };

async function refusal(message: string) {
  return ResponseError.fromResponse(
    new Response(
      JSON.stringify({
        error: { name: 'InputError', message },
        response: { statusCode: 400 },
      }),
      { status: 400, headers: { 'Content-Type': 'application/json' } },
    ) as any,
  );
}

async function render(
  api: ReturnType<typeof mockAutonomousApi>,
  permission: ActionPermission = ALLOWED,
) {
  await renderInTestApp(
    <TestApiProvider apis={[[autonomousApiRef, api]]}>
      <HealthGatesSettings
        entityRef="component:default/shop"
        environment="production"
        permission={permission}
      />
    </TestApiProvider>,
  );
  return screen.findByRole('form', { name: 'Health gates of production' });
}

function apiWith(setHealthGates = jest.fn()) {
  return mockAutonomousApi({
    getHealthGates: jest.fn().mockResolvedValue(current),
    setHealthGates,
  });
}

describe('HealthGatesSettings', () => {
  it('lists each gate with its query, condition, window and interval, and the auto-rollback switch', async () => {
    const form = await render(apiWith());
    const gate = within(form).getByRole('group', { name: 'Gate error-ratio' });
    expect(within(gate).getByLabelText('Name')).toHaveValue('error-ratio');
    const query = within(gate).getByLabelText('PromQL query');
    expect(query).toHaveValue(ERROR_RATIO);
    expect(query).toHaveAccessibleDescription(
      /May use \{\{namespace\}\}, \{\{application\}\}, \{\{version\}\}/,
    );
    expect(within(gate).getByLabelText('Passes when')).toHaveValue('<');
    expect(within(gate).getByLabelText('Threshold')).toHaveValue('0.01');
    expect(within(gate).getByLabelText('Holds for')).toHaveValue('5m');
    expect(within(gate).getByLabelText('Evaluated every')).toHaveValue('30s');
    expect(
      within(form).getByLabelText('Roll back automatically when a gate fails'),
    ).toBeChecked();
    expect(form).toHaveTextContent(
      /fails closed after the orchestrator's retry window/,
    );
    expect(form).toHaveTextContent('Last changed by user:default/ada');
  });

  it('checks names, numbers and durations before sending anything, next to the field', async () => {
    const setHealthGates = jest.fn();
    const form = await render(apiWith(setHealthGates));
    await userEvent.click(
      within(form).getByRole('button', { name: 'Add gate' }),
    );
    const added = within(form).getByRole('group', { name: 'New gate 2' });
    const save = within(form).getByRole('button', {
      name: 'Save health gates',
    });

    await userEvent.click(save);
    expect(within(added).getByRole('alert')).toHaveTextContent(
      'Gate 2 needs a name.',
    );
    expect(within(added).getByLabelText('Name')).toHaveAccessibleDescription(
      'Gate 2 needs a name.',
    );

    await userEvent.type(within(added).getByLabelText('Name'), 'latency');
    const renamed = within(form).getByRole('group', { name: 'Gate latency' });
    await userEvent.click(save);
    expect(within(renamed).getByRole('alert')).toHaveTextContent(
      'latency needs a PromQL query.',
    );

    // Pasted, as a query usually is: typed, `[1m]` would be read as a key name.
    await userEvent.click(within(renamed).getByLabelText('PromQL query'));
    await userEvent.paste(
      'histogram_quantile(0.99, sum(rate(latency_bucket[1m])) by (le))',
    );
    await userEvent.type(within(renamed).getByLabelText('Threshold'), 'fast');
    await userEvent.click(save);
    expect(within(renamed).getByRole('alert')).toHaveTextContent(
      "latency's threshold must be a number",
    );

    await userEvent.clear(within(renamed).getByLabelText('Threshold'));
    await userEvent.type(within(renamed).getByLabelText('Threshold'), '0.5');
    await userEvent.clear(within(renamed).getByLabelText('Holds for'));
    await userEvent.type(within(renamed).getByLabelText('Holds for'), 'soon');
    await userEvent.click(save);
    expect(within(renamed).getByRole('alert')).toHaveTextContent(
      '"holds for" must be a duration',
    );

    await userEvent.clear(within(renamed).getByLabelText('Holds for'));
    await userEvent.type(within(renamed).getByLabelText('Holds for'), '1m');
    await userEvent.clear(within(renamed).getByLabelText('Evaluated every'));
    await userEvent.type(
      within(renamed).getByLabelText('Evaluated every'),
      '2m',
    );
    await userEvent.click(save);
    expect(within(renamed).getByRole('alert')).toHaveTextContent(
      'latency is evaluated every 2m, longer than it must hold (1m)',
    );
    expect(setHealthGates).not.toHaveBeenCalled();
  });

  it("shows Prometheus's refusal under the query it is about, and saves once the query is fixed", async () => {
    const setHealthGates = jest
      .fn()
      .mockRejectedValueOnce(
        await refusal(
          'gates.latency.query does not run on Prometheus sandbox: 1:12: parse error: unclosed left parenthesis. Fix the PromQL (as run: sum(rate(x)',
        ),
      )
      .mockImplementationOnce(async (_ref, _env, value) => ({
        ...current,
        ...value,
      }));
    const form = await render(apiWith(setHealthGates));
    await userEvent.click(
      within(form).getByRole('button', { name: 'Add gate' }),
    );
    const added = within(form).getByRole('group', { name: 'New gate 2' });
    await userEvent.type(within(added).getByLabelText('Name'), 'latency');
    const query = within(added).getByLabelText('PromQL query');
    await userEvent.type(query, 'sum(rate(x)');
    await userEvent.type(within(added).getByLabelText('Threshold'), '0.5');
    await userEvent.click(
      within(form).getByRole('button', { name: 'Save health gates' }),
    );

    const alert = await within(added).findByRole('alert');
    expect(alert).toHaveTextContent(
      'gates.latency.query does not run on Prometheus sandbox: 1:12: parse error: unclosed left parenthesis',
    );
    expect(query).toHaveAttribute('aria-invalid', 'true');
    expect(query).toHaveAccessibleDescription(/parse error/);
    // Not beside the gate that was fine.
    expect(
      within(
        within(form).getByRole('group', { name: 'Gate error-ratio' }),
      ).queryByRole('alert'),
    ).not.toBeInTheDocument();

    await userEvent.type(query, ')');
    await userEvent.click(
      within(form).getByRole('checkbox', {
        name: 'Roll back automatically when a gate fails',
      }),
    );
    await userEvent.click(
      within(form).getByRole('button', { name: 'Save health gates' }),
    );
    expect(await within(form).findByRole('status')).toHaveTextContent(
      'Saved 2 health gates of production; auto-rollback off.',
    );
    expect(setHealthGates).toHaveBeenLastCalledWith(
      'component:default/shop',
      'production',
      {
        autoRollback: false,
        gates: [
          current.gates[0],
          {
            name: 'latency',
            query: 'sum(rate(x))',
            comparison: '<',
            threshold: 0.5,
            durationSeconds: 300,
            intervalSeconds: 30,
          },
        ],
      },
    );
    expect(within(form).queryByRole('alert')).not.toBeInTheDocument();
  });

  it('removes a gate and saves the environment without it', async () => {
    const setHealthGates = jest
      .fn()
      .mockImplementation(async (_ref, _env, value) => ({
        ...current,
        ...value,
      }));
    const form = await render(apiWith(setHealthGates));
    await userEvent.click(
      within(form).getByRole('button', { name: 'Remove gate error-ratio' }),
    );
    expect(form).toHaveTextContent('No gate: a release is healthy');
    await userEvent.click(
      within(form).getByRole('button', { name: 'Save health gates' }),
    );
    await waitFor(() =>
      expect(setHealthGates).toHaveBeenCalledWith(
        'component:default/shop',
        'production',
        { autoRollback: true, gates: [] },
      ),
    );
    expect(await within(form).findByRole('status')).toHaveTextContent(
      'Saved 0 health gates of production',
    );
  });

  it('locks Save with the reason for a user without the settings permission', async () => {
    const setHealthGates = jest.fn();
    const form = await render(apiWith(setHealthGates), {
      allowed: false,
      loading: false,
      deniedReason:
        'Changing settings needs membership of Team A, who own this project. Ask them or a portal admin for access.',
    });
    const save = within(form).getByRole('button', {
      name: 'Save health gates',
    });
    expect(save).toHaveAttribute('aria-disabled', 'true');
    expect(save).toHaveAccessibleDescription(
      /Changing settings needs membership of Team A/,
    );
    expect(within(form).getByLabelText('PromQL query')).toBeDisabled();
    await userEvent.click(save);
    expect(setHealthGates).not.toHaveBeenCalled();
  });
});
