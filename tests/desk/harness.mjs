// What the browser tests share: Debian's chromium started through puppeteer-core (nothing
// downloaded), and checks counted and written to OUT/NAME.txt at the end.
import puppeteer from 'puppeteer-core';
import { writeFileSync } from 'node:fs';
import path from 'node:path';

export function launch() {
  return puppeteer.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--lang=zh-CN'],
  });
}

// check(cond, what, detail) counts a check; finish(out, file, name) writes the tally and exits.
export function checks() {
  let passed = 0;
  const failures = [];
  const check = (cond, what, detail) => {
    if (cond) passed++;
    else {
      failures.push(what);
      console.log('FAIL', what, detail === undefined ? '' : String(detail).slice(0, 600));
    }
  };
  const finish = (out, file, name) => {
    writeFileSync(path.join(out, file), `${passed} passed, ${failures.length} failed\n${failures.join('\n')}\n`);
    console.log(`${name}: ${passed} passed, ${failures.length} failed`);
    process.exit(failures.length ? 1 : 0);
  };
  return { check, finish };
}
