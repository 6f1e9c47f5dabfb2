// Declared with Playwright at the repository root, which runs the browser tests.
// eslint-disable-next-line @backstage/no-undeclared-imports
import AxeBuilder from '@axe-core/playwright';
import { expect, Page, TestInfo } from '@playwright/test';

/*
 * The bar every Autonomous page is held to in the browser tests: no critical or serious
 * axe-core violation inside the plugin's own DOM (no moderate one either on the Releases tab) (the portal around it is Backstage's and
 * checked upstream), no sideways scrolling at 1024 px, and a screenshot of the state at
 * 1440 and 1024 px kept with the test's results. A page that joins the suite calls
 * `checkPageState` in each state it renders.
 */

/** The plugin marks its own part of the page, dialogs and drawers included, with this. */
export const PLUGIN_DOM = '[data-autonomous-plugin]';

export const WIDE = { width: 1440, height: 900 };
export const NARROW = { width: 1024, height: 768 };

/** axe-core's impacts, least to most severe. */
const IMPACTS = ['minor', 'moderate', 'serious', 'critical'] as const;
export type AxeImpact = (typeof IMPACTS)[number];

export interface AccessibilityBar {
  /**
   * The least severe violation that fails the check: `serious` (the default) fails on
   * serious and critical ones; the Releases tab is held to `moderate`.
   */
  failOn?: AxeImpact;
}

/** Fails on axe-core violations inside the plugin's DOM, critical or serious by default. */
export async function expectNoSeriousViolations(
  page: Page,
  testInfo: TestInfo,
  state: string,
  bar: AccessibilityBar = {},
): Promise<void> {
  await expect(page.locator(PLUGIN_DOM).first()).toBeAttached();
  const results = await new AxeBuilder({ page }).include(PLUGIN_DOM).analyze();
  const least = IMPACTS.indexOf(bar.failOn ?? 'serious');
  const serious = results.violations.filter(
    violation => IMPACTS.indexOf(violation.impact as AxeImpact) >= least,
  );
  if (results.violations.length) {
    await testInfo.attach(`axe ${state}.json`, {
      body: JSON.stringify(results.violations, null, 2),
      contentType: 'application/json',
    });
  }
  expect(
    serious.map(
      violation =>
        `${violation.impact} ${violation.id}: ${
          violation.help
        } — ${violation.nodes
          .slice(0, 5)
          .map(node => node.target.join(' '))
          .join(', ')}`,
    ),
    `accessibility violations in the state "${state}"`,
  ).toEqual([]);
}

/**
 * How far the page, the plugin's part of it, or anything inside that scrolls sideways
 * (a table in its own scrolling box hides columns just the same): 0 when it all fits.
 */
export async function horizontalOverflow(page: Page): Promise<number> {
  return page.evaluate(selector => {
    const root = document.documentElement;
    let overflow = root.scrollWidth - root.clientWidth;
    document.querySelectorAll<HTMLElement>(selector).forEach(plugin => {
      [plugin, ...plugin.querySelectorAll<HTMLElement>('*')].forEach(
        element => {
          const style = getComputedStyle(element);
          const scrolls =
            element === plugin ||
            style.overflowX === 'auto' ||
            style.overflowX === 'scroll';
          if (scrolls && element.clientWidth > 0) {
            overflow = Math.max(
              overflow,
              element.scrollWidth - element.clientWidth,
            );
          }
        },
      );
    });
    return overflow;
  }, PLUGIN_DOM);
}

function fileName(state: string, width: number): string {
  return `${state.replace(/[^a-z0-9]+/gi, '-').toLowerCase()}-${width}.png`;
}

/**
 * Checks one state of a page at 1440 and at 1024 px: axe-core at both widths, nothing
 * scrolling sideways at 1024, and a screenshot at each width attached to the results.
 */
export async function checkPageState(
  page: Page,
  testInfo: TestInfo,
  state: string,
  bar: AccessibilityBar = {},
): Promise<void> {
  for (const size of [WIDE, NARROW]) {
    await page.setViewportSize(size);
    // Let the layout settle at the new width (transitions, resize observers).
    await page.waitForTimeout(300);
    await expectNoSeriousViolations(
      page,
      testInfo,
      `${state} at ${size.width}px`,
      bar,
    );
    if (size === NARROW) {
      expect(
        await horizontalOverflow(page),
        `pixels scrolling sideways in the state "${state}" at 1024 px`,
      ).toBeLessThanOrEqual(0);
    }
    const path = testInfo.outputPath(fileName(state, size.width));
    await page.screenshot({ path, fullPage: true });
    await testInfo.attach(`${state} at ${size.width}px`, {
      path,
      contentType: 'image/png',
    });
  }
  await page.setViewportSize(WIDE);
}

/**
 * Collects what the page's live regions say from now on, as a screen reader would hear
 * it: every text a release announcement region takes while it is not hidden from
 * assistive technology.
 */
export async function listenToAnnouncements(page: Page): Promise<void> {
  await page.evaluate(() => {
    const heard: string[] = [];
    (window as any).__announcements = heard;
    const seen = new WeakSet<Node>();
    const watch = () => {
      document
        .querySelectorAll('[data-release-announcements]')
        .forEach(region => {
          if (seen.has(region)) {
            return;
          }
          seen.add(region);
          new MutationObserver(() => {
            const text = region.textContent?.trim();
            // A region inside aria-hidden (the page behind an open drawer) says nothing.
            const audible = !region.closest('[aria-hidden="true"]');
            if (text && audible && heard[heard.length - 1] !== text) {
              heard.push(text);
            }
          }).observe(region, {
            childList: true,
            characterData: true,
            subtree: true,
          });
        });
    };
    watch();
    new MutationObserver(watch).observe(document.body, {
      childList: true,
      subtree: true,
    });
  });
}

/** What has been announced since `listenToAnnouncements`. */
export async function announcements(page: Page): Promise<string[]> {
  return page.evaluate(() => [...((window as any).__announcements ?? [])]);
}
