import { snap } from '../fixtures/screenshots';
import { expect, startFromUi, test } from '../fixtures/web-host';

test('the built-in client sends bytes: hex in, hex echoed, \\xNN in the transcript, bad input flagged', async ({
  page,
  webHost,
}, testInfo) => {
  await startFromUi(page, webHost, 'handled');
  await page.getByTestId('tab-clients').click();
  await page.getByTestId('client-open').click();
  const client = page.getByTestId('client-row').first();
  await expect(client).toBeVisible();

  await page.getByTestId('client-notation-hex').click();
  await expect(page.getByTestId('client-notation-hex')).toHaveAttribute('aria-pressed', 'true');
  const input = client.getByTestId('client-input');
  await input.fill('de ad bx ef');
  await expect(client.getByTestId('client-input-error')).toHaveText(
    'Character 8: "x" is not a hex digit (0-9, a-f)',
  );
  await expect(input).toHaveAttribute('aria-invalid', 'true');
  await expect(client.getByTestId('client-send')).toBeDisabled();
  await snap(page, testInfo, 'client-hex-invalid');

  await input.fill('de ad be ef 0a');
  await expect(client.getByTestId('client-input-error')).toHaveCount(0);
  await client.getByTestId('client-send').click();
  await expect(client.getByTestId('client-received')).toHaveText('5 B');
  await expect(client.getByTestId('client-sent')).toHaveText('5 B');
  await expect(client.getByTestId('client-last-echo')).toHaveText('de ad be ef 0a');
  await expect(client.getByTestId('client-last-sent')).toHaveText('hex de ad be ef 0a');
  await expect(input).toHaveValue('');

  // The server task's transcript shows the same bytes, non-printables as \xNN (not replacement marks).
  await client.getByTestId('client-task-link').click();
  const received = page.getByTestId('transcript-entry').filter({ hasText: '← received' }).first();
  await expect(received.getByTestId('transcript-text')).toHaveText('\\xde\\xad\\xbe\\xef\\n');
  await expect(received.getByTestId('transcript-hex')).toHaveText('de ad be ef 0a');
  await received.scrollIntoViewIfNeeded();
  await snap(page, testInfo, 'client-hex-sent');

  // Text notation: the same echo reads as escapes; escapes in typed text are bytes, a newline is added.
  await page.getByTestId('client-notation-text').click();
  await expect(client.getByTestId('client-last-echo')).toHaveText('\\xde\\xad\\xbe\\xef\\n');
  await input.fill('a\\q');
  await expect(client.getByTestId('client-input-error')).toContainText('Character 2: \\q is not an escape');
  await input.fill('caf\\xc3\\xa9 \\x00');
  await client.getByTestId('client-send').click();
  await expect(client.getByTestId('client-received')).toHaveText('13 B');
  await expect(client.getByTestId('client-last-echo')).toHaveText('café \\x00\\n');
  await expect(client.getByTestId('client-last-sent')).toHaveText('caf\\xc3\\xa9 \\x00\\n');
});
