// Drives the lab studio in real Chromium for LabStudioBrowserTest, as a student would: step the
// handshake lab, answer one prediction right and one wrong, step it to the end and save the run
// to a folder; start again, drop a segment, press ABORT on A, step on and download the capture
// and the report.
// Prints what it saw as key=value lines; the Java test checks the files against `lab run`.
//
// node studio-test.mjs URL CHROMIUM OUT_DIR SCREENSHOT PASSES_BEFORE_DROP
import { chromium } from 'playwright-core';

const [url, executable, outDir, screenshot, passesText] = process.argv.slice(2);
const passesBeforeDrop = Number(passesText);
const MAX_STEPS = 300;
const errors = [];

function say(key, value) {
  process.stdout.write(key + '=' + String(value).replace(/\n/g, ' ') + '\n');
}

const browser = await chromium.launch({ executablePath: executable, headless: true, timeout: 60000,
  args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
try {
  const context = await browser.newContext({ viewport: { width: 1400, height: 1200 }, acceptDownloads: true });
  const page = await context.newPage();
  page.setDefaultTimeout(30000);
  page.on('pageerror', e => errors.push('page error: ' + e.message));
  page.on('console', m => { if (m.type() === 'error') errors.push('console: ' + m.text()); });

  const state = () => page.evaluate(() => {
    const s = window.studio.state;
    return s ? { session: s.session, phase: s.phase, steps: s.steps, pending: s.pending } : null;
  });
  const settled = () => page.waitForFunction(() => window.studio && window.studio.state && !window.studio.busy);

  async function click(selector) {
    const before = await state();
    await page.click(selector);
    await page.waitForFunction(steps => window.studio.state.steps > steps && !window.studio.busy, before.steps);
  }

  async function stepToEnd() {
    for (let i = 0; i < MAX_STEPS && (await state()).phase !== 'FINISHED'; i++) {
      await click('#step-pass');
    }
    return (await state()).phase;
  }

  await page.goto(url);
  await settled();
  say('title', await page.title());
  say('phase.start', (await state()).phase);

  // ---- run 1: predictions, then unchanged to the end, saved to a folder ----
  await click('#step-pass');
  say('pending.1', (await state()).pending.summary);
  await page.check('#predict-toggle');
  say('pass.disabled.while.predicting', await page.isDisabled('#step-pass'));
  say('prompt', await page.textContent('#predict-prompt'));
  await page.click('#state-syn-received'); // B's answer to A's SYN: SYN_RCVD (right)
  await page.waitForFunction(() => !window.studio.busy && document.querySelector('#state-syn-received.chosen'));
  await click('#step-pass');
  await page.waitForSelector('#predict-result.right');
  say('verdict.1', await page.textContent('#predict-result'));
  await page.waitForTimeout(800); // let the edges light up one after the other before the picture
  await page.screenshot({ path: screenshot });
  await page.click('#state-listen'); // A's answer to B's SYN+ACK is ESTABLISHED, not LISTEN (wrong)
  await page.waitForFunction(() => !window.studio.busy && document.querySelector('#state-listen.chosen'));
  await click('#step-pass');
  await page.waitForSelector('#predict-result.wrong');
  say('verdict.2', await page.textContent('#predict-result'));
  await page.uncheck('#predict-toggle');
  say('score.right', await page.getAttribute('#score', 'data-right'));
  say('score.wrong', await page.getAttribute('#score', 'data-wrong'));
  say('score.text', await page.textContent('#score'));
  say('phase.run1', await stepToEnd());
  say('result.run1', await page.textContent('#result'));
  await page.fill('#save-dir', outDir + '/unchanged');
  await page.click('#save');
  await page.waitForFunction(() => document.getElementById('save-result').textContent.includes('.pcapng'));
  say('saved.run1', await page.textContent('#save-result'));
  const firstSession = (await state()).session;

  // ---- run 2: the same lab again, one segment dropped, downloaded ----
  await page.click('#new');
  await page.waitForFunction(first => window.studio.state && window.studio.state.session !== first && !window.studio.busy, firstSession);
  say('phase.run2', (await state()).phase);
  for (let i = 0; i < passesBeforeDrop; i++) {
    await click('#step-pass');
  }
  say('dropped', (await state()).pending.summary);
  await click('#step-drop');
  say('unplanned.after.drop', await page.locator('li.unplanned').count());
  say('pending.after.drop', (await state()).pending.summary);
  await page.click('#command-A-ABORT'); // A aborts while B's SYN+ACK comes again: not in the lab's plan
  await page.waitForFunction(() => !window.studio.busy && document.getElementById('notices').textContent.includes('ABORT'));
  say('notice.abort', await page.textContent('#notices'));
  say('phase.run2.end', await stepToEnd());
  say('unplanned.run2', await page.locator('li.unplanned').count());
  say('result.run2', await page.textContent('#result'));
  for (const [link, file] of [['#download-pcap', 'handshake.pcapng'], ['#download-report', 'handshake.html']]) {
    const [download] = await Promise.all([page.waitForEvent('download'), page.click(link)]);
    say('download.' + file, download.suggestedFilename());
    await download.saveAs(outDir + '/dropped/' + file);
  }
  await context.close();
} catch (e) {
  errors.push('driver: ' + (e && e.stack ? e.stack : e));
} finally {
  await browser.close();
}
say('errors', errors.length);
errors.forEach((e, i) => say('error.' + i, e));
