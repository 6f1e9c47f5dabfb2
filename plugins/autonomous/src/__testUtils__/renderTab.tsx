import { ReactNode } from 'react';
import { SWRConfig } from 'swr';
import { Entity } from '@backstage/catalog-model';
import {
  mockApis,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import {
  AuthorizeResult,
  EvaluatePermissionRequest,
} from '@backstage/plugin-permission-common';
import { SignalApi, signalApiRef } from '@backstage/plugin-signals-react';
import { autonomousApiRef } from '../api';
import { ReleasesContent } from '../components/ReleasesContent';
import { mockAutonomousApi, projectEntity } from './releases';

export interface RenderTabOptions {
  entity?: Entity;
  /** Which permissions the policy denies, by name; everything else is allowed. */
  denied?: string[];
  /** A signals API; without one the app has no signals plugin. */
  signals?: SignalApi;
  /** Where the tab is opened, e.g. `/?release=rel-1`. */
  at?: string;
  /** The tab rendered; the Releases tab by default. */
  content?: ReactNode;
  children?: ReactNode;
}

/** A signals API the test drives: `emit` delivers a message to the page's subscribers. */
export function fakeSignals() {
  const subscribers = new Map<string, Set<(message: any) => void>>();
  const api: SignalApi = {
    subscribe(channel, onMessage) {
      const set = subscribers.get(channel) ?? new Set();
      set.add(onMessage as (message: any) => void);
      subscribers.set(channel, set);
      return {
        unsubscribe: () => set.delete(onMessage as (message: any) => void),
      };
    },
  };
  return {
    api,
    emit(channel: string, message: object) {
      subscribers.get(channel)?.forEach(onMessage => onMessage(message));
    },
    subscriberCount: (channel: string) => subscribers.get(channel)?.size ?? 0,
  };
}

/** A tab (the Releases tab by default) of the sample entity, with the API and policy given. */
export async function renderTab(
  api: ReturnType<typeof mockAutonomousApi>,
  options: RenderTabOptions = {},
) {
  const denied = options.denied ?? [];
  const permissionApi = mockApis.permission({
    authorize: (request: EvaluatePermissionRequest) =>
      denied.includes(request.permission.name)
        ? AuthorizeResult.DENY
        : AuthorizeResult.ALLOW,
  });
  const apis: any[] = [
    [autonomousApiRef, api],
    [permissionApiRef, permissionApi],
  ];
  if (options.signals) {
    apis.push([signalApiRef, options.signals]);
  }
  // usePermission caches answers in SWR's global cache, keyed by permission and resource
  // only: each render gets its own cache, or one test's policy leaks into the next.
  return renderInTestApp(
    <SWRConfig value={{ provider: () => new Map() }}>
      <TestApiProvider apis={apis as any}>
        <EntityProvider entity={options.entity ?? projectEntity}>
          {options.content ?? <ReleasesContent />}
          {options.children}
        </EntityProvider>
      </TestApiProvider>
    </SWRConfig>,
    {
      mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
      routeEntries: options.at ? [options.at] : undefined,
    },
  );
}
