// The review desk: a reviewer picks a plan and a review date, fills the application (a form made
// from the pack's subject schema, its labels and rules) or uploads a file, reads the decision as
// the report a reviewer signs, saves it to the ledger under their name, and looks decisions up.
// No framework and nothing fetched from elsewhere: the routes it calls are in docs/api.md.
'use strict';

const WORDS = {
  zh: {
    app_title: 'rulebook 审查台',
    nav_review: '审查',
    nav_ledger: '台账',
    nav_playground: '规则试验场',
    reviewer: '审查人',
    plan: '政策方案',
    as_of: '评估日期',
    tab_form: '填写申请',
    tab_upload: '上传文件',
    form_hint: '按申请材料填写；未填写的项视为未知，结论会列出需补充的材料。',
    preview: '查看结论',
    save: '保存到台账',
    print: '打印',
    clear: '清空表单',
    upload_hint:
        '上传一份 JSON 申请，或一张表格（xlsx 或 CSV，每行一笔交易，按申请编号归为一份申请）。按本方案的表格模板填写的表格无需列映射；其他表格请附列映射（YAML）。',
    upload_file: '申请文件',
    upload_mapping: '列映射（可选）',
    template: '下载本方案的表格模板（CSV）',
    template_file: '{pack}-表格模板.csv',
    no_template: '本方案没有表格模板，请上传 JSON 申请。',
    upload_go: '读取并判定',
    upload_save: '全部保存到台账',
    verdict: '结论',
    search: '查找',
    search_go: '查找',
    search_hint: '申请人名称、统一社会信用代码或申请编号',
    outcome: {pass: '通过', fail: '不通过', needs_info: '需补充材料', not_applicable: '不适用', error: '错误'},
    yes: '是',
    no: '否',
    unset: '（未填）',
    none_of_these: '以上均无',
    add_item: '添加',
    remove_item: '删除',
    required: '必填',
    need_number: '请填写数字，如 3000000 或 3,000,000.00',
    need_integer: '请填写整数',
    need_date: '请填写日期，如 2024-05-20',
    at_least: '不能小于 {n}',
    at_most: '不能大于 {n}',
    not_empty: '不能为空',
    pattern: '格式不符',
    fix_first: '请先改正标出的 {n} 处错误。',
    need_reviewer: '保存前请填写审查人姓名。',
    saved: '已保存到台账，记录编号 {id}',
    supersedes: '；取代此前的记录 {id}',
    previewed: '预览，尚未保存',
    loading: '正在判定……',
    no_records: '台账中没有符合的记录。',
    server_error: '服务返回错误：',
    network_error: '无法连接服务，请检查网络后重试。',
    timeout: '服务 {s} 秒内没有答复，请稍后重试。',
    col_time: '记录时间',
    col_applicant: '申请人',
    col_code: '统一社会信用代码',
    col_app: '申请编号',
    col_pack: '规则包',
    col_as_of: '评估日期',
    col_outcome: '结论',
    col_reviewer: '审查人',
    col_state: '状态',
    col_row: '行',
    col_rules: '各条款',
    current: '现行',
    superseded: '已被取代',
    open: '查看',
    record: '台账记录',
    superseded_by: '已被此记录取代',
    replaces: '取代了',
    hash: '内容哈希',
    rule: '条款',
    failed: '未满足',
    missing: '需补充',
    print_record: '打印',
    why_no_input: '此记录写入时台账尚未保存申请内容，因此只能显示判定摘要，无法重现完整报告。',
    why_pack_changed: '规则包自此记录作出后已更改（内容哈希不同），因此显示的是当时保存的判定，而非重新生成的报告。',
    why_decision_differs: '以当前程序重新判定所存申请，结果与当时记录的判定不同，因此显示的是当时保存的判定。',
    found: '共 {n} 条记录',
    no_mapping: '本方案没有表格模板：表格需要列映射文件（YAML）。',
    no_file: '请选择文件。',
    sheet_read: '{file}：{n} 份申请',
    invalid: '无法判定',
    saved_all: '已保存 {n} 份决定到台账。',
    not_json: '{file} 不是有效的 JSON：',
    at: '第 {line} 行第 {col} 列，',
    section_empty: '（未填写）',
    item: '第{n}项',
    lang_switch: 'English',
    add_year: '添加年份',
    year_hint: '年份，如 {y}',
    bad_year: '请填写四位数的年份',
    add_key: '添加',
    key_hint: '名称',
    bad_key: '名称格式不符',
    filled: '已填 {n} 项',
    kept: '表单中没有这些项，按所给内容原样提交：',
    unread: '其他字段（规则未读取）',
    unread_help: '本方案的规则不读取这些字段，填写与否不影响判定；如需记录，仍可填写并随申请提交。',
    not_taken: '表单无法显示文件中的以下内容：{paths}。本次判定按文件原样提交；在表单中修改后再判定，将不含这些内容。',
    held_choice: '{v}（文件所填，不是可选项）',
    not_a_choice: '文件所填的值不是可选项，请改选',
    open_record: '查看记录 {id}',
  },
  en: {
    app_title: 'rulebook review desk',
    nav_review: 'Review',
    nav_ledger: 'Ledger',
    nav_playground: 'Playground',
    reviewer: 'Reviewer',
    plan: 'Plan',
    as_of: 'Review date',
    tab_form: 'Fill in',
    tab_upload: 'Upload',
    form_hint: 'Fill in from the application; what is left empty is unknown, and the decision lists what to ask for.',
    preview: 'See the decision',
    save: 'Save to the ledger',
    print: 'Print',
    clear: 'Clear the form',
    upload_hint:
        'Upload a JSON application, or a sheet (xlsx or CSV, one row per transaction, grouped into applications by their id). A sheet filled in from the plan\'s template needs no mapping; any other sheet needs its column mapping (YAML).',
    upload_file: 'Application file',
    upload_mapping: 'Column mapping (optional)',
    template: 'Download the plan\'s sheet template (CSV)',
    template_file: '{pack}-template.csv',
    no_template: 'This plan has no sheet template: upload JSON applications.',
    upload_go: 'Read and decide',
    upload_save: 'Save all to the ledger',
    verdict: 'Result',
    search: 'Find',
    search_go: 'Find',
    search_hint: 'applicant name, credit code or application id',
    outcome:
        {pass: 'pass', fail: 'fail', needs_info: 'needs information', not_applicable: 'not applicable', error: 'error'},
    yes: 'yes',
    no: 'no',
    unset: '(not given)',
    none_of_these: 'none of these',
    add_item: 'Add',
    remove_item: 'Remove',
    required: 'required',
    need_number: 'a number, such as 3000000 or 3,000,000.00',
    need_integer: 'a whole number',
    need_date: 'a date such as 2024-05-20',
    at_least: 'at least {n}',
    at_most: 'at most {n}',
    not_empty: 'must not be empty',
    pattern: 'not in the expected form',
    fix_first: 'Correct the {n} marked fields first.',
    need_reviewer: 'Enter the reviewer\'s name before saving.',
    saved: 'Saved to the ledger as record {id}',
    supersedes: '; it supersedes record {id}',
    previewed: 'preview, not saved',
    loading: 'Deciding…',
    no_records: 'No record in the ledger matches.',
    server_error: 'The service answered: ',
    network_error: 'The service could not be reached: check the network and try again.',
    timeout: 'The service did not answer within {s} seconds: try again later.',
    col_time: 'recorded',
    col_applicant: 'applicant',
    col_code: 'credit code',
    col_app: 'application',
    col_pack: 'pack',
    col_as_of: 'review date',
    col_outcome: 'result',
    col_reviewer: 'reviewer',
    col_state: 'state',
    col_row: 'row',
    col_rules: 'rules',
    current: 'current',
    superseded: 'superseded',
    open: 'Open',
    record: 'Ledger record',
    superseded_by: 'superseded by',
    replaces: 'supersedes',
    hash: 'content hash',
    rule: 'rule',
    failed: 'not met',
    missing: 'to supply',
    print_record: 'Print',
    why_no_input:
        'This record was written before the ledger kept the application itself: only a summary of its decision can be shown, not the full report.',
    why_pack_changed:
        'The pack has changed since this decision (another content hash): shown is the decision as it was stored, not a report made again.',
    why_decision_differs:
        'Deciding the stored application again gives another decision than the one recorded: shown is the decision as it was stored.',
    found: '{n} records',
    no_mapping: 'This plan has no sheet template: a sheet needs its column mapping (YAML).',
    no_file: 'Choose a file.',
    sheet_read: '{file}: {n} applications',
    invalid: 'not decided',
    saved_all: '{n} decisions saved to the ledger.',
    not_json: '{file} is not valid JSON: ',
    at: 'line {line}, column {col}: ',
    section_empty: '(empty)',
    item: 'item {n}',
    lang_switch: '中文',
    add_year: 'Add a year',
    year_hint: 'a year, such as {y}',
    bad_year: 'a year of four digits',
    add_key: 'Add',
    key_hint: 'name',
    bad_key: 'not in the expected form',
    filled: '{n} given',
    kept: 'Not in the form, sent as given: ',
    unread: 'Other fields (not read by the rules)',
    unread_help:
        'The plan\'s rules do not read these fields: they change no decision. They may still be filled and are sent with the application.',
    not_taken:
        'The form cannot show this part of the file: {paths}. This decision is on the file as it is; decided again after an edit in the form, it would be without it.',
    held_choice: '{v} (as the file gives it; not a choice)',
    not_a_choice: 'the file\'s value is not one of the choices: choose one',
    open_record: 'Open record {id}',
  },
};


