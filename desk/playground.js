// The drafter's playground: open a rule file of a pack, edit it, and see at once what the edit
// does — lint findings at their line:col, the pack's cases rerun, and the decisions over the
// pack's examples compared with the saved version (changed outcomes, money moved). Nothing is
// written until the drafter confirms and saves. Routes: docs/api.md (playground).
'use strict';

const WORDS = {
  zh: {
    title: 'rulebook 规则试验场', nav_desk: '审查台', nav_playground: '规则试验场', pack: '规则包', file: '规则文件',
    intro: '打开规则包的规则文件并修改：每次修改都会检查（lint）、重跑规则包的测试用例，并在示例申请上与已保存的版本比较结论和金额。不会写入磁盘，除非勾选确认并点“保存到磁盘”。',
    try: '试运行', revert: '还原为已保存', confirm_save: '确认将修改写入磁盘（仅限本机）', save: '保存到磁盘',
    lint: '检查结果', cases: '测试用例', diff: '与已保存版本比较（示例申请）', report: '比较报告',
    running: '正在试运行……', done: '已试运行（未保存）', unchanged: '与已保存的文件相同', edited: '已修改，未保存',
    no_findings: '没有发现问题。', error: '错误', warning: '警告', line_col: '第 {line} 行第 {col} 列', line: '第 {line} 行',
    not_loaded: '修改后的规则包无法加载，测试用例与比较未运行。',
    cases_all: '全部 {n} 个用例通过。', cases_some: '{failed} 个用例未通过（共 {n} 个）：', case_problem: '问题',
    no_examples: '此规则包没有示例申请，无法比较。',
    diff_head: '{n} 份示例申请（判定日期 {as_of}）：{changed} 份的结论改变，{moved} 份的金额改变。',
    same_version: '内容已改变，版本号仍为 {v}：保存发布前请提升版本号。',
    impact: '金额影响（按发放资金的规则的结论变化）', change: '规则与结论变化', outcome_change: '结论变化', count: '份数', base: '原金额', head: '新金额', difference: '差额',
    still: '仍为{o}（金额改变）', totals: '金额合计', rule: '规则', output: '输出', outcomes: '结论改变', whole: '整份申请',
    applications: '申请', none: '（无）', yuan: '元',
    saved: '已保存 {file} 并重新加载规则包（版本 {v}）。', save_failed: '未保存：', reload_failed: '已写入，但重新加载失败：',
    server_error: '服务返回错误：', lang_switch: 'English',
    outcome: { pass: '通过', fail: '不通过', needs_info: '需补充材料', not_applicable: '不适用', error: '错误' },
  },
  en: {
    title: 'rulebook playground', nav_desk: 'Review desk', nav_playground: 'Playground', pack: 'Pack', file: 'Rule file',
    intro: 'Open a rule file of a pack and edit it: each edit is linted, the pack\'s cases rerun, and its decisions over the pack\'s examples compared with the saved version\'s. Nothing is written to disk unless you confirm and press "Save to disk".',
    try: 'Try', revert: 'Back to saved', confirm_save: 'Write the edit to disk (this machine only)', save: 'Save to disk',
    lint: 'Lint', cases: 'Cases', diff: 'Against the saved version (examples)', report: 'Diff report',
    running: 'Trying…', done: 'Tried (not saved)', unchanged: 'Same as the saved file', edited: 'Edited, not saved',
    no_findings: 'No findings.', error: 'error', warning: 'warning', line_col: 'line {line}, col {col}', line: 'line {line}',
    not_loaded: 'The edited pack does not load: cases and the diff did not run.',
    cases_all: 'All {n} cases pass.', cases_some: '{failed} of {n} cases fail:', case_problem: 'problem',
    no_examples: 'This pack has no examples to compare over.',
    diff_head: '{n} examples (as of {as_of}): {changed} change outcome, {moved} change amount.',
    same_version: 'The contents changed but the version is still {v}: raise it before publishing.',
    impact: 'Money impact by change of outcome of the rule that grants it', change: 'rule and outcome change', outcome_change: 'outcome change', count: 'applications', base: 'base',
    head: 'edited', difference: 'difference', still: 'still {o} (amount changed)', totals: 'Totals of the money outputs',
    rule: 'rule', output: 'output', outcomes: 'Outcomes that changed', whole: 'whole application', applications: 'applications',
    none: '(none)', yuan: 'yuan',
    saved: 'Saved {file} and reloaded the pack (version {v}).', save_failed: 'Not saved: ', reload_failed: 'Written, but the reload failed: ',
    server_error: 'The service answered: ', lang_switch: '中文',
    outcome: { pass: 'pass', fail: 'fail', needs_info: 'needs information', not_applicable: 'not applicable', error: 'error' },
  },
};


