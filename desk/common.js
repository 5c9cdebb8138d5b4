// What the desk's pages share: the language chosen (kept across pages), words looked up in the
// page's own WORDS table (declared by the page's script, read when called), and building elements.
'use strict';

let lang = localStorage.getItem('desk.lang') === 'en' ? 'en' : 'zh';
const t = (key, vars) => {
  let s = WORDS[lang][key] ?? key;
  for (const [k, v] of Object.entries(vars || {})) s = s.replace('{' + k + '}', v);
  return s;
};
// A request to the service in the page's language, so that an error it answers reads as the page does.
const inLang = (path) => {
  const url = new URL(path, location.origin);
  if (!url.searchParams.has('lang')) url.searchParams.set('lang', lang);
  return url.pathname + url.search;
};
const $ = (sel) => document.querySelector(sel);
const el = (tag, attrs, ...children) => {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === 'class') e.className = v;
    else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else if (v !== undefined && v !== null && v !== false) e.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat()) if (c !== null && c !== undefined) e.append(c);
  return e;
};
const text = (x) => (x && typeof x === 'object' ? x[lang] || x.zh || x.en : x);