// ── The server ──
// How long a request may take before the reviewer is told the service did not answer.
let requestTimeoutMs = 120000;
// A request that fails without an answer (no connection, no answer in time) throws an error with
// no status, worded for the reviewer.
async function api(method, path, body, headers) {
  let r, payload;
  try {
    r = await fetch(inLang(path), { method, body, headers: headers || {}, signal: AbortSignal.timeout(requestTimeoutMs) });
    const type = r.headers.get('Content-Type') || '';
    payload = type.includes('json') ? await r.json() : await r.text();
  } catch (e) {
    if (e.name === 'TimeoutError') throw new Error(t('timeout', { s: Math.round(requestTimeoutMs / 1000) }));
    if (e.name === 'TypeError') throw new Error(t('network_error'));  // what fetch throws when no answer came
    throw e;
  }
  if (!r.ok) throw Object.assign(new Error(payload?.error?.message || String(r.status)), { status: r.status, body: payload });
  return { payload, headers: r.headers };
}

// ── Schemas: the pack's subject schema and the files it refers to, references resolved ──
const schemaFiles = new Map();
async function loadSchema(name) {
  if (!schemaFiles.has(name)) schemaFiles.set(name, api('GET', '/schemas/' + encodeURIComponent(name)).then((r) =>
    typeof r.payload === 'string' ? JSON.parse(r.payload) : r.payload));
  const doc = await schemaFiles.get(name);
  // Every file referred to, loaded before the form is built (the form resolves synchronously).
  const refs = [];
  (function walk(n) {
    if (n && typeof n === 'object') for (const [k, v] of Object.entries(n)) {
      if (k === '$ref' && typeof v === 'string' && !v.startsWith('#')) refs.push(v.split('#')[0]);
      else walk(v);
    }
  })(doc);
  for (const f of new Set(refs)) if (!schemaFiles.has(f)) await loadSchema(f);
  return doc;
}
const loaded = new Map();  // file name → schema, once fetched
function resolve(node, file) {
  while (node && node.$ref) {
    const [f, pointer] = node.$ref.split('#');
    if (f) file = f;
    let target = loaded.get(file);
    for (const part of (pointer || '').split('/').filter(Boolean)) target = target?.[part.replace(/~1/g, '/').replace(/~0/g, '~')];
    // x-label and description beside a $ref win over the target's.
    const { $ref, ...beside } = node;
    node = { ...target, ...beside };
  }
  return { node: node || {}, file };
}

// ── JSON as written: a file's numbers keep their digits (12345678901234567.89 is not a float's).
// parseExact reads each number as a JSON.rawJSON value, which JSON.stringify writes as it came;
// plain() is its text. ──
const exactJson = typeof JSON.rawJSON === 'function';
function parseExact(source) {
  return exactJson ? JSON.parse(source, (k, v, ctx) => (typeof v === 'number' ? JSON.rawJSON(ctx.source) : v)) :
                     JSON.parse(source);
}
const isRaw = (v) => exactJson && JSON.isRawJSON(v);
const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v) && !isRaw(v);
const plain = (v) => (isRaw(v) ? v.rawJSON : v);

// Where `file` (a document) has what `form` (the form's JSON of it) lacks or holds otherwise: the
// paths the form could not take, none when it took all.
function notTaken(file, form, path, out) {
  out = out || [];
  if (isObject(file)) {
    if (!isObject(form))
      out.push(path);
    else
      for (const [k, v] of Object.entries(file)) notTaken(v, form[k], path + '.' + k, out);
  } else if (Array.isArray(file)) {
    if (!Array.isArray(form) || form.length < file.length)
      out.push(path);
    else
      file.forEach((v, i) => notTaken(v, form[i], path + '[' + i + ']', out));
  } else if (isRaw(file) || isRaw(form)) {
    if (!isRaw(file) || !isRaw(form) || Number(file.rawJSON) !== Number(form.rawJSON)) out.push(path);
  } else if (file !== form)
    out.push(path);
  return out;
}

// ── The form: one field builder per schema type; each returns {row, get, set} over JSON text ──
// Values are kept as the text typed: numbers go to the server with the digits written (exact
// decimals), never through a float. What a file gives that the form cannot show is kept and sent
// as given (an object's members the schema does not name, a value in a field left as it came).
const fields = new Map();  // JSON path → {input, error element, check}
const HELD = '?held';      // a choice's value standing for a file's value that is none of the choices
let formRoot = null;

// Whether the pack's rules read the field at `path` ($.statistics.years.2020.agency_rate_pct,
// $.patents[0].kind): a pattern of GET /packs' `reads` ($.statistics.years.2020.agency_rate_pct,
// `.*` any member, `[*]` any element) covers it, lies below it, or it lies below the pattern.
// A server that does not say: every field is read.
function steps(path) {
  return [...path.slice(1).matchAll(/\.([^.[\]]+)|\[([^\]]*)\]/g)].map((m) => (m[1] !== undefined ? '.' + m[1] : '[]'));
}
// The fields naming the applicant (the schema's x-applicant) count as read: the ledger and the
// reports name the decision by them.
function readByRules(path) {
  const reads = state.pack?.reads;
  if (!Array.isArray(reads)) return true;
  const at = steps(path);
  return reads.concat(state.applicantPaths || []).some((r) => {
    const want = steps(r);
    const n = Math.min(at.length, want.length);
    for (let i = 0; i < n; i++)
      if (want[i] !== at[i] && want[i] !== '.*' && !(want[i] === '[]' && at[i] === '[]')) return false;
    return true;
  });
}

// The fields no rule reads, folded below those it reads: kept in the form (a reviewer may fill
// them, and a document's values show there), opened when one holds a value.
function unreadBox() {
  const members = el('div', {class: 'members'});
  const box =
      el('details', {class: 'unread'}, el('summary', {}, t('unread')), el('p', {class: 'help'}, t('unread_help')),
         members);
  return {box, members};
}

function labelOf(schema, key) {
  return text(schema['x-label']) || key;
}
function helpOf(schema) {
  // A description is for drafters; a choice's, which explains its values by name, is left out
  // where the labels name them (the list of choices is the help).
  const described = schema['x-enum-labels'] || schema.items?.['x-enum-labels'] ? '' : schema.description;
  return lang === 'zh' ? schema['x-help']?.zh || '' : schema['x-help']?.en || described || '';
}

