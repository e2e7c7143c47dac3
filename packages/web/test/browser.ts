/**
 * Debian's Chromium driven by playwright-core (never a downloaded browser), headless, with
 * background networking off so the browser talks to nothing but the test's loopback server.
 * axe-core checks each screen; screenshots go to packages/web/screenshots/.
 */
import AxeBuilder from '@axe-core/playwright';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { chromium } from 'playwright-core';
import { WEB_ROOT } from '../scripts/console-build.ts';
import { PASSWORD } from './console-server.ts';

export const CHROMIUM = '/usr/bin/chromium';
export const chromiumAvailable = existsSync(CHROMIUM);
export const SCREENSHOTS = join(WEB_ROOT, 'screenshots');

/** How long a test waits for a control before it fails. */
export const UI_TIMEOUT = 15_000;

/** Signs `email` in on `page` through the sign-in screen and waits for the overview. */
export async function signIn(page: Page, url: string, email: string): Promise<void> {
  await page.goto(`${url}/sign-in`);
  await page.getByLabel('Email').fill(email);
  await page.getByRole('textbox', { name: 'Password' }).fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('table', { name: 'Tenants' }).waitFor();
}

/** A page in a fresh context (its own cookies), desktop-sized, motion reduced, signed in. */
export async function signedInPage(browser: Browser, url: string, email: string): Promise<Page> {
  const context = await browser.newContext({
    viewport: { width: 1280, height: 800 },
    reducedMotion: 'reduce',
  });
  context.setDefaultTimeout(UI_TIMEOUT);
  const page = await context.newPage();
  await signIn(page, url, email);
  return page;
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-default-apps',
      '--disable-extensions',
    ],
  });
}

export interface AxeFinding {
  readonly id: string;
  readonly impact: string | null | undefined;
  readonly help: string;
  readonly targets: readonly string[];
}

/**
 * What axe reads must be the screen at rest: a drawer's overlay fading in or a button's pressed
 * colour mid-transition measures as a contrast failure that no one sees (it came and went with
 * the machine's load). Transitions and animations are switched off, the pointer moved off any
 * control, and two frames let the page settle before the check.
 */
async function settle(page: Page): Promise<void> {
  await page.addStyleTag({
    content: '*, *::before, *::after { transition: none !important; animation: none !important; }',
  });
  await page.mouse.move(0, 0);
  await page.evaluate(
    () =>
      new Promise<void>((resolve) =>
        requestAnimationFrame(() => requestAnimationFrame(() => resolve())),
      ),
  );
}

/** Serious and critical accessibility violations on the page as it is now, at rest. */
export async function seriousViolations(page: Page): Promise<AxeFinding[]> {
  await settle(page);
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      targets: v.nodes
        .slice(0, 5)
        .map((n) => `${n.target.join(' ')} ${n.html.slice(0, 160)} ${n.failureSummary ?? ''}`),
    }));
}

/** A small PNG of the viewport (what a person sees first), kept for the README. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const path = join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path, fullPage: false });
  return path;
}
