import { useCallback, useEffect, useRef } from 'react';

/** Marks an element a drawer can return focus to, even after a re-render replaced it. */
export const FOCUS_KEY_ATTRIBUTE = 'data-focus-key';

/** Props that mark a trigger with a key unique on the page. */
export function focusKey(key: string): Record<string, string> {
  return { [FOCUS_KEY_ATTRIBUTE]: key };
}

/** Dialogs, drawers and menus: what focus returns from, never to. */
const LAYER =
  '.MuiModal-root, .MuiDialog-root, .MuiDrawer-root, [role="dialog"]';

type Trigger = { element?: HTMLElement; key?: string };

function triggerOf(element: HTMLElement): Trigger {
  const keyed = element.closest(`[${FOCUS_KEY_ATTRIBUTE}]`);
  return {
    element,
    key: keyed?.getAttribute(FOCUS_KEY_ATTRIBUTE) ?? undefined,
  };
}

/**
 * Where focus goes back to when a drawer closes: the last element focused on the page
 * itself before it opened, even when that was a button in a dialog that started the
 * release the drawer shows (the dialog's own trigger then). A table refresh may have
 * replaced that element by an equal one; the key it carried finds the new one. Without
 * this, focus falls to the page's body and a keyboard user starts over.
 */
export function useFocusReturn() {
  const lastOnPage = useRef<Trigger>({});
  const saved = useRef<Trigger>({});

  useEffect(() => {
    const onFocus = (event: FocusEvent) => {
      const target = event.target;
      if (target instanceof HTMLElement && !target.closest(LAYER)) {
        lastOnPage.current = triggerOf(target);
      }
    };
    document.addEventListener('focusin', onFocus);
    return () => document.removeEventListener('focusin', onFocus);
  }, []);

  /** Call when opening: remembers the element to come back to. */
  const remember = useCallback(() => {
    saved.current = lastOnPage.current;
  }, []);

  /** Call once closed: focuses that element, or the one that now carries its key. */
  const restore = useCallback(() => {
    const { element, key } = saved.current;
    let target: HTMLElement | null | undefined =
      element && element.isConnected ? element : undefined;
    // Keys read "<what>:<release id>": when the action is gone (a release rolled back to
    // offers no "Roll back" any more), its release's own link stands in for it.
    const candidates = key ? [key, `release:${key.split(':')[1]}`] : [];
    for (const candidate of candidates) {
      target ??= document.querySelector<HTMLElement>(
        `[${FOCUS_KEY_ATTRIBUTE}="${candidate.replace(/["\\]/g, '\\$&')}"]`,
      );
    }
    target?.focus();
  }, []);

  return { remember, restore };
}