function fieldError(path, message) {
  const f = fields.get(path);
  if (!f) return false;
  f.error.textContent = message || '';
  f.input.classList.toggle('invalid', !!message);
  f.input.setAttribute('aria-invalid', message ? 'true' : 'false');
  return true;
}

function checkScalar(schema, raw) {
  const v = raw.trim();
  if (v === '') return '';
  const type = schema.type;
  if (type === 'number' || type === 'integer') {
    const plain = v.replace(/[,，\s]/g, '');
    if (!/^-?\d+(\.\d+)?$/.test(plain)) return t(type === 'integer' ? 'need_integer' : 'need_number');
    if (type === 'integer' && plain.includes('.')) return t('need_integer');
    if (schema.minimum !== undefined && Number(plain) < schema.minimum) return t('at_least', { n: schema.minimum });
    if (schema.maximum !== undefined && Number(plain) > schema.maximum) return t('at_most', { n: schema.maximum });
  } else if (schema.format === 'date') {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(v) || isNaN(Date.parse(v))) return t('need_date');
  } else if (type === 'string') {
    if (schema.minLength && v.length < schema.minLength) return t('not_empty');
    if (schema.pattern && !new RegExp(schema.pattern, 'u').test(v)) return t('pattern');
  }
  return '';
}

function scalarField(schema, path, key, required) {
  const id = 'f' + fields.size;
  let input;
  const type = Array.isArray(schema.type) ? schema.type.find((x) => x !== 'null') : schema.type;
  if (type === 'boolean') {
    input = el('select', { id }, el('option', { value: '' }, t('unset')), el('option', { value: 'true' }, t('yes')),
      el('option', { value: 'false' }, t('no')));
  } else if (schema.enum) {
    const names = schema['x-enum-labels'] || {};
    input = el('select', { id }, el('option', { value: '' }, t('unset')),
      schema.enum.map((v) => el('option', { value: JSON.stringify(v) }, text(names[v]) || String(v))));
  } else if (schema.format === 'date') {
    input = el('input', { id, type: 'date' });
  } else {
    input = el('input', { id, type: 'text', inputmode: type === 'number' || type === 'integer' ? 'decimal' : null,
      class: type === 'number' || type === 'integer' ? 'num' : null });
  }
  input.dataset.path = path;
  const error = el('span', { class: 'field-error' });
  const help = helpOf(schema);
  const row = el('div', { class: 'field' },
    el('label', { for: id }, labelOf(schema, key), required ? el('span', { class: 'req', title: t('required') }, ' *') : null),
    el('div', { class: 'control' }, input, help ? el('small', { class: 'help' }, help) : null, error));
  // A value from a file that none of the field's choices is (发明 where a code is asked, 否 where
  // yes or no is), or that is no date, is shown as given (an option of its own, the date as text),
  // flagged, and sent as given until the reviewer changes it: never dropped, so that an application
  // the service refused stays refused until it is corrected.
  const check = () => {
    const msg = input.tagName === 'SELECT' ? (input.value === HELD ? t('not_a_choice') : '') :
                                             checkScalar({...schema, type}, input.value);
    fieldError(path, msg);
    return !msg;
  };
  input.addEventListener('input', check);
  input.addEventListener('change', check);
  fields.set(path, { input, error, check });
  // A value from a file, sent as it came while the field shows it unchanged (a number's digits, a
  // code given as a number where text or a number may be, a value the field flags).
  let given, shown;
  return {
    row,
    get() {
      const v = input.value.trim();
      if (v === '') return undefined;
      if (given !== undefined && input.value === shown) return JSON.stringify(given);
      if (type === 'boolean') return v;
      if (schema.enum) return v;
      if (type === 'number' || type === 'integer') return v.replace(/[,，\s]/g, '');
      return JSON.stringify(v);
    },
    set(v) {
      const p = plain(v);
      const written = isRaw(v) ? v.rawJSON : typeof p === 'string' ? p : JSON.stringify(p);
      if (input.tagName === 'SELECT') {
        input.querySelector('option.held')?.remove();
        const value = p === undefined || p === null ? '' :
            type === 'boolean'                      ? (typeof p === 'boolean' ? String(p) : null) :
            isRaw(v)                                ? v.rawJSON :
                                                      JSON.stringify(p);
        if (value !== null && [...input.options].some((o) => o.value === value)) {
          input.value = value;
        } else {
          input.append(el('option', {value: HELD, class: 'held'}, t('held_choice', {v: written})));
          input.value = HELD;
        }
      } else {
        const dated = schema.format === 'date';
        const date = typeof p === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(p) && !isNaN(Date.parse(p));
        input.type = dated && (date || p === undefined || p === null) ? 'date' : 'text';
        input.value = p === undefined || p === null ? '' : written;
      }
      shown = input.value;
      given = shown === '' ? undefined : v;
      check();
    },
  };
}

function listOfStringsField(schema, path, key) {
  // A list of short texts: one per line.
  const id = 'f' + fields.size;
  const input = el('textarea', { id, rows: 2 });
  input.dataset.path = path;
  // A document's list, kept when it is empty: [] says "none" (QJ-01: no award), an empty field "not stated".
  let given = false;
  const error = el('span', { class: 'field-error' });
  fields.set(path, { input, error, check: () => true });
  return {
    row:
        el('div', {class: 'field'},
           el('label',
              { for: id
              },
              labelOf(schema, key)),
           el('div', {class: 'control'}, input, el('small', {class: 'help'}, helpOf(schema)), error)),
    get() {
      const items = input.value.split('\n').map((s) => s.trim()).filter(Boolean);
      return items.length ? '[' + items.map((s) => JSON.stringify(s)).join(',') + ']' : given ? '[]' : undefined;
    },
    set(v) {
      input.value = Array.isArray(v) ? v.join('\n') : '';
      given = Array.isArray(v);
    },
  };
}

