// The drafter's playground in Debian's chromium (puppeteer-core, no browser downloaded): open
// DS-01's rule file, break an expression and see the lint error at its line in the editor, make
// the rate double and see the cases fail and the money moved over the examples, in Chinese and
// in English; an edit that fails leaves no cases or money of the one before; the file on disk
// unchanged until saved; no console error. Screenshots go to OUT.
//   node playground.test.mjs BASE_URL PACK_DIR OUT_DIR
import { launch, checks } from './harness.mjs';
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const [base, packDir, out] = process.argv.slice(2);
// The line of DS-01's total, which the edits below break: found, not written down, so the file may change.
const totalLine = readFileSync(path.join(packDir, 'ds-01.yaml'), 'utf8').split('\n').findIndex((l) => l.includes('value: sum(amounts)')) + 1;
mkdirSync(out, { recursive: true });
const { check, finish } = checks();

const browser = await launch();
const consoleErrors = [];
const page = await browser.newPage();
page.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(m.text() + ' ' + (m.location()?.url || '')); });
page.on('pageerror', (e) => consoleErrors.push('uncaught ' + e.message));
page.on('requestfailed', (r) => consoleErrors.push(`request failed ${r.url()} ${r.failure()?.errorText}`));
await page.setViewport({ width: 1440, height: 1000 });
const shot = (name) => page.screenshot({ path: path.join(out, name + '.png'), fullPage: true });

const file = path.join(packDir, 'ds-01.yaml');
const saved = readFileSync(file, 'utf8');
let tries = 0;
// Replaces the editor's text as typing would (an input event), then waits for the edit's answer.
async function edit(from, to) {
  tries = Number(await page.$eval('body', (b) => b.dataset.tries || 0));
  await page.evaluate((a, b) => {
    const t = document.querySelector('#text');
    if (!t.value.includes(a)) throw new Error('not in the editor: ' + a);
    t.value = t.value.replace(a, b);
    t.dispatchEvent(new Event('input', { bubbles: true }));
  }, from, to);
  await page.waitForFunction((n) => Number(document.body.dataset.tries || 0) > n && document.body.dataset.state === 'done', {}, tries);
}

await page.goto(base + '/desk/playground.html?pack=dongsheng-2024&file=ds-01.yaml', { waitUntil: 'networkidle0' });
await page.waitForFunction(() => document.body.dataset.ready === 'true' && document.body.dataset.state === 'done');
check(await page.$eval('#file', (s) => s.value) === 'ds-01.yaml', 'the file asked for is open');
check((await page.$eval('#text', (t) => t.value)) === saved, 'the editor holds the saved file');
check((await page.$$('#gutter span')).length === saved.split('\n').length, 'a line number per line');
let cases = await page.$eval('#cases-summary', (e) => [e.className, e.textContent]);
check(cases[0] === 'ok' && /全部 \d+ 个用例通过/.test(cases[1]), 'the saved pack passes its cases', cases);
check((await page.$eval('#diff-summary', (e) => e.textContent)).includes('0 份的结论改变，0 份的金额改变'), 'unchanged: nothing moves');

// 1. A syntax error: listed at its line and column, marked in the gutter and under the word.
await edit('value: sum(amounts)', 'value: sum(amounts');
const lint = await page.$$eval('#lint li.error', (ls) => ls.map((l) => [l.dataset.line, l.dataset.col, l.textContent]));
check(lint.length > 0 && lint[0][0] === String(totalLine) && new RegExp(`第 ${totalLine} 行第 \\d+ 列`).test(lint[0][2]),
  `the lint error at line ${totalLine} with its column`, JSON.stringify(lint));
check(await page.$eval(`#gutter span:nth-child(${totalLine})`, (s) => s.className) === 'error', `line ${totalLine} marked in the gutter`);
const marked = await page.$eval(`#backdrop div[data-line="${totalLine}"]`, (d) => [d.className, d.querySelector('mark')?.textContent,
  d.querySelector('.msg')?.textContent]);
check(marked[0] === 'error' && marked[1] && /此处应为/.test(marked[2]), 'the column underlined and the finding written on its line', marked);
check((await page.$eval('#cases', (e) => e.textContent)).includes('无法加载'), 'no cases run on a pack that does not load');
// Clicking the finding puts the caret on it, the line in view.
await page.click('#lint li.error');
const caretLine = await page.$eval('#text', (t) => t.value.slice(0, t.selectionStart).split('\n').length);
check(caretLine === totalLine, 'clicking the finding moves the caret to its line', caretLine);
await shot('playground-lint-error');

