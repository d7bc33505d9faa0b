import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { DEMO_TOKENS } from '@risk/registry';
import { startRegistry, type Harness } from './registry-test-harness';

jest.setTimeout(120_000);

const SHOTS = join(__dirname, '../../../artifacts/registry-ui');
const token = (p: string): string => DEMO_TOKENS.find((t) => t.principal === p)?.token ?? '';

let h: Harness;
let browser: Browser;

beforeAll(async () => {
  await mkdir(SHOTS, { recursive: true });
  h = await startRegistry('ui', { REGISTRY_SEED_DEMO: 'true' });
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
});
afterAll(async () => {
  await browser?.close();
  await h?.close();
});

async function login(page: Page, who: string): Promise<void> {
  await page.goto(`${h.baseUrl}/ui`);
  await page.getByTestId('token-input').fill(token(who));
  await page.getByTestId('login-button').click();
  await page.getByTestId('who').filter({ hasText: who }).waitFor();
  await page.getByTestId('compare-table').waitFor();
}

async function confirmDialog(page: Page): Promise<void> {
  await page.getByTestId('dialog-confirm').click();
  await page.getByTestId('dialog').waitFor({ state: 'hidden' });
}

describe('registry UI in headless Chromium', () => {
  it('release managers compare, request, approve (four eyes), promote and see the audit entry', async () => {
    const page = await browser.newPage({ viewport: { width: 1360, height: 1000 } });
    const consoleErrors: string[] = [];
    page.on('console', (m) => m.type() === 'error' && consoleErrors.push(m.text()));

    // A wrong token is refused with a clear message.
    await page.goto(`${h.baseUrl}/ui`);
    await page.getByTestId('token-input').fill('definitely-not-a-token');
    await page.getByTestId('login-button').click();
    await page.getByText('That token was not accepted (INVALID_TOKEN).').waitFor();

    // rita (release manager) signs in; v1 vs v2 are compared with curves and segment bars.
    await login(page, 'rita');
    await page.locator('svg[data-chart="roc"] path').first().waitFor();
    expect(await page.locator('svg[data-chart="roc"] path').count()).toBe(2);
    expect(await page.locator('svg[data-chart="pr"] path').count()).toBe(2);
    expect(await page.locator('svg[data-chart="segments"] rect').count()).toBe(10);
    expect(await page.getByTestId('compare-table').innerText()).toContain('auc');
    await expect(page.getByTestId('region-eu').innerText()).resolves.toContain('v1');
    await page.screenshot({ path: join(SHOTS, '01-compare.png'), fullPage: true });

    // rita requests production for v2 in eu.
    await page.getByTestId('request-v2').click();
    await page.getByTestId('f-region').selectOption('eu');
    await page.getByTestId('f-target').selectOption('production');
    await page.getByTestId('f-reason').fill('v2 beats v1 on AUC and every segment');
    await page.screenshot({ path: join(SHOTS, '02-request-dialog.png') });
    await confirmDialog(page);
    const row = page.getByTestId('request-row').filter({ hasText: 'pending' });
    await row.waitFor();
    // Four eyes: she cannot approve her own request — no button, a hint instead.
    expect(await row.locator('button').count()).toBe(0);
    expect(await row.innerText()).toContain('awaiting another release manager');
    // She schedules a peak-event freeze for apac; the region shows it at once.
    await page.getByTestId('freeze-new').click();
    await page.locator('#f-name').fill('Singles Day');
    await page.locator('.f-region[value="apac"]').check();
    await page.locator('#f-reason').fill('peak traffic in apac');
    await confirmDialog(page);
    await page.getByTestId('region-apac').getByText('frozen: Singles Day').waitFor();
    expect(await page.getByTestId('freezes').innerText()).toMatch(/Singles Day\s+active[\s\S]*apac/);
    expect(await page.getByTestId('region-eu').innerText()).not.toContain('frozen');
    await page.locator('#logout').click();

    // rob approves, then promotes.
    await login(page, 'rob');
    const pendingRow = page.getByTestId('request-row').filter({ hasText: 'pending' });
    await pendingRow.getByRole('button', { name: 'Approve' }).click();
    await page.getByTestId('f-comment').fill('Metrics reviewed');
    await confirmDialog(page);
    const approvedRow = page.getByTestId('request-row').filter({ hasText: 'approved' });
    await approvedRow.getByRole('button', { name: 'Promote' }).click();
    expect(await page.getByTestId('dialog').innerText()).toContain('This replaces v1 as production in eu');
    await page.screenshot({ path: join(SHOTS, '03-promote-confirm.png') });
    await confirmDialog(page);
    await page.getByText('v2 is now production in eu.').waitFor();
    await expect(page.getByTestId('region-eu').innerText()).resolves.toMatch(/Production\s*v2/);
    await expect(page.getByTestId('region-us').innerText()).resolves.toMatch(/Production\s*v1/);

    // The audit trail shows who did it.
    const audit = page.getByTestId('audit-row').filter({ hasText: 'production (promote)' }).first();
    await audit.waitFor();
    expect(await audit.innerText()).toMatch(/rob[\s\S]*stage\.changed[\s\S]*eu[\s\S]*v2: candidate → production/);
    expect(await page.getByTestId('audit-row').filter({ hasText: 'promotion.approved' }).first().innerText()).toContain('rob');
    await page.getByTestId('audit').scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SHOTS, '04-after-promotion.png'), fullPage: true });

    // The canary controller's timeline steps show up for everyone.
    const v2 = (await h.call('GET', '/api/v1/models/checkout-fraud', token('controller'))).body.versions.find((v: { version: number }) => v.version === 2);
    const step = await h.call('POST', `/api/v1/versions/${v2.id}/rollout-steps`, token('controller'), { region: 'us', step: 'canary-5', trafficPercent: 5, status: 'passed' });
    expect(step.status).toBe(201);

    // A viewer sees everything but no mutation buttons.
    await page.locator('#logout').click();
    await login(page, 'victor');
    expect(await page.getByTestId('timeline').innerText()).toMatch(/v2\s+us\s+canary-5\s+5%\s+passed\s+controller/);
    expect(await page.locator('button[data-action]').count()).toBe(0);
    await page.screenshot({ path: join(SHOTS, '05-viewer.png'), fullPage: true });
    expect(consoleErrors.filter((e) => !e.includes('401'))).toEqual([]);
    await page.close();
  });
});