// A list of values from a fixed set (an enterprise's designations, awards): one box per value,
// named by its x-enum-labels, and a box for none of them, the empty list, an answer ("no
// designation") where no box ticked is none ("not stated"). Values outside the set (from an
// uploaded file) are kept, for the service to name, until the reviewer ticks none.
function enumListField(schema, item, path, key) {
  const id = 'f' + fields.size;
  const names = item['x-enum-labels'] || {};
  let extra = [];
  const boxes = item.enum.map((v, i) => {
    const box = el('input', {type: 'checkbox', id: id + '-' + i, 'data-value': JSON.stringify(v)});
    return {v, box, row: el('label', {class: 'choice', for: id + '-' + i}, box, text(names[v]) || String(v))};
  });
  const none = el('input', {type: 'checkbox', id: id + '-none', 'data-none': ''});
  const noneRow = el('label', {class: 'choice none', for: id + '-none'}, none, t('none_of_these'));
      none.addEventListener('change', () => {
        if (!none.checked) return;
        for (const b of boxes) b.box.checked = false;
        extra = [];
      });
      for (const b of boxes)
        b.box.addEventListener('change', () => {
          if (b.box.checked) none.checked = false;
        });
      const group = el('div', {class: 'choices', id, role: 'group'}, boxes.map((b) => b.row), noneRow);
      group.dataset.path = path;
      const error = el('span', {class: 'field-error'});
      fields.set(path, {input: group, error, check: () => true});
      return {
        row:
            el('div', {class: 'field'},
               el('label',
                  {for: id
                  },
                  labelOf(schema, key)),
               el('div', {class: 'control'}, group, el('small', {class: 'help'}, helpOf(schema)), error)),
        get() {
          const on = boxes.filter((b) => b.box.checked).map((b) => b.v).concat(extra);
          return on.length ? JSON.stringify(on) : none.checked ? '[]' : undefined;
        },
        set(v) {
          const values = Array.isArray(v) ? v : [];
          for (const b of boxes) b.box.checked = values.includes(b.v);
          extra = values.filter((x) => !item.enum.includes(x));
          none.checked = Array.isArray(v) && !v.length;  // a document's empty list: none of them
        },
      };
}

    function objectField(schema, file, path, key, depth) {
      const required = new Set(schema.required || []);
      const parts = [];
      const box = el('fieldset', {class: 'group depth' + depth});
      if (key !== null) box.append(el('legend', {}, labelOf(schema, key)));
      const help = helpOf(schema);
      if (help && depth > 0) box.append(el('p', {class: 'help'}, help));
      const grid = el('div', {class: 'members'});
      box.append(grid);
      const unread = unreadBox();
      for (const [name, sub] of Object.entries(schema.properties || {})) {
        const f = build(sub, file, path + '.' + name, name, required.has(name), depth + 1);
        if (!f) continue;
        parts.push([name, f]);
        (readByRules(path + '.' + name) ? grid : unread.members).append(f.row);
      }
      // An object none of whose members is read (a year no rule names) is asked whole: folding all
      // of it would hide what the reviewer opened it for.
      if (unread.members.childElementCount === parts.length)
        grid.append(...unread.members.children);
      else if (unread.members.childElementCount)
        box.append(unread.box);
      const unreadParts = parts.filter(([, f]) => unread.members.contains(f.row));
      // Members the form has no field for (a year's figure the schema does not name): shown, and sent
      // as given.
      let kept = [];
      const keptNote = el('p', {class: 'kept', hidden: true});
      keptNote.dataset.path = path;
      box.append(keptNote);
      // A document's object, kept when it is empty: {} says the part is given (known(reporting)
      // decides whether a rule applies), no member that it holds nothing yet.
      let givenObject = false;
      return {
        row: box,
        get() {
          const members = parts.map(([n, f]) => [n, f.get()])
                              .concat(kept.map(([n, v]) => [n, JSON.stringify(v)]))
                              .filter(([, v]) => v !== undefined);
          return members.length ? '{' + members.map(([n, v]) => JSON.stringify(n) + ':' + v).join(',') + '}' :
              givenObject       ? '{}' :
                                  undefined;
        },
        set(v) {
          givenObject = isObject(v);
          const given = isObject(v) ? v : {};
          for (const [n, f] of parts) f.set(given[n]);
          unread.box.open = unreadParts.some(([n]) => given[n] !== undefined);
          const named = new Set(parts.map(([n]) => n));
          kept = Object.entries(given).filter(([n, x]) => !named.has(n) && x !== undefined);
          keptNote.hidden = !kept.length;
          keptNote.textContent =
              kept.length ? t('kept') + kept.map(([n, x]) => n + ' = ' + JSON.stringify(x)).join('；') : '';
        },
      };
    }

    // The plan's years, for a map keyed by year: the year before the plan (the base its targets grow
    // from) to its last (XJ-01's 2015 to 2020).
    function planYears() {
      const from = Number(state.pack?.effective?.from?.slice(0, 4)),
            to = Number(state.pack?.effective?.to?.slice(0, 4));
      if (!from || !to || to < from || to - from > 20) return [];
      return Array.from({length: to - from + 2}, (_, i) => String(from - 1 + i));
    }

    // An object keyed by anything rather than by named members: the schema's additionalProperties,
    // or patternProperties, gives each value; propertyNames or the pattern the keys. Keyed by year
    // (the keys' pattern takes 2020 and not a word, or its x-item reads "{key}年").
    function mapShape(schema, file) {
      const patterns = Object.entries(schema.patternProperties || {});
      const raw = isObject(schema.additionalProperties) ? schema.additionalProperties : patterns[0]?.[1];
      if (!raw) return null;
      const {node: value, file: valueFile} = resolve(raw, file);
      const source = schema.propertyNames?.pattern || patterns[0]?.[0];
      const pattern = source ? new RegExp(source, 'u') : null;
      const byYear =
          pattern ? pattern.test('2020') && !pattern.test('x') : /\{key\}年/.test(schema['x-item']?.zh || '');
      return {value, valueFile, pattern, byYear};
    }

    // A map (a region's figures by year): a row per key, each holding the value's fields; keyed by
    // year, a row for each of the plan's years (and any other the file gives, or the reviewer adds).
    // Rows are folded but for those holding figures; each names how many it holds.
    function mapField(schema, file, path, key, depth, shape) {
      const {value, valueFile, pattern, byYear} = shape;
      const fixed = byYear ? planYears() : [];
      const rows = new Map();  // key → {f, item, count}
      const list = el('div', {class: 'items map'});
      const rowName = (k) => (text(schema['x-item']) || '{key}').replace('{key}', k);
      const order = (a, b) => (byYear ? Number(a) - Number(b) : a.localeCompare(b));
      // How many figures a row holds: what its fields would send (a number being typed, "2.", is not one yet).
      const count = (f) => {
        const v = f.get();
        if (v === undefined) return 0;
        try {
          const x = JSON.parse(v);
          return isObject(x) ? Object.keys(x).length : 1;
        } catch {
          return null;
        }
      };
      const addRow = (k) => {
        if (rows.has(k)) return rows.get(k);
        const at = path + '.' + k;
        const isObj = value.type === 'object' || value.properties;
        const f = isObj ? objectField(value, valueFile, at, null, depth + 1) :
                          build({...value, 'x-label': rowName(k)}, valueFile, at, k, false, depth + 1);
        const tally = el('small', {class: 'help tally'});
        const summary = el('summary', {}, rowName(k), ' ', tally);
        const item = el('details', {class: 'item map-row', 'data-key': k}, summary);
        if (!fixed.includes(k)) {
          const remove = el('button', {type: 'button', class: 'link remove'}, t('remove_item'));
          remove.addEventListener('click', () => {
            item.remove();
            rows.delete(k);
            for (const p of [...fields.keys()])
              if (p === at || p.startsWith(at + '.') || p.startsWith(at + '[')) fields.delete(p);
          });
          item.append(remove);
        }
        item.append(f.row);
        const entry = {
          f,
          item,
          recount: () => {
            const n = count(f);
            if (n !== null) tally.textContent = n ? t('filled', {n}) : '';
          }
        };
        item.addEventListener('input', entry.recount);
        item.addEventListener('change', entry.recount);
        rows.set(k, entry);
        const after = [...rows.keys()].filter((x) => x !== k && order(x, k) > 0).sort(order)[0];
        if (after)
          list.insertBefore(item, rows.get(after).item);
        else
          list.append(item);
        return entry;
      };
      for (const k of fixed) addRow(k);
      // Another key: typed, checked (a year of four digits, or the schema's pattern), then its row opened.
      const keyInput = el('input', {
        type: 'text',
        class: 'map-key',
        size: 12,
        placeholder: byYear ?
            t('year_hint', {y: fixed.length ? Number(fixed[fixed.length - 1]) + 1 : new Date().getFullYear()}) :
            t('key_hint')
      });
      keyInput.dataset.mapPath = path;
      const keyError = el('span', {class: 'field-error'});
      const addButton = el('button', {type: 'button', class: 'add'}, '+ ' + t(byYear ? 'add_year' : 'add_key'));
      addButton.addEventListener('click', () => {
        const k = keyInput.value.trim();
        const bad = !k || (byYear && !/^\d{4}$/.test(k)) || (pattern && !pattern.test(k));
        keyError.textContent = bad ? t(byYear ? 'bad_year' : 'bad_key') : '';
        if (bad) return;
        const row = addRow(k);
        row.item.open = true;
        keyInput.value = '';
        row.item.querySelector('input, select, textarea')?.focus();
      });
      const row = el('fieldset', {class: 'group map depth' + depth}, el('legend', {}, labelOf(schema, key)));
      const help = helpOf(schema);
      if (help) row.append(el('p', {class: 'help'}, help));
      row.append(list, el('div', {class: 'map-add'}, keyInput, addButton, keyError));
      row.dataset.path = path;
      let givenObject = false;  // a document's empty map, kept as objectField keeps an empty object
      return {
        row,
        get() {
          const members =
              [...rows.keys()].sort(order).map((k) => [k, rows.get(k).f.get()]).filter(([, v]) => v !== undefined);
          return members.length ? '{' + members.map(([k, v]) => JSON.stringify(k) + ':' + v).join(',') + '}' :
              givenObject       ? '{}' :
                                  undefined;
        },
        set(v) {
          givenObject = isObject(v);
          const given = isObject(v) ? v : {};
          for (const k of [...rows.keys()])
            if (!fixed.includes(k) && !(k in given)) rows.get(k).item.querySelector('.remove').click();
          for (const k of new Set([...fixed, ...Object.keys(given)])) {
            const r = addRow(k);
            r.f.set(given[k]);
            r.item.open = given[k] !== undefined;
            r.recount();
          }
        },
      };
    }

    function listOfObjectsField(schema, file, path, key, depth) {
      const {node: itemSchema, file: itemFile} = resolve(schema.items, file);
      const items = [];
      let given = false;
      const list = el('div', {class: 'items'});
      const itemName = (n) => (text(schema['x-item']) || t('item')).replace('{n}', n);
      const renumber = () => items.forEach((it, i) => {
        it.legend.textContent = itemName(i + 1);
      });
      const add = () => {
        const i = items.length;
        // Paths of rows after a removed one shift, as the server's paths do.
        const f = objectField(itemSchema, itemFile, path + '[' + i + ']', null, depth + 1);
        const legend = el('legend', {}, itemName(i + 1));
        const remove = el('button', {type: 'button', class: 'link remove'}, t('remove_item'));
        const item = el('fieldset', {class: 'item'}, legend, remove, f.row);
        const entry = {f, legend, item};
        remove.addEventListener('click', () => {
          const values = items.map((x) => x.f.get());
          values.splice(items.indexOf(entry), 1);
          setAll(values.map((v) => (v === undefined ? undefined : parseExact(v))));
        });
        items.push(entry);
        list.append(item);
        return entry;
      };
      const clearAll = () => {
        for (const it of items) it.item.remove();
        for (const p of [...fields.keys()])
          if (p.startsWith(path + '[')) fields.delete(p);
        items.length = 0;
      };
      const setAll = (values) => {
        clearAll();
        for (const v of values) add().f.set(v);
        if (!items.length) add();
        renumber();
      };
      const addButton =
          el('button', {type: 'button', class: 'add'},
             '+ ' + t('add_item') + (lang === 'zh' ? '' : ' ') + labelOf(schema, key));
      addButton.addEventListener('click', () => {
        add();
        renumber();
      });
      add();
      return {
        row: el(
            'fieldset', {class: 'group list depth' + depth}, el('legend', {}, labelOf(schema, key)), list, addButton),
        get() {
          const values = items.map((x) => x.f.get());
          const kept = values.filter((v) => v !== undefined);
          return kept.length ? '[' + values.map((v) => v ?? '{}').join(',') + ']' : given ? '[]' : undefined;
        },
        set(v) {
          given = Array.isArray(v);  // a document's empty list (an enterprise with no patent product) is kept
          setAll(Array.isArray(v) && v.length ? v : []);
        },
      };
    }

    function build(raw, file, path, key, required, depth) {
      const {node: schema, file: at} = resolve(raw, file);
      const type = Array.isArray(schema.type) ? schema.type.find((x) => x !== 'null') : schema.type;
      const shape = type === 'object' && !schema.properties ? mapShape(schema, at) : null;
      if (shape) return mapField(schema, at, path, key, depth, shape);
      if (type === 'object' || schema.properties) return objectField(schema, at, path, key, depth);
      if (type === 'array') {
        const {node: item} = resolve(schema.items || {}, at);
        if (item.type === 'object' || item.properties) return listOfObjectsField(schema, at, path, key, depth);
        if (item.enum) return enumListField(schema, item, path, key);
        return listOfStringsField(schema, path, key);
      }
      return scalarField(schema, path, key, required);
    }

    // The pack's subject: one collapsible section per top-level member. The ledger's figures are
    // the service's to fill ($.ledger), never the reviewer's.
    async function buildForm(pack) {
      const form = $('#form');
      form.replaceChildren();
      fields.clear();
      formRoot = null;
      if (!pack.subject_schema) return;
      const root = await loadSchema(pack.subject_schema);
      const named = isObject(root['x-applicant']) ? root['x-applicant'] : {};
      state.applicantPaths = ['name', 'credit_code', 'application_id'].flatMap(
          (k) => (Array.isArray(named[k]) ? named[k] : []).map((p) => '$.' + p));
      for (const [name, p] of schemaFiles) loaded.set(name, await p);
      const sections = [];
      const unreadSections = [];
      let firstFile = null;
      for (const [name, sub] of Object.entries(root.properties || {})) {
        if (name === 'ledger' && pack.ledger_figures.length) continue;
        const {node, file} = resolve(sub, pack.subject_schema);
        firstFile = firstFile || (sub.$ref || '').split('#')[0];
        const f = build(sub, pack.subject_schema, '$.' + name, name, false, 0);
        sections.push([name, f]);
        // A single field of the document (its application id) stands above the sections, unfolded.
        if (!(node.type === 'object' || node.properties || node.type === 'array')) {
          form.append(el('div', {class: 'section top-field', 'data-section': name}, f.row));
          continue;
        }
        const details =
            el('details', {class: 'section', 'data-section': name},
               el('summary', {}, labelOf(node, name), el('small', {class: 'help'}, ' ' + helpOf(node))), f.row);
        // The sections of the pack's main subject (those from its first file) start open.
        details.open = (sub.$ref || '').split('#')[0] === firstFile;
        void file;
        if (readByRules('$.' + name)) {
          form.append(details);
        } else {  // a part no rule reads, after those it reads
          details.open = false;
          unreadSections.push(details);
        }
      }
      if (unreadSections.length) {
        const unread = unreadBox();
        unread.box.classList.add('section');
        unread.members.replaceWith(...unreadSections);
        form.append(unread.box);
      }
      // The document's members the form has no section for (the ledger's, which the service replaces
      // with its own; one the schema does not name, which the service names) are sent as given.
      let kept = [];
      formRoot = {
        get() {
          const members = sections.map(([n, f]) => [n, f.get()])
                              .concat(kept.map(([n, v]) => [n, JSON.stringify(v)]))
                              .filter(([, v]) => v !== undefined);
          return '{' + members.map(([n, v]) => JSON.stringify(n) + ':' + v).join(',') + '}';
        },
        set(doc) {
          doc = isObject(doc) ? doc : {};
          for (const [n, f] of sections) f.set(doc[n]);
          const named = new Set(sections.map(([n]) => n));
          kept = Object.entries(doc).filter(([n, v]) => !named.has(n) && v !== undefined);
          for (const d of form.querySelectorAll('details.section'))
            if (doc[d.dataset.section] !== undefined) {
              d.open = true;
              if (d.parentElement.matches('details.unread')) d.parentElement.open = true;
            }
        },
      };
    }

    function checkForm() {
      let bad = 0;
      for (const f of fields.values())
        if (!f.check()) bad++;
      return bad;
    }

    // A failed request, for the reviewer: the service's own message, or (no status: no answer came)
    // api's wording.
    function errorText(e) { return e.status ? t('server_error') + e.message : e.message; }
    // A 4xx from the service: beside the field it names, else in the message line.
    function showServerError(e) {
      const err = e.body?.error;
      if (!err) return say(errorText(e), 'bad');
      let placed = false;
      for (const p of err.problems?.length ? err.problems : [err])
        if (p.path) placed = fieldError(p.path, p.message) || placed;
      say(t('server_error') + err.message + (err.path && !placed ? ' (' + err.path + ')' : ''), 'bad');
      const first = document.querySelector('.invalid');
      if (first) first.scrollIntoView({block: 'center'});
    }

    function say(message, kind) {
      const m = $('#message');
      m.textContent = message || '';
      m.className = 'message ' + (kind || '');
    }

    // Only the latest request of a kind (a check, a look in the ledger) is answered on the page:
    // turn(kind) returns whether a request is still that.
    const turns = new Map();
    function turn(kind) {
      const mine = (turns.get(kind) || 0) + 1;
      turns.set(kind, mine);
      return () => turns.get(kind) === mine;
}