// 2. Fixed, and the rate doubled: cases pinned to 5% fail; the money moved over the examples.
await edit('value: sum(amounts', 'value: sum(amounts)');
await edit('t.contract.amount * rate else 0', 't.contract.amount * rate * 2 else 0');
check((await page.$$('#lint li.error')).length === 0, 'the fix clears the error');
cases = await page.$eval('#cases-summary', (e) => [e.className, e.textContent]);
check(cases[0] === 'bad' && /\d+ 个用例未通过/.test(cases[1]), 'the cases that pin 5% fail', cases);
const summary = await page.$eval('#diff-summary', (e) => e.textContent);
check(/份的金额改变/.test(summary) && !summary.includes('0 份的金额改变'), 'some examples change amount', summary);
const impact = await page.$$eval('#impact tr', (rs) => rs.slice(1).map((r) => [...r.cells].map((c) => c.textContent)));
check(impact.length > 0 && impact.some((r) => /^\+[\d,]+\.\d\d 元$/.test(r[4])), 'the money moved, with separators and 元', JSON.stringify(impact));
check(impact.some((r) => r[0].includes('仍为通过')), 'an amount changed under the same outcome', JSON.stringify(impact));
check(await page.$('#version-warning') !== null, 'the unchanged version number called out');
const frame = await (await page.$('#report')).contentFrame();
await frame.waitForSelector('svg.chart rect');
const report = await frame.$eval('body', (b) => b.innerText);
check(report.includes('金额影响') && report.includes('本次资助合计') && !report.includes('剩余资助额度：'), 'the diff report in its frame', report.slice(0, 400));
await shot('playground-diff');

// 2b. An edit the service cannot be asked about (no connection): the failure alone, not the cases
// and the money of the edit before.
await page.setRequestInterception(true);
const cut = (r) => (r.isInterceptResolutionHandled() ? undefined : r.url().includes('/draft') ? r.abort('failed') : r.continue());
page.on('request', cut);
const failures = consoleErrors.length;
await page.evaluate(() => {
  const t = document.querySelector('#text');
  t.value = t.value.replace('t.contract.amount * rate * 2 else 0', 't.contract.amount * rate * 3 else 0');
  t.dispatchEvent(new Event('input', { bubbles: true }));
});
await page.waitForSelector('#lint p.bad');  // the edit's answer failed: tries is not counted
page.off('request', cut);
await page.setRequestInterception(false);
consoleErrors.splice(failures);  // the request cut off, on purpose
const after = await page.evaluate(() => ({ lint: document.querySelector('#lint').innerText, cases: document.querySelector('#cases').innerText,
  diff: document.querySelector('#diff').innerText, report: !document.querySelector('#report-section').hidden }));
check(after.lint.includes('服务返回错误') && after.cases === '' && after.diff === '' && !after.report,
  'an edit that fails shows the failure alone, not the cases and money of the edit before', JSON.stringify(after).slice(0, 400));
await edit('t.contract.amount * rate * 3 else 0', 't.contract.amount * rate * 2 else 0');

// 3. English.
await page.click('#lang');
await page.waitForFunction(() => document.body.dataset.state === 'done' && document.querySelector('h1').textContent.includes('playground'));
const en = await page.$eval('#diff', (e) => e.innerText);
check(en.includes('Money impact') && /\+[\d,]+\.\d\d yuan/.test(en), 'English words and money', en.slice(0, 400));
await shot('playground-en');
await page.click('#lang');
await page.waitForFunction(() => document.body.dataset.state === 'done' && document.querySelector('h1').textContent.includes('试验场'));

// 4. Nothing written; "back to saved" restores the saved text.
check(readFileSync(file, 'utf8') === saved, 'the file on disk is unchanged');
check(await page.$eval('#save', (b) => b.disabled), 'saving needs the confirmation first');
await page.click('#revert');
await page.waitForFunction(() => document.body.dataset.state === 'done' && document.querySelector('#cases-summary')?.className === 'ok');
check((await page.$eval('#text', (t) => t.value)) === saved, 'back to the saved text');

check(consoleErrors.length === 0, 'no console error', consoleErrors.join('\n'));
await browser.close();
finish(out, 'playground-result.txt', 'playground page');
