import { DatabaseEvent } from '@autonomous-dev/backstage-plugin-autonomous-common';
import { useEffect, useRef, useState } from 'react';
import { stepTitle } from '../DatabaseCommon';

/** What the live region says for one step. */
export function announcementOfEvent(
  instanceName: string,
  event: DatabaseEvent,
): string {
  const step = stepTitle(event.step);
  if (event.status === 'failed') {
    return `${instanceName}: ${step} failed: ${event.message}`;
  }
  return `${instanceName}: ${event.message}`;
}

/**
 * The sentence for the page's polite live region: each step that arrives while the page is
 * open, said once. The steps already there when the page opened are read, not announced.
 */
export function useDatabaseAnnouncer(
  instanceName: string | undefined,
  events: DatabaseEvent[] | undefined,
): string {
  const seen = useRef<Set<string>>();
  const forInstance = useRef<string>();
  const [text, setText] = useState('');
  useEffect(() => {
    if (!events || !instanceName) {
      return;
    }
    if (forInstance.current !== instanceName || !seen.current) {
      // Another instance is shown: its past is not news.
      forInstance.current = instanceName;
      seen.current = new Set(events.map(e => e.id));
      return;
    }
    const fresh = events.filter(e => !seen.current!.has(e.id));
    fresh.forEach(e => seen.current!.add(e.id));
    if (fresh.length) {
      setText(fresh.map(e => announcementOfEvent(instanceName, e)).join('. '));
    }
  }, [instanceName, events]);
  return text;
}