// ── Deciding ──
// `uploaded`: the document of the file last read into the form, as its text, and the form's JSON of
// it; while the form is unchanged the file's own text is what is decided (and saved), as `rulebook
// check` reads it.
const state = {packs: [], pack: null, lastDoc: null, sheetDocs: [], uploaded: null, applicantPaths: []};

function query(extra) {
  const q = new URLSearchParams({ as_of: $('#as-of').value, lang, ...extra });
  const reviewer = $('#reviewer').value.trim();
  if (reviewer) q.set('reviewer', reviewer);
  return q.toString();
}

// A new check (a decision asked, a file uploaded, another plan or review date) first takes away
// what answered the one before, whatever becomes of it: a refused file or a failed request must
// leave no earlier decision on the page to be read as its answer. The sheet table goes too, but
// for a decision opened from it. Only the latest check's answer or error is shown (a language
// switch decides again while an answer may be on its way): begin returns whether it still is.
function begin(withSheet) {
  const current = turn('check');
  say('');
  $('#result').hidden = true;
  $('#verdict').textContent = $('#saved').textContent = '';
  delete $('#verdict').dataset.outcome;
  $('#report').srcdoc = '';
  $('#print').disabled = true;
  if (withSheet) {
    $('#upload-result').replaceChildren();
    $('#upload-save').disabled = true;
  }
  return current;
}