async function api(method, path, body) {
  const r = await fetch(inLang(path), { method, body: body === undefined ? undefined : JSON.stringify(body),
    headers: body === undefined ? {} : { 'Content-Type': 'application/json' } });
  const payload = await r.json();
  if (!r.ok) throw Object.assign(new Error(payload?.error?.message || String(r.status)), { status: r.status, body: payload });
  return payload;
}

// Money as the engine writes it (exact decimal text), shown with separators, two places and 元;
// rounded half away from zero as the reports round, without passing through a float.
function money(decimal, signed) {
  let s = String(decimal), sign = '';
  if (s.startsWith('-')) { sign = '-'; s = s.slice(1); }
  const [int, frac = ''] = s.split('.');
  let cents = BigInt(int + (frac + '00').slice(0, 2));
  if (frac.length > 2 && frac[2] >= '5') cents += 1n;
  const whole = (cents / 100n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const out = whole + '.' + (cents % 100n).toString().padStart(2, '0') + ' ' + t('yuan');
  if (cents === 0n) return out;
  return (sign || (signed ? '+' : '')) + out;
}
const outcome = (o) => WORDS[lang].outcome[o] || o;

// ── State ──
let packs = [], pack = null, file = null, saved = '', lastResult = null, timer = null, seq = 0;
const area = () => $('#text');

// ── The editor: line numbers and a backdrop marking the lines and columns of findings ──
function findingsHere() {
  return (lastResult?.lint || []).filter((f) => f.file === file && f.line);
}
function paint() {
  const lines = area().value.split('\n');
  const marks = new Map();  // line → {level, cols, message}: errors first, as lint sorts them
  for (const f of findingsHere()) {
    const m = marks.get(f.line) || { level: f.level, cols: [], message: f.message };
    if (f.level === 'error') m.level = 'error';
    if (f.col) m.cols.push(f.col);
    marks.set(f.line, m);
  }
  const gutter = $('#gutter'), backdrop = $('#backdrop');
  gutter.replaceChildren(...lines.map((_, i) => el('span', { class: marks.get(i + 1)?.level || '' }, String(i + 1))));
  backdrop.replaceChildren(...lines.map((line, i) => {
    const m = marks.get(i + 1);
    if (!m) return el('div', {}, line || ' ');
    // The word at the first column named is underlined (columns count characters from 1; one past
    // the end is where something is missing), and the finding is written after the line.
    const chars = [...line], col = Math.min(Math.max(1, Math.min(...(m.cols.length ? m.cols : [1]))), chars.length + 1);
    const rest = chars.slice(col - 1).join('');
    const word = (rest.match(/^\S+/) || [rest.slice(0, 1) || ' '])[0];
    return el('div', { class: m.level, 'data-line': i + 1 }, chars.slice(0, col - 1).join(''), el('mark', {}, word),
      rest.slice(word.length), el('span', { class: 'msg' }, '   ◀ ' + m.message));
  }));
  syncScroll();
  const edited = area().value !== saved;
  $('#state').textContent = edited ? t('edited') : t('unchanged');
}
function syncScroll() {
  $('#gutter').scrollTop = area().scrollTop;
  $('#backdrop').scrollTop = area().scrollTop;
  $('#backdrop').scrollLeft = area().scrollLeft;
}
function goTo(line, col) {
  const lines = area().value.split('\n');
  let pos = 0;
  for (let i = 0; i < line - 1 && i < lines.length; ++i) pos += lines[i].length + 1;
  pos += Math.max(0, (col || 1) - 1);
  area().focus();
  area().setSelectionRange(pos, pos);
  area().scrollTop = Math.max(0, (line - 5) * 20);
  syncScroll();
}

// ── Loading ──
async function loadPacks() {
  packs = (await api('GET', '/packs')).packs;
  const want = new URLSearchParams(location.search).get('pack');
  $('#pack').replaceChildren(...packs.map((p) => el('option', { value: p.id }, text(p.title) + '（' + p.id + ' ' + p.version + '）')));
  if (want && packs.some((p) => p.id === want)) $('#pack').value = want;
  await loadFiles(new URLSearchParams(location.search).get('file'));
}
async function loadFiles(want) {
  pack = $('#pack').value;
  const info = await api('GET', '/packs/' + encodeURIComponent(pack) + '/files');
  $('#file').replaceChildren(...info.files.map((f) => el('option', { value: f.name }, f.name)));
  // A pack's rules are usually beside pack.yaml: open the first rule file unless told otherwise.
  const names = info.files.map((f) => f.name);
  $('#file').value = want && names.includes(want) ? want : names.find((n) => n !== 'pack.yaml') || names[0];
  await loadFile();
}
async function loadFile() {
  file = $('#file').value;
  const r = await api('GET', '/packs/' + encodeURIComponent(pack) + '/files/' + encodeURIComponent(file));
  saved = r.text;
  area().value = saved;
  lastResult = null;
  paint();
  await tryEdit();
}

// ── Trying an edit ──
async function tryEdit() {
  clearTimeout(timer);
  const mine = ++seq;
  $('#state').textContent = t('running');
  document.body.dataset.state = 'running';
  let r;
  try {
    r = await api('POST', '/packs/' + encodeURIComponent(pack) + '/draft?lang=' + lang, { path: file, text: area().value });
  } catch (e) {
    if (mine !== seq) return;
    // Only the failure: the cases and the money of the edit before are not this edit's.
    lastResult = null;
    paint();
    $('#lint').replaceChildren(el('p', { class: 'bad' }, t('server_error') + e.message));
    $('#cases').replaceChildren();
    $('#diff').replaceChildren();
    $('#report-section').hidden = true;
    document.body.dataset.state = 'done';
    return;
  }
  if (mine !== seq) return;  // a later edit is on its way
  lastResult = r;
  showLint(r);
  showCases(r);
  showDiff(r);
  paint();
  $('#state').textContent = area().value === saved ? t('unchanged') : t('done');
  document.body.dataset.state = 'done';
  document.body.dataset.tries = String(Number(document.body.dataset.tries || 0) + 1);
}
function schedule() {
  clearTimeout(timer);
  paint();
  timer = setTimeout(tryEdit, 700);
}

function showLint(r) {
  if (!r.lint.length) return $('#lint').replaceChildren(el('p', { class: 'ok' }, t('no_findings')));
  $('#lint').replaceChildren(el('ul', { class: 'findings' }, r.lint.map((f) => {
    const where = (f.file || '') + (f.line ? ' ' + (f.col ? t('line_col', f) : t('line', f)) : '');
    return el('li', { class: f.level, 'data-line': f.line || '', 'data-col': f.col || '',
      onclick: () => { if (f.file === file && f.line) goTo(f.line, f.col); } },
    el('span', { class: 'lvl' }, t(f.level)), ' ', el('span', { class: 'where' }, where), ' ', f.message, ' ',
    el('span', { class: 'check' }, '[' + f.check + ']'));
  })));
}

function showCases(r) {
  if (!r.cases) return $('#cases').replaceChildren(el('p', { class: 'bad' }, t('not_loaded')));
  const c = r.cases, n = c.passed + c.failed;
  const parts = [el('p', { class: c.failed ? 'bad' : 'ok', id: 'cases-summary' },
    c.failed ? t('cases_some', { failed: c.failed, n }) : t('cases_all', { n }))];
  const failing = c.results.filter((x) => !x.passed);
  if (failing.length)
    parts.push(el('ul', { class: 'findings' }, failing.map((x) => el('li', { class: 'error' },
      el('span', { class: 'where' }, x.file + ':' + x.line), ' ', x.rule, ' ', el('b', {}, x.name), '：', x.problems.join('；')))));
  for (const e of c.errors) parts.push(el('p', { class: 'bad' }, (e.file || '') + (e.line ? ':' + e.line : '') + ' ' + e.message));
  $('#cases').replaceChildren(...parts);
}

function table(head, rows) {
  return el('table', { class: 'list' }, el('tr', {}, head.map((h) => el('th', {}, h))),
    rows.length ? rows : el('tr', {}, el('td', { colspan: head.length, class: 'muted' }, t('none'))));
}
const tone = (d) => (String(d).startsWith('-') ? 'num down' : /^0(\.0*)?$/.test(String(d)) ? 'num' : 'num up');

function showDiff(r) {
  const section = $('#report-section');
  if (!r.diff) {
    section.hidden = true;
    return $('#diff').replaceChildren(el('p', { class: 'muted' }, r.cases ? t('no_examples') : t('not_loaded')));
  }
  const d = r.diff;
  const whole = d.outcome_changes.filter((m) => m.rule === null).reduce((s, m) => s + m.count, 0);
  const moved = d.money_impact.filter((m) => m.from === m.to).reduce((s, m) => s + m.count, 0);
  const parts = [];
  if (d.version_note === 'changed_same_version')
    parts.push(el('p', { class: 'warnbox', id: 'version-warning' }, t('same_version', { v: d.head.split(' ').pop() })));
  parts.push(el('p', { id: 'diff-summary' }, t('diff_head', { n: d.inputs, as_of: d.as_of, changed: whole, moved })));
  parts.push(el('h3', {}, t('impact')));
  parts.push(table([t('change'), t('count'), t('base'), t('head'), t('difference')], d.money_impact.map((m) => el('tr', {},
    el('td', {}, m.rule + (lang === 'zh' ? '：' : ': ') + (m.from === m.to ? t('still', { o: outcome(m.from) }) : outcome(m.from) + ' → ' + outcome(m.to))),
    el('td', { class: 'num' }, String(m.count)), el('td', { class: 'num' }, money(m.base)), el('td', { class: 'num' }, money(m.head)),
    el('td', { class: tone(m.difference) }, money(m.difference, true))))));
  parts[parts.length - 1].id = 'impact';
  if (d.totals.length) {
    parts.push(el('h3', {}, t('totals')));
    parts.push(table([t('rule'), t('output'), t('base'), t('head'), t('difference')], d.totals.map((x) => el('tr', {},
      el('td', {}, x.rule), el('td', {}, x.output), el('td', { class: 'num' }, money(x.base)), el('td', { class: 'num' }, money(x.head)),
      el('td', { class: tone(x.difference) }, money(x.difference, true))))));
  }
  parts.push(el('h3', {}, t('outcomes')));
  const who = (i) => [i.id, i.applicant].filter(Boolean).join(' ') || i.source.split('/').pop();
  parts.push(table([t('rule'), t('outcome_change'), t('count'), t('applications')], d.outcome_changes.map((m) => el('tr', {},
    el('td', {}, m.rule || t('whole')), el('td', {}, outcome(m.from) + ' → ' + outcome(m.to)), el('td', { class: 'num' }, String(m.count)),
    el('td', {}, m.inputs.map(who).join(lang === 'zh' ? '、' : ', '))))));
  parts[parts.length - 1].id = 'outcome-changes';
  $('#diff').replaceChildren(...parts);
  // The whole report, as `rulebook diff --format html` writes it, in a frame of its own.
  const frame = $('#report');
  if (frame.dataset.url) URL.revokeObjectURL(frame.dataset.url);
  frame.dataset.url = URL.createObjectURL(new Blob([r.diff_html], { type: 'text/html' }));
  frame.src = frame.dataset.url;
  section.hidden = false;
}

// ── Saving ──
async function save() {
  $('#save-state').textContent = '';
  try {
    const r = await api('POST', '/packs/' + encodeURIComponent(pack) + '/files/' + encodeURIComponent(file),
      { text: area().value, save: true });
    if (!r.reloaded) {
      $('#save-state').textContent = t('reload_failed') + (r.reload_errors || []).join('；');
      $('#save-state').className = 'bad';
    } else {
      $('#save-state').textContent = t('saved', { file, v: r.version });
      $('#save-state').className = 'ok';
    }
    saved = area().value;
    $('#confirm-save').checked = false;
    $('#save').disabled = true;
    await tryEdit();
  } catch (e) {
    $('#save-state').textContent = t('save_failed') + e.message;
    $('#save-state').className = 'bad';
  }
}

function applyWords() {
  document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
  document.title = t('title');
  for (const e of document.querySelectorAll('[data-t]')) e.textContent = t(e.dataset.t);
  $('#lang').textContent = t('lang_switch');
}

document.addEventListener('DOMContentLoaded', async () => {
  applyWords();
  area().addEventListener('input', schedule);
  area().addEventListener('scroll', syncScroll);
  area().addEventListener('keydown', (e) => {  // Tab indents (YAML wants spaces) instead of leaving the editor
    if (e.key !== 'Tab') return;
    e.preventDefault();
    area().setRangeText('  ', area().selectionStart, area().selectionEnd, 'end');
    schedule();
  });
  $('#pack').addEventListener('change', () => loadFiles());
  $('#file').addEventListener('change', loadFile);
  $('#try').addEventListener('click', tryEdit);
  $('#revert').addEventListener('click', () => { area().value = saved; schedule(); });
  $('#confirm-save').addEventListener('change', () => { $('#save').disabled = !$('#confirm-save').checked; });
  $('#save').addEventListener('click', save);
  $('#lang').addEventListener('click', async () => {
    lang = lang === 'zh' ? 'en' : 'zh';
    localStorage.setItem('desk.lang', lang);
    applyWords();
    await tryEdit();
  });
  try {
    await loadPacks();
  } catch (e) {
    $('#lint').replaceChildren(el('p', { class: 'bad' }, t('server_error') + e.message));
  }
  document.body.dataset.ready = 'true';
});
