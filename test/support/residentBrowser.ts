import type { Page } from 'playwright-core';

/** A resident's steps in a real browser with JavaScript's help declined: fill, click, follow. */

export async function startDraft(page: Page, base: string, language: string): Promise<void> {
  await page.goto(`${base}/complaint?lang=${language}`);
  await Promise.all([page.waitForURL(/\/complaint\/what$/), page.click('form[action="/complaint/start"] button')]);
}

/** USWDS draws its own radios and checkboxes: the input is hidden and its label takes the click. */
const tick = async (page: Page, input: string) => {
  const id = await page.getAttribute(input, 'id');
  await page.click(`label[for="${id}"]`);
};

const proceed = async (page: Page) => {
  await Promise.all([page.waitForNavigation(), page.click('button[value="continue"], button[value="submit"]')]);
};

/**
 * Files a complaint through every page and returns the receipt's codes: anonymous, or by someone
 * who gives their name and email address.
 */
export async function fileComplaint(
  page: Page,
  base: string,
  language: string,
  named?: { name: string; email: string },
) {
  await startDraft(page, base, language);
  await page.fill('#field-narrative', 'The officer shouted at me.');
  await proceed(page); // what
  await proceed(page); // when-where
  await proceed(page); // officers
  await proceed(page); // kind
  await proceed(page); // witnesses
  await proceed(page); // evidence
  await tick(page, `input[name="filing"][value="${named ? 'self' : 'anonymous'}"]`);
  if (named) {
    await page.fill('#field-name', named.name);
    await page.fill('#field-email', named.email);
  }
  await proceed(page); // about-you
  await proceed(page); // demographics
  await tick(page, 'input[name="consent"]');
  await tick(page, 'input[name="truthful"]');
  await proceed(page); // check
  return {
    trackingNumber: (await page.textContent('#tracking-number'))!.trim(),
    accessCode: (await page.textContent('#access-code'))!.trim(),
  };
}

/**
 * Files a complaint (through the API: the form's own walk is the receipt's test), then opens it
 * with its codes in the browser, which then holds the case pass.
 */
export async function openOwnCase(page: Page, base: string, language: string): Promise<void> {
  const filed = await page.request.post(`${base}/api/v1/complaints`, {
    data: {
      language,
      narrative: 'The officer shouted at me.',
      about: { filing: 'self', name: 'Browser Resident', email: 'browser@example.com', preferredContact: 'email' },
      consent: true,
      truthful: true,
    },
  });
  const codes = (await filed.json()) as { trackingNumber: string; accessCode: string };
  await page.goto(`${base}/status?lang=${language}`);
  await page.fill('#field-trackingNumber', codes.trackingNumber);
  await page.fill('#field-accessCode', codes.accessCode);
  await Promise.all([page.waitForNavigation(), page.click('main form button[type="submit"]')]);
}