// A document read from a file into the form, decided as the file has it (its members the form
// cannot show named).
function takeUpload(doc, raw) {
  formRoot.set(doc);
  const form = formRoot.get();
  state.uploaded = {raw, form};
  const lost = notTaken(doc, parseExact(form), '$');
  return lost.length ? t('not_taken', {paths: lost.map((p) => labelOfPath(p) + '（' + p + '）').join('、')}) : '';
}

async function decide(record, note) {
  const current = begin(false);
  for (const p of fields.keys()) fieldError(p, '');
  const body = formRoot.get();
  const asUploaded = state.uploaded?.form === body;
  // The form's own checks; a file as uploaded is the service's to check (as `rulebook check` does).
  const bad = asUploaded ? 0 : checkForm();
  if (bad) return say(t('fix_first', { n: bad }), 'bad');
  if (record && !$('#reviewer').value.trim()) {
    $('#reviewer-error').textContent = t('need_reviewer');
    $('#reviewer').focus();
    return say(t('need_reviewer'), 'bad');
  }
  $('#reviewer-error').textContent = '';
  state.lastDoc = asUploaded ? state.uploaded.raw : body;
  say(t('loading'));
  try {
    const q = query(record ? {} : { dry_run: 'true' });
    const r = await api(
        'POST', `/packs/${encodeURIComponent(state.pack.id)}/report?${q}`, state.lastDoc,
        {'Content-Type': 'application/json'});
    if (!current()) return;
    showReport(r.payload, r.headers, record);
    say(note || '', note ? 'bad' : '');
  } catch (e) {
    if (!current()) return;
    showServerError(e);
    if (note) say(note + ' ' + $('#message').textContent, 'bad');
  }
}

function showReport(html, headers, record) {
  $('#result').hidden = false;
  const outcome = headers.get('X-Outcome');
  const badge = $('#verdict');
  badge.textContent = WORDS[lang].outcome[outcome] || outcome;
  badge.className = 'badge ' + outcome;
  badge.dataset.outcome = outcome;
  const id = headers.get('X-Decision-Id');
  const sup = headers.get('X-Supersedes');
  $('#saved').textContent = record && id ? t('saved', { id }) + (sup ? t('supersedes', { id: sup }) : '') : t('previewed');
  $('#saved').className = record && id ? 'saved' : 'preview';
  const frame = $('#report');
  frame.srcdoc = html;
  frame.onload = () => {
    frame.style.height = frame.contentDocument.documentElement.scrollHeight + 20 + 'px';
  };
  $('#print').disabled = false;
  // Smooth unless the reader asked for less motion (a moving page also moves what is about to be clicked).
  const still = window.matchMedia('(prefers-reduced-motion: reduce)').matches;
  $('#result').scrollIntoView({ behavior: still ? 'auto' : 'smooth', block: 'start' });
}

// ── The plan's sheet template: the subject schema's `x-sheet`, made and read by the service
// (engine/sheet/template.cpp), as `rulebook batch` reads it: a template filled in needs no mapping. ──
function hasTemplate() {
  return !!loaded.get(state.pack?.subject_schema)?.['x-sheet'];
}
function downloadTemplate(ev) {
  ev.preventDefault();
  if (!hasTemplate()) return say(t('no_template'), 'bad');
  const a = el('a', { href: `/packs/${encodeURIComponent(state.pack.id)}/template?lang=${lang}`,
    download: t('template_file', { pack: state.pack.id }) });
  document.body.append(a);
  a.click();
  a.remove();
}

// ── Uploads ──
async function upload() {
  const current = begin(true);
  const file = $('#upload-file').files[0];
  if (!file) return say(t('no_file'), 'bad');
  const name = file.name.toLowerCase();
  say(t('loading'));
  if (name.endsWith('.json') || name.endsWith('.jsonl')) {
    const raw = await file.text();
    if (!current()) return;
    let docs;
    try {
      docs =
          name.endsWith('.jsonl') ? raw.split('\n').filter((l) => l.trim()).map((l) => parseExact(l)) : parseExact(raw);
    } catch {
      return explainNotJson(file.name, raw, current);
    }
    if (!Array.isArray(docs)) {
      // One application: into the form, to read and correct, and decided as the file has it.
      const note = takeUpload(docs, raw);
      switchTab('form');
      return decide(false, note);
    }
    state.sheetDocs = docs.map(
        (d, i) => ({index: i, id: plain(d?.application_id || d?.id) || null, row: i + 1, errors: [], document: d}));
    return decideSheet(file.name, false, current);
  }
  // The mapping chosen, else none: the service reads the plan's template, headed in either language.
  const chosen = $('#upload-mapping').files[0];
  if (!chosen && !hasTemplate()) return say(t('no_mapping'), 'bad');
  const form = new FormData();
  form.append('file', file, file.name);
  if (chosen) form.append('mapping', chosen, chosen.name);
  let r;
  try {
    r = await api('POST', `/packs/${encodeURIComponent(state.pack.id)}/sheet`, form);
  } catch (e) {
    return current() && showServerError(e);
  }
  if (!current()) return;
  state.sheetDocs = r.payload.documents;
  return decideSheet(r.payload.file, false, current);
}

// A JSON upload the browser cannot parse: the service says what is wrong and where, in the
// page's language (the browser's own message is English whatever the page). Nothing is decided.
async function explainNotJson(fileName, raw, current) {
  const route = fileName.toLowerCase().endsWith('.json') && !raw.trimStart().startsWith('[') ? 'check' : 'batch';
  let err;
  try {
    const r = await api('POST', `/packs/${encodeURIComponent(state.pack.id)}/${route}?${query({ dry_run: 'true' })}`, raw,
      { 'Content-Type': 'application/json' });
    err = r.payload.results?.find((x) => x.error)?.error;  // JSON Lines: each line is answered on its own
  } catch (e) {
    err = e.body?.error;
  }
  if (!current()) return;
  const at = err?.line ? t('at', { line: err.line, col: err.column ?? '?' }) : '';
  say(t('not_json', { file: fileName }) + at + (err?.message || ''), 'bad');
}

// The applications read from a file, decided (saved when `record`); `current` is the check's (begin).
async function decideSheet(fileName, record, current) {
  const docs = state.sheetDocs.filter((d) => d.document);
  let results = [];
  if (docs.length) {
    const body = '[' + docs.map((d) => JSON.stringify(d.document)).join(',') + ']';
    const q = query(record ? {} : { dry_run: 'true' });
    say(t('loading'));
    try {
      const r = await api('POST', `/packs/${encodeURIComponent(state.pack.id)}/batch?${q}`, body,
        { 'Content-Type': 'application/json' });
      results = r.payload.results;
    } catch (e) {
      return current() && showServerError(e);
    }
  }
  if (!current()) return;
  say('');
  const byIndex = new Map(docs.map((d, k) => [d.index, results[k]]));
  const rows = state.sheetDocs.map((d) => {
    const r = byIndex.get(d.index);
    const outcome = r?.decision?.outcome;
    // Named by the service (applicant_of: where the subject schema's x-applicant says), as the ledger
    // names it: from the document decided, else from the sheet's cells of one it refused. A sheet
    // grouped by application gives its id; one row per application, the number the row gives.
    const who = [r?.applicant, d.applicant].find((a) => a?.name || a?.credit_code || a?.application_id) || {};
    const id = d.id || who.application_id || '';
    const applicant = who.name || who.credit_code || '';
    const why = d.errors.map((e) => e.message).concat(r?.error ? [r.error.message] : []);
    const rules = (r?.decision?.rules || []).filter((x) => x.outcome !== 'not_applicable')
      .map((x) => x.id + ' ' + WORDS[lang].outcome[x.outcome]).join('；');
    const open = el('button', { type: 'button', class: 'link' }, t('open'));
    open.addEventListener('click', () => {
      const note = takeUpload(d.document, JSON.stringify(d.document));
      switchTab('form');
      decide(false, note);
    });
    return el(
        'tr', {'data-application': id}, el('td', {}, id), el('td', {class: 'num'}, String(d.row || '')),
        el('td', {}, applicant),
        el('td', {},
           outcome ? el('span', {class: 'badge ' + outcome, 'data-outcome': outcome}, WORDS[lang].outcome[outcome]) :
                     el('span', {class: 'badge error', 'data-outcome': 'invalid'}, t('invalid'))),
        el('td', {}, rules, why.length ? el('div', {class: 'field-error'}, why.join('；')) : null),
        el('td', {}, d.document ? open : null));
  });
  $('#upload-result').replaceChildren(
    el('p', {}, record ? t('saved_all', { n: results.filter((x) => x.decision_id).length })
      : t('sheet_read', { file: fileName, n: state.sheetDocs.length })),
    el('table', { class: 'list', id: 'sheet-table' },
      el('thead', {}, el('tr', {}, ['col_app', 'col_row', 'col_applicant', 'col_outcome', 'col_rules', ''].map((k) => el('th', {}, k ? t(k) : '')))),
      el('tbody', {}, rows)));
  $('#upload-save').disabled = !docs.length || !!record;
  $('#upload-save').onclick = () => {
    if (!$('#reviewer').value.trim()) return say(t('need_reviewer'), 'bad');
    decideSheet(fileName, true, begin(true));
  };
}

// ── The ledger ──
// The reviewer's local time (the ledger keeps UTC), written as its dates are: 2025-06-30 14:05.
function fmtTime(iso) {
  const at = iso ? new Date(iso) : null;
  if (!at || isNaN(at)) return iso || '';
  const two = (n) => String(n).padStart(2, '0');
  return `${at.getFullYear()}-${two(at.getMonth() + 1)}-${two(at.getDate())} ${two(at.getHours())}:${
      two(at.getMinutes())}`;
}

// A look in the ledger (a search, a record opened) first takes away what the one before found, and
// a failure is told in its place (the review's message line is not on this view).
function ledgerLook(where) {
  $('#ledger-record').replaceChildren();
  if (where === 'list') $('#ledger-list').replaceChildren();
  return turn('ledger');
}
const ledgerFailed = (e) => el('p', { class: 'message bad', role: 'alert' }, errorText(e));

async function searchLedger(q) {
  const current = ledgerLook('list');
  try {
    const r = await api('GET', '/ledger?' + new URLSearchParams({ q, limit: '100' }));
    if (!current()) return;
    const rows = r.payload.records.map((x) => {
      const tr = el(
          'tr', {class: 'clickable', 'data-id': x.id}, el('td', {}, fmtTime(x.recorded_at)),
          el('td', {}, x.applicant_name || ''), el('td', {class: 'mono'}, x.credit_code || ''),
          el('td', {}, x.application_id || ''), el('td', {}, x.pack.id + ' ' + x.pack.version), el('td', {}, x.as_of),
          el('td', {}, el('span', {class: 'badge ' + x.outcome}, WORDS[lang].outcome[x.outcome])),
          el('td', {}, x.reviewer), el('td', {}, x.superseded_by ? t('superseded') : t('current')),
          // A record opens by its button, as an application of the upload table does (or by its row).
          el('td', {},
             el('button', {type: 'button', class: 'link open', 'aria-label': t('open_record', {id: x.id})},
                t('open'))));
      tr.addEventListener('click', () => openRecord(x.id));
      return tr;
    });
    $('#ledger-list')
        .replaceChildren(
            el('p', {}, rows.length ? t('found', {n: r.payload.count}) : t('no_records')),
            rows.length ? el('table', {class: 'list', id: 'ledger-table'},
                             el('thead', {},
                                el('tr', {},
                                   [
                                     'col_time', 'col_applicant', 'col_code', 'col_app', 'col_pack', 'col_as_of',
                                     'col_outcome', 'col_reviewer', 'col_state', ''
                                   ].map((k) => el('th', {}, k ? t(k) : '')))),
                             el('tbody', {}, rows)) :
                          null);
  } catch (e) {
    if (current()) $('#ledger-list').replaceChildren(ledgerFailed(e));
  }
}

// The subject schema's node at a document path ("$.a.b[2].c", "a.b[].c", "$.s.years.2020.x"),
// each step resolved; `onList` sees each list step and each key of a map (node, "[2]" or "2020").
// null when the schema has no such field.
function schemaAt(path, onList) {
  const steps = path.replace(/^\$\.?/, '').match(/[^.[\]]+|\[\d*\]/g) || [];
  let file = state.pack?.subject_schema;
  let node = file && loaded.get(file);
  if (!node) return null;
  for (const s of steps) {
    ({ node, file } = resolve(node, file));
    if (s.startsWith('[')) {
      onList?.(node, s);
      node = node.items;
    } else if (node.properties?.[s]) {
      node = node.properties[s];
    } else {
      const shape = mapShape(node, file);
      if (!shape) return null;
      onList?.(node, s);
      ({value: node, valueFile: file} = shape);
    }
  }
  return resolve(node, file).node;
}

// A missing field named by its label, as the report names it ("转化是否成功（第1笔交易）").
function labelOfPath(path) {
  const items = [];
  let list = '';  // an element is named by its list ($.transactions[0] → 交易（第1笔交易）)
  const node = schemaAt(path, (l, s) => {
    list = text(l['x-label']) || '';
    items.push(
        s.startsWith('[') ? (text(l['x-item']) || t('item')).replace('{n}', Number(s.slice(1, -1)) + 1) :
                            (text(l['x-item']) || '{key}').replace('{key}', s));
  });
  if (!node) return path;
  const word = text(node['x-label']) || (/\]$/.test(path) && list) || path.split(/[.[\]]/).filter(Boolean).pop();
  return word + (items.length ? (lang === 'zh' ? '（' + items.join('，') + '）' : ' (' + items.join(', ') + ')') : '');
}

async function openRecord(id) {
  const current = ledgerLook('record');
  try {
    const { payload: r } = await api('GET', '/ledger/' + encodeURIComponent(id));
    if (!current()) return;
    const link = (to) => {
      const a = el('a', { href: '#ledger', class: 'record-link', 'data-id': to }, to);
      a.addEventListener('click', (ev) => { ev.preventDefault(); openRecord(to); });
      return a;
    };
    const meta = [
      [t('col_applicant'), r.applicant_name || '—'], [t('col_code'), r.credit_code || '—'], [t('col_app'), r.application_id || '—'],
      [t('col_pack'), `${r.pack.id} ${r.pack.version}`], [t('hash'), el('span', { class: 'mono' }, r.pack.hash.slice(0, 16) + '…')],
      [t('col_as_of'), r.as_of], [t('col_time'), fmtTime(r.recorded_at)], [t('col_reviewer'), r.reviewer],
      [t('col_outcome'), el('span', { class: 'badge ' + r.outcome, id: 'record-outcome' }, WORDS[lang].outcome[r.outcome])],
    ];
    if (r.supersedes) meta.push([t('replaces'), link(r.supersedes)]);
    if (r.superseded_by) meta.push([t('superseded_by'), el('span', { id: 'record-superseded-by' }, link(r.superseded_by))]);
    // The report the reviewer signed, made again by the service when it can be (the input kept, the
    // same pack, the same decision); else the stored decision in summary, with the reason.
    const served = state.packs.find((p) => p.id === r.pack.id);
    let why = !r.has_input ? 'why_no_input' : served?.hash !== r.pack.hash ? 'why_pack_changed' : '';
    let report = null;
    if (!why) {
      try {
        report = (await api('GET', `/ledger/${encodeURIComponent(r.id)}/report?lang=${lang}`)).payload;
      } catch (e) {
        if (e.status !== 409) throw e;
        why = 'why_' + (e.body?.error?.code || 'decision_differs');
      }
      if (!current()) return;
    }
    const view = el('div', { class: 'record', id: 'record-view', 'data-id': r.id },
      el('h2', {}, t('record') + ' ', el('span', { class: 'mono' }, r.id)),
      el('table', { class: 'meta' }, meta.map(([k, v]) => el('tr', {}, el('th', {}, k), el('td', {}, v)))));
    if (report) {
      const frame = el('iframe', { id: 'record-report', class: 'report', title: t('record') });
      const print = el('button', { type: 'button', id: 'record-print' }, t('print_record'));
      print.addEventListener('click', () => frame.contentWindow.print());
      frame.addEventListener('load', () => { frame.style.height = frame.contentDocument.documentElement.scrollHeight + 20 + 'px'; });
      frame.srcdoc = report;
      view.append(el('p', {}, print), frame);
    } else {
      const rules = r.decision.rules.filter((x) => x.outcome !== 'not_applicable').map((x) => el('tr', {},
        el('td', {}, x.id), el('td', {}, text(x.title)),
        el('td', {}, el('span', { class: 'badge ' + x.outcome }, WORDS[lang].outcome[x.outcome])),
        el('td', {}, x.failed.map((f) => el('div', {}, t('failed') + '：' + text(f.message))),
          x.missing.map((m) => el('div', {}, t('missing') + '：' + labelOfPath(m))))));
      view.append(el('p', { class: 'note', id: 'record-note', 'data-why': why }, t(why)),
        el('table', { class: 'list' }, el('thead', {}, el('tr', {}, [t('rule'), '', t('col_outcome'), ''].map((k) => el('th', {}, k)))),
          el('tbody', {}, rules)));
    }
    $('#ledger-record').replaceChildren(view);
    $('#ledger-record').scrollIntoView({ block: 'start' });
  } catch (e) {
    if (current()) $('#ledger-record').replaceChildren(ledgerFailed(e));
  }
}

// ── Views, tabs, language ──
function switchTab(name) {
  for (const b of document.querySelectorAll('[data-tab]')) b.classList.toggle('on', b.dataset.tab === name);
  $('#tab-form').hidden = name !== 'form';
  $('#tab-upload').hidden = name !== 'upload';
}
function showView() {
  const v = location.hash === '#ledger' ? 'ledger' : 'review';
  $('#view-review').hidden = v !== 'review';
  $('#view-ledger').hidden = v !== 'ledger';
  for (const a of document.querySelectorAll('[data-view]')) a.classList.toggle('on', a.dataset.view === v);
  if (v === 'ledger') searchLedger($('#ledger-q').value.trim());
}

function applyWords() {
  document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
  document.title = t('app_title');
  for (const e of document.querySelectorAll('[data-t]')) e.textContent = t(e.dataset.t);
  for (const e of document.querySelectorAll('[data-t-placeholder]')) e.placeholder = t(e.dataset.tPlaceholder);
  $('#lang').textContent = t('lang_switch');
  for (const o of $('#pack').options) o.textContent = o.dataset[lang];
}

async function choosePack(id) {
  state.pack = state.packs.find((p) => p.id === id) || state.packs[0];
  state.uploaded = null;
  localStorage.setItem('desk.pack', state.pack.id);
  begin(true);
  await buildForm(state.pack);
  $('#template').hidden = !hasTemplate();
}

async function start() {
  const today = new Date().toISOString().slice(0, 10);
  $('#as-of').value = today;
  $('#reviewer').value = localStorage.getItem('desk.reviewer') || '';
  $('#reviewer').addEventListener('change', () => localStorage.setItem('desk.reviewer', $('#reviewer').value.trim()));
  const { payload } = await api('GET', '/packs');
  // Packs a reviewer decides applications with (those with a subject); common is a library.
  state.packs = payload.packs.filter((p) => p.subject_schema);
  for (const p of state.packs)
    $('#pack').append(el('option', { value: p.id, 'data-zh': `${p.title.zh}（${p.id} ${p.version}）`,
      'data-en': `${p.title.en} (${p.id} ${p.version})` }));
  const wanted = new URLSearchParams(location.search).get('pack') || localStorage.getItem('desk.pack');
  if (wanted && state.packs.some((p) => p.id === wanted)) $('#pack').value = wanted;
  applyWords();
  await choosePack($('#pack').value);
  $('#pack').addEventListener('change', () => choosePack($('#pack').value));
  // A decision is for its review date: another date, and what was shown no longer answers.
  $('#as-of').addEventListener('change', () => begin(true));
  $('#preview').addEventListener('click', () => decide(false));
  $('#save').addEventListener('click', () => decide(true));
  $('#print').addEventListener('click', () => $('#report').contentWindow.print());
  $('#clear').addEventListener('click', () => {
    formRoot.set({});
    state.uploaded = null;
    begin(false);
  });
  $('#upload').addEventListener('click', upload);
  $('#template').addEventListener('click', downloadTemplate);
  for (const b of document.querySelectorAll('[data-tab]')) b.addEventListener('click', () => switchTab(b.dataset.tab));
  $('#ledger-search').addEventListener('submit', (ev) => { ev.preventDefault(); searchLedger($('#ledger-q').value.trim()); });
  $('#lang').addEventListener('click', async () => {
    // The form's labels and the report change language: the form is rebuilt with its values.
    const doc = formRoot ? parseExact(formRoot.get()) : {};
    const wasUploaded = state.uploaded?.form === formRoot?.get();
    lang = lang === 'zh' ? 'en' : 'zh';
    localStorage.setItem('desk.lang', lang);
    applyWords();
    await buildForm(state.pack);
    formRoot.set(doc);
    if (wasUploaded) state.uploaded.form = formRoot.get();
    if (!$('#result').hidden) decide(false);
    if (!$('#view-ledger').hidden) showView();
  });
  window.addEventListener('hashchange', showView);
  showView();
  document.body.dataset.ready = 'true';
}

document.addEventListener('DOMContentLoaded', () => start().catch((e) => say(t('server_error') + e.message, 'bad')));
