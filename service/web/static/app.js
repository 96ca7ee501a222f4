// The report form, enhanced: outline editor, live preview, drafts, checks.
//
// One source of truth: `state.report`, the contract's report JSON. Every
// control writes into it; every change re-syncs the hidden `report_json`
// field (what "下载 Word" posts), the preview and the saved draft. The server
// validates with the same code as the API; its JSON Pointer paths are mapped
// back to the control that holds the value.

import { asText, el } from "./dom.js";
import { configure as configureEngineRules, runInDefaultEnd, runInHeadingEnds } from "./engine_rules.js";
import { HEADING_RULES, label, MAX_LEVELS } from "./numbering.js";
import * as outline from "./outline.js";
import * as items from "./items.js";
import { renderPreview } from "./preview.js";

document.documentElement.classList.replace("no-js", "js");

const DRAFT_KEY = "gongwen-report-draft-v1";
const TEXT_FIELDS = ["title", "subtitle", "speaker", "recipient", "salutation", "signature", "date"];
const LIST_FIELDS = ["preamble", "closing", "attachments"];
const HEADER_KEYS = ["issuer", "doc_number", "signer", "copy_number", "secrecy", "urgency"];
const KNOWN_KEYS = new Set(["template", ...TEXT_FIELDS, ...LIST_FIELDS, "sections", "header", "record", "options", "filename", "unit_template"]);
const LEVEL_NAMES = HEADING_RULES.map((rule) => rule.name);
const ISO_DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

const $ = (id) => document.getElementById(id);
const pageData = JSON.parse($("page-data").textContent);
const kinds = Object.fromEntries(pageData.kinds.map((k) => [k.id, k]));
const form = $("report-form");
const kindSelect = $("f-template");

const state = {
  report: null,
  undo: null, // {report, label}: the content before the last replacing action
  errors: [], // the last validation's details: [{path, message}]
  showAll: false, // after a download/preview attempt every problem is shown
  touched: new Set(), // ids of controls the user has changed and left
  validateSeq: 0,
  submitting: false, // a download or preview check is under way
};

// ---------------------------------------------------------------------------
// Small helpers

function asTextList(value) {
  if (Array.isArray(value)) return value.map(asText);
  return value ? [asText(value)] : [];
}

/** Textarea → list: one item per line, blank lines are spacing. */
function lines(text) {
  return text.split(/\r\n|\r|\n/).filter((line) => line.trim());
}

function clone(value) {
  return JSON.parse(JSON.stringify(value));
}

function debounce(fn, ms) {
  let timer = null;
  const run = (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => fn(...args), ms);
  };
  run.flush = () => {
    clearTimeout(timer);
    fn();
  };
  run.cancel = () => clearTimeout(timer);
  return run;
}

function announce(text) {
  $("announcer").textContent = text;
}

function notice(text) {
  const box = $("notice");
  box.textContent = text;
  box.hidden = !text;
}

// ---------------------------------------------------------------------------
// The report model on the page

function defaultOptions() {
  return { font_set: "gb2312", page_numbers: "outside", seal: false, numbering: "text", bold_level3: false, lead_style: "bold" };
}

function emptyReport(template) {
  return {
    template,
    title: "",
    preamble: [],
    sections: [],
    closing: [],
    attachments: [],
    header: Object.fromEntries(HEADER_KEYS.map((key) => [key, ""])),
    record: { cc: [], printer: "", print_date: "" },
    options: defaultOptions(),
  };
}

/** Any JSON (a draft, an imported file, a rejected post) as a report the form can show. */
function normalizeReport(data) {
  const src = data && typeof data === "object" && !Array.isArray(data) ? data : {};
  const ignored = Object.keys(src).filter((key) => !KNOWN_KEYS.has(key));
  const template = kinds[src.template] ? src.template : Object.keys(kinds)[0];
  if (src.template && !kinds[src.template]) ignored.push(`template（${asText(src.template)}）`);
  const report = emptyReport(template);
  for (const name of TEXT_FIELDS) if (src[name] !== undefined && src[name] !== null) report[name] = asText(src[name]);
  for (const name of LIST_FIELDS) report[name] = asTextList(src[name]);
  items.normalizeListFields(report, src); // lead sentences, tables and attachments with content
  report.sections = Array.isArray(src.sections) ? src.sections.map(outline.normalizeSection) : [];
  const header = src.header && typeof src.header === "object" ? src.header : {};
  report.header = Object.fromEntries(HEADER_KEYS.map((key) => [key, asText(header[key])]));
  const record = src.record && typeof src.record === "object" ? src.record : {};
  report.record = { cc: asTextList(record.cc), printer: asText(record.printer), print_date: asText(record.print_date) };
  const options = src.options && typeof src.options === "object" ? src.options : {};
  for (const [key, fallback] of Object.entries(defaultOptions())) {
    const value = options[key];
    report.options[key] = typeof fallback === "boolean" ? value === true : value ? asText(value) : fallback;
  }
  if (src.filename) report.filename = asText(src.filename);
  if (src.unit_template) report.unit_template = asText(src.unit_template);
  return { report, ignored };
}

function hasText(value) {
  return Array.isArray(value) ? value.some((v) => asText(v).trim()) : Boolean(asText(value).trim());
}

/** The report as posted: empty optional parts left out, everything typed kept. */
function payload() {
  const r = state.report;
  const out = { template: r.template, title: r.title };
  for (const name of [...TEXT_FIELDS, ...LIST_FIELDS]) {
    if (name !== "title" && hasText(r[name])) out[name] = r[name];
  }
  if (r.sections.length) out.sections = r.sections;
  if (out.attachments) out.attachments = items.postedAttachments(out.attachments);
  const header = Object.fromEntries(Object.entries(r.header).filter(([, v]) => v.trim()));
  if (Object.keys(header).length) out.header = header;
  const record = {};
  if (hasText(r.record.cc)) record.cc = r.record.cc;
  if (r.record.printer.trim()) record.printer = r.record.printer;
  if (r.record.print_date.trim()) record.print_date = r.record.print_date;
  if (Object.keys(record).length) out.record = record;
  out.options = r.options;
  if (r.filename) out.filename = r.filename;
  if (r.unit_template) out.unit_template = r.unit_template;
  return out;
}

// ---------------------------------------------------------------------------
// Plain controls ⇄ the report (data-bind="title", "options.seal", "header.issuer")

function getBound(path) {
  return path.split(".").reduce((obj, key) => (obj == null ? undefined : obj[key]), state.report);
}

function setBound(path, value) {
  const keys = path.split(".");
  const last = keys.pop();
  const target = keys.reduce((obj, key) => (obj[key] ??= {}), state.report);
  target[last] = value;
}

function readControl(control) {
  if (control.type === "checkbox") return control.checked;
  if (control.hasAttribute("data-lines")) return lines(control.value);
  return control.value;
}

function writeControl(control, value) {
  if (control.type === "checkbox") control.checked = value === true;
  else if (Array.isArray(value)) control.value = value.join("\n");
  else control.value = asText(value);
}

function boundControls() {
  return form.querySelectorAll("[data-bind]");
}

function writeAllControls() {
  for (const control of boundControls()) writeControl(control, getBound(control.dataset.bind));
  syncDatePicker();
}

function groupInUse(name, fields) {
  if (fields.has(name)) return true;
  if (name === "header") return Object.values(state.report.header).some(hasText);
  if (name === "record") return Object.values(state.report.record).some(hasText);
  if (name === "sections") return state.report.sections.length > 0;
  return hasText(state.report[name]);
}

/** Show the fields the kind uses, and any other field that holds text. */
function applyKind() {
  const kind = kinds[state.report.template];
  const fields = new Set(kind ? kind.fields : []);
  for (const box of form.querySelectorAll(".field[data-group]")) box.hidden = !groupInUse(box.dataset.group, fields);
  for (const set of form.querySelectorAll("fieldset[data-group]")) {
    set.hidden = [...set.querySelectorAll(".field[data-group]")].every((box) => box.hidden);
  }
  kindSelect.value = state.report.template;
  $("template-field").value = state.report.template;
  $("kind-description").textContent = kind ? kind.description : "";
}

function syncDatePicker() {
  const value = $("f-date").value.trim();
  $("f-date-picker").value = ISO_DATE_RE.test(value) ? value : "";
}

// ---------------------------------------------------------------------------
// The outline editor

const ACTIONS = [
  { act: "up", text: "上移", can: outline.canMoveUp, run: outline.moveUp, done: "已上移" },
  { act: "down", text: "下移", can: outline.canMoveDown, run: outline.moveDown, done: "已下移" },
  { act: "outdent", text: "升级", title: "提升一级：成为上级标题的同级", can: outline.canOutdent, run: outline.outdent, done: "已升级" },
  { act: "indent", text: "降级", title: "降低一级：成为上一个同级标题的下级", can: outline.canIndent, run: outline.indent, done: "已降级" },
  { act: "child", text: "添加下级", can: outline.canAddChild, run: outline.addChild, done: "已添加下级标题", focusHeading: true },
  { act: "after", text: "在后面添加", can: () => true, run: outline.addAfter, done: "已添加同级标题", focusHeading: true },
  { act: "remove", text: "删除", can: outline.canRemove, run: outline.remove, done: "已删除", focusHeading: true },
];
const ACTION_BY_NAME = Object.fromEntries(ACTIONS.map((a) => [a.act, a]));

function sectionLabel(path) {
  const sections = state.report.sections;
  if (outline.isPart(sections, path)) return `第${label(1, path[0] + 1).slice(0, -1)}部分`;
  const level = outline.levelOf(sections, path);
  return level <= MAX_LEVELS ? label(level, path[path.length - 1] + 1) : "？";
}

function labelled(control, text, className) {
  const lab = el("label", className, text);
  lab.htmlFor = control.id;
  return lab;
}

function parasLabel(paras, lab) {
  // Visibly the same under every heading; the hidden part tells screen readers which one.
  const text = labelled(paras, "段落（每行一段）", "sec-paras-label");
  text.prepend(el("span", "visually-hidden", `${lab}下的`));
  return text;
}

function errorSlot(id) {
  const slot = el("p", "field-error");
  slot.id = `${id}-error`;
  slot.hidden = true;
  return slot;
}

function sectionItem(node, path) {
  const sections = state.report.sections;
  const part = outline.isPart(sections, path);
  const level = outline.levelOf(sections, path);
  const id = `sec-${path.join("-")}`;
  const lab = sectionLabel(path);
  const item = el("li", part ? "section part" : `section level-${Math.min(level, MAX_LEVELS)}`);

  const heading = el("input", "sec-heading");
  Object.assign(heading, { type: "text", id: `${id}-heading`, value: node.heading, autocomplete: "off" });
  heading.dataset.sec = path.join("-");
  heading.dataset.prop = "heading";
  heading.setAttribute("aria-describedby", `${id}-heading-error`);
  const headLabel = el("label", "sec-label");
  headLabel.htmlFor = heading.id;
  headLabel.append(el("span", "sec-num", lab), el("span", "sec-level", part ? "部分（居中，一、在部分内重新编号）" : LEVEL_NAMES[level - 1] || "超过四级"));

  const runIn = el("input");
  Object.assign(runIn, { type: "checkbox", id: `${id}-runin`, checked: node.run_in });
  runIn.dataset.sec = heading.dataset.sec;
  runIn.dataset.prop = "run_in";
  runIn.setAttribute("aria-describedby", `${id}-runin-error`);

  // Paragraphs, lead sentences and tables: items.js edits node.paragraphs in place.
  const parasEditor = items.itemsEditor(node, "paragraphs", `${id}-paras`, changed, { rows: 2 });
  const paras = parasEditor.first;

  const tools = el("div", "sec-tools");
  tools.id = `${id}-tools`;
  tools.setAttribute("role", "group");
  tools.setAttribute("aria-label", `“${lab}”的操作`);
  for (const action of ACTIONS) {
    const button = el("button", action.act === "remove" ? "small danger" : "small", action.text);
    button.type = "button";
    button.dataset.act = action.act;
    button.dataset.sec = heading.dataset.sec;
    if (action.title) button.title = action.title;
    button.disabled = !action.can(sections, path);
    tools.append(button);
  }

  const head = el("div", "sec-head");
  head.append(headLabel, heading);
  const runInRow = el("div", "sec-runin");
  runInRow.append(runIn, labelled(runIn, "段首标题（标题与第一段连排）"));
  item.append(
    head,
    errorSlot(`${id}-heading`),
    ...(part ? [] : [runInRow, errorSlot(`${id}-runin`)]),
    parasLabel(paras, lab),
    parasEditor.element,
    errorSlot(`${id}-paras`),
    tools,
  );
  if (node.sections.length) {
    const children = el("ol", `outline-list level-${Math.min(level + 1, MAX_LEVELS)}`);
    if (part) children.start = 1; // 一、 restarts in every part
    children.append(...node.sections.map((child, i) => sectionItem(child, [...path, i])));
    item.append(children);
  }
  return item;
}

function renderOutline() {
  $("outline-list").replaceChildren(...state.report.sections.map((node, i) => sectionItem(node, [i])));
  decorateOutline();
}

function focusSection(path, act) {
  if (!path) {
    $("add-section").focus();
    return;
  }
  const id = `sec-${path.join("-")}`;
  const button = act && document.querySelector(`#${id}-tools [data-act="${act}"]`);
  const target = button && !button.disabled ? button : $(`${id}-heading`);
  target?.focus();
}

/** Run an outline action; focus follows the section (its heading when typing, else the same button). */
function runAction(name, path, fromHeading = false) {
  const action = ACTION_BY_NAME[name];
  if (!action || !action.can(state.report.sections, path)) return;
  const before = sectionLabel(path);
  rememberDelete(name, path);
  const newPath = action.run(state.report.sections, path);
  state.errors = []; // their paths point at the old positions
  renderOutline();
  changed();
  focusSection(newPath, action.focusHeading || fromHeading ? null : name);
  announce(newPath ? `${action.done}：${before} → ${sectionLabel(newPath)}` : action.done);
  showDeleteUndo();
}

function pathOf(control) {
  return control.dataset.sec.split("-").map(Number);
}

function onOutlineInput(control) {
  const node = outline.nodeAt(state.report.sections, pathOf(control));
  if (control.dataset.prop === "heading") node.heading = control.value;
  else if (control.dataset.prop === "run_in") node.run_in = control.checked;
  else node.paragraphs = lines(control.value);
}

const KEY_ACTIONS = { ArrowUp: "up", ArrowDown: "down", ArrowLeft: "outdent", ArrowRight: "indent" };

function onOutlineKey(event) {
  const control = event.target;
  if (!control.classList.contains("sec-heading")) return;
  if (event.altKey && KEY_ACTIONS[event.key]) {
    event.preventDefault();
    runAction(KEY_ACTIONS[event.key], pathOf(control), true);
  } else if (event.key === "Enter") {
    // Enter goes on to the section's paragraphs instead of submitting the form.
    event.preventDefault();
    $(control.id.replace(/-heading$/, "-paras")).focus();
  }
}

// ---------------------------------------------------------------------------
// Errors: JSON Pointer → the control holding the value

function pointerParts(path) {
  return path.split("/").slice(1).map((p) => p.replaceAll("~1", "/").replaceAll("~0", "~"));
}

/** The id of the control a validation path points into, or null. */
function controlFor(path) {
  const parts = pointerParts(path);
  if (!parts.length || parts[0] === "") return null;
  const [head, key] = parts;
  if (head === "sections") {
    const nodePath = [];
    let rest = parts;
    while (rest[0] === "sections" && /^\d+$/.test(rest[1] || "")) {
      nodePath.push(Number(rest[1]));
      rest = rest.slice(2);
    }
    if (!nodePath.length) return "f-sections";
    const id = `sec-${nodePath.join("-")}`;
    if (rest[0] === "paragraphs") return `${id}-paras`;
    if (rest[0] === "run_in") return `${id}-runin`;
    return `${id}-heading`;
  }
  if (head === "template") return "f-template";
  if (head === "options") return key ? `f-${key}` : null;
  if (head === "header" || head === "record") return key ? `f-${head}-${key}` : null;
  return `f-${head}`;
}

function itemPrefix(path) {
  const parts = pointerParts(path);
  const last = parts[parts.length - 1];
  if (!/^\d+$/.test(last) || parts.length < 2) return "";
  const unit = ["attachments", "cc"].includes(parts[parts.length - 2]) ? "项" : "段";
  return `第 ${Number(last) + 1} ${unit}：`;
}

function fieldName(id) {
  const lab = id && document.querySelector(`label[for="${id}"]`);
  if (lab) return lab.textContent.trim();
  return id === "f-sections" ? "提纲" : "";
}

function clearErrorDisplay() {
  for (const slot of document.querySelectorAll(".field-error")) {
    slot.textContent = "";
    slot.hidden = true;
  }
  for (const control of document.querySelectorAll("[aria-invalid]")) control.removeAttribute("aria-invalid");
}

function showErrors() {
  clearErrorDisplay();
  const shown = [];
  for (const detail of state.errors) {
    const id = controlFor(detail.path);
    const control = id && $(id);
    const visible = control && !control.closest("[hidden]");
    if (!state.showAll && !(visible && state.touched.has(id))) continue;
    const message = itemPrefix(detail.path) + detail.message;
    const slot = visible && $(`${id}-error`);
    if (slot) {
      slot.textContent = slot.textContent ? `${slot.textContent}；${message}` : message;
      slot.hidden = false;
      control.setAttribute("aria-invalid", "true");
    }
    shown.push({ id: slot ? id : null, name: slot ? fieldName(id) : detail.path || "报告", message });
  }
  renderSummary(state.showAll ? shown : []);
}

function renderSummary(items) {
  const box = $("error-summary");
  box.hidden = !items.length;
  $("error-summary-title").textContent = `请修改以下 ${items.length} 处问题`;
  $("error-summary-list").replaceChildren(
    ...items.map(({ id, name, message }) => {
      const li = el("li");
      if (id) {
        const link = el("a", "", name);
        link.href = `#${id}`;
        link.dataset.target = id;
        li.append(link, document.createTextNode(`：${message}`));
      } else {
        li.textContent = `${name}：${message}`;
      }
      return li;
    }),
  );
}

// ---------------------------------------------------------------------------
// Server calls (CSRF token in a header; a stale token is renewed once)

function csrfToken() {
  return document.querySelector('meta[name="csrf-token"]').content;
}

async function renewCsrfToken() {
  const res = await fetch("/web/csrf-token", { headers: { Accept: "application/json" } });
  const { token } = await res.json();
  document.querySelector('meta[name="csrf-token"]').content = token;
  for (const input of document.querySelectorAll('input[name="csrf_token"]')) input.value = token;
}

async function postJson(url, body, retry = true) {
  const res = await fetch(url, {
    method: "POST",
    headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRFToken": csrfToken() },
    body: JSON.stringify(body),
  });
  const data = await res.json().catch(() => ({}));
  if (res.status === 400 && data.error?.code === "csrf_failed" && retry) {
    await renewCsrfToken();
    return postJson(url, body, false);
  }
  return { status: res.status, data };
}

/** Validate now; the problems ([] when none), or null when the server could not answer
    (or, for the checks run while typing, when a newer check has started). */
async function validateNow(submitting = false) {
  const seq = ++state.validateSeq;
  let result;
  try {
    result = await postJson("/web/validate", payload());
  } catch {
    notice("无法连接服务器，暂时不能检查和下载；填写的内容已保存在浏览器草稿中。");
    return null;
  }
  if (seq !== state.validateSeq && !submitting) return null; // a newer check is under way
  if (result.status === 200) state.errors = [];
  else if (result.status === 422) state.errors = result.data.error?.details || [];
  else {
    notice(result.data.error?.message || `检查失败（HTTP ${result.status}）`);
    return null;
  }
  showErrors();
  showNotes(result.data.notes || []);
  return state.errors;
}

const scheduleValidate = debounce(validateNow, 500);

// ---------------------------------------------------------------------------
// Drafts

function saveDraft() {
  try {
    localStorage.setItem(DRAFT_KEY, JSON.stringify({ version: 1, savedAt: Date.now(), report: state.report }));
    const time = new Date().toLocaleTimeString("zh-CN", { hour12: false });
    $("draft-status").textContent = `草稿已自动保存（${time}）`;
  } catch {
    $("draft-status").textContent = "草稿未能保存（浏览器存储已满或被禁用）；请用“导出 JSON”备份";
  }
}

const scheduleSave = debounce(saveDraft, 300);

function loadDraft() {
  try {
    const saved = JSON.parse(localStorage.getItem(DRAFT_KEY) || "null");
    return saved && saved.version === 1 ? saved : null;
  } catch {
    return null;
  }
}

// ---------------------------------------------------------------------------
// Change propagation

let previewFrame = 0;

function changed() {
  $("report-json").value = JSON.stringify(payload());
  if (!previewFrame) {
    previewFrame = requestAnimationFrame(() => {
      previewFrame = 0;
      renderPreview($("paper"), state.report);
    });
  }
  scheduleSave();
  scheduleValidate();
}

function renderAll() {
  items.mountListEditors(state.report, changed);
  writeAllControls();
  applyKind();
  renderOutline();
  showErrors();
}

/** Replace the whole report (kind example, clear, import), keeping one undo step.
    `keepUndo`: the undo step stays (choosing another report of the same import). */
function replaceReport(report, undoLabel, keepUndo = false) {
  forgetDelete(); // its place is in the report being replaced
  if (!keepUndo || !state.undo) state.undo = { report: clone(state.report), label: undoLabel };
  state.report = report;
  state.errors = [];
  state.showAll = false;
  state.touched.clear();
  renderAll();
  changed();
  showUndo();
}

function showUndo() {
  const undo = $("undo");
  undo.hidden = !state.undo;
  if (state.undo) undo.textContent = `撤销${state.undo.label}`;
}

function loadScaffold(kindId) {
  const kind = kinds[kindId];
  if (!kind) return;
  replaceReport(normalizeReport(kind.scaffold).report, `填入“${kind.name}”示例`);
  notice(`已按“${kind.name}”填入示例内容；之前的内容可以撤销恢复。`);
}

function undo() {
  if (!state.undo) return;
  const { report, label: what } = state.undo;
  state.undo = null;
  state.report = report;
  state.errors = [];
  renderAll();
  changed();
  $("undo").hidden = true;
  if (imported.reports.length) {
    // The form no longer holds an imported report: its choices and warnings go too.
    imported.reports = [];
    $("import-result").hidden = true;
  }
  notice(`已撤销${what}。`);
}

function clearAll() {
  replaceReport(emptyReport(state.report.template), "清空");
  scheduleSave.flush();
  localStorage.removeItem(DRAFT_KEY);
  $("draft-status").textContent = "已清空，草稿已删除";
  notice("已清空全部内容；需要时可以撤销。");
  $("f-title").focus();
}

// ---------------------------------------------------------------------------
// JSON export / import

function safeFileStem(title) {
  const stem = title.split(/\s+/).join(" ").replace(/[\\/:*?"<>|\u0000-\u001f\u007f]+/g, "_").replace(/^[ ._]+|[ ._]+$/g, "");
  return (stem || "report").slice(0, 80);
}

function saveBlob(blob, filename) {
  const url = URL.createObjectURL(blob);
  const link = el("a");
  link.href = url;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

function exportJson() {
  const text = JSON.stringify(payload(), null, 2);
  saveBlob(new Blob([text], { type: "application/json" }), `${safeFileStem(state.report.title)}.json`);
  announce("已导出 JSON");
}

async function importJson(file) {
  let data;
  try {
    data = JSON.parse(await file.text());
  } catch {
    notice(`“${file.name}”不是有效的 JSON 文件，未导入。`);
    return;
  }
  // Also accepts the importer's answer ({"reports": [...]}) and a batch array: the first report.
  if (data && Array.isArray(data.reports)) data = data.reports[0];
  if (Array.isArray(data)) data = data[0];
  if (!data || typeof data !== "object") {
    notice(`“${file.name}”里没有报告内容，未导入。`);
    return;
  }
  const { report, ignored } = normalizeReport(data);
  replaceReport(report, "导入");
  notice(`已导入“${file.name}”。${ignored.length ? `以下字段表单不支持，已忽略：${ignored.join("、")}。` : ""}`);
}

// ---------------------------------------------------------------------------
// The import box: pasted text or a .txt/.docx → the importer → the form

const imported = { reports: [], chosen: 0 };

/** A form post (multipart) answered with JSON; a stale CSRF token is renewed once. */
async function postForm(url, body, retry = true) {
  const res = await fetch(url, {
    method: "POST",
    headers: { Accept: "application/json", "X-CSRFToken": csrfToken() },
    body,
  });
  const data = await res.json().catch(() => ({}));
  if (res.status === 400 && data.error?.code === "csrf_failed" && retry) {
    await renewCsrfToken();
    return postForm(url, body, false);
  }
  return { status: res.status, data };
}

function importError(text) {
  const slot = $("f-import-error");
  slot.textContent = text;
  slot.hidden = !text;
  const area = $("f-import-text");
  if (text) area.setAttribute("aria-invalid", "true");
  else area.removeAttribute("aria-invalid");
}

/** Fill the form with one of the imported reports; the undo step keeps the draft from before the import. */
function fillImported(index, first) {
  const { report } = normalizeReport(imported.reports[index]);
  report.options = clone(state.report.options); // the layout choices are the user's, not the text's
  imported.chosen = index;
  replaceReport(report, "导入", !first);
  const n = imported.reports.length;
  const which = n > 1 ? `第 ${index + 1} 份（共 ${n} 份）` : "";
  notice(`已识别并填入${which}“${report.title}”；请核对各级标题和正文。之前的内容可以撤销恢复。`);
  renderImportChoices();
}

function renderImportChoices() {
  const n = imported.reports.length;
  $("import-choices-box").hidden = n < 2;
  $("import-choices").replaceChildren(
    ...imported.reports.map((report, i) => {
      const li = el("li");
      li.append(el("span", "choice-title", asText(report.title) || "（无标题）"));
      if (i === imported.chosen) {
        li.append(el("span", "choice-current", "（已填入）"));
      } else {
        const button = el("button", "small", `填入第 ${i + 1} 份`);
        button.type = "button";
        button.dataset.choice = String(i);
        li.append(button);
      }
      return li;
    }),
  );
  const title = asText(imported.reports[imported.chosen]?.title);
  $("import-summary").textContent =
    n > 1 ? `识别出 ${n} 份报告，已填入第 ${imported.chosen + 1} 份“${title}”；可在下面选择其他一份。` : `已识别并填入“${title}”。`;
}

// A warning is {line, message, code} (contract v1.1); older servers sent strings.
function warningItem(w) {
  const message = typeof w === "string" ? w : asText(w?.message);
  const line = typeof w === "object" && Number.isInteger(w?.line) ? w.line : null;
  const li = el("li", "", "");
  if (line === null) {
    li.textContent = message;
    return li;
  }
  // The line number sits beside the message; a click shows that line in the pasted text.
  const where = el("button", "warning-line link-button", `第 ${line} 行`);
  where.type = "button";
  where.title = "在粘贴的文本中选中这一行";
  where.addEventListener("click", () => selectTextLine($("f-import-text"), line));
  li.dataset.line = String(line);
  li.append(where, document.createTextNode(`　${message}`));
  return li;
}

function selectTextLine(textarea, line) {
  const lines = textarea.value.split("\n");
  if (line < 1 || line > lines.length) return;
  const start = lines.slice(0, line - 1).reduce((sum, text) => sum + text.length + 1, 0);
  textarea.focus();
  textarea.setSelectionRange(start, start + lines[line - 1].length);
  const lineHeight = parseFloat(getComputedStyle(textarea).lineHeight) || 20;
  textarea.scrollTop = Math.max(0, (line - 3) * lineHeight);
}

function showImportResult(warnings) {
  $("import-result").hidden = false;
  $("import-warnings-box").hidden = !warnings.length;
  $("import-warnings-title").textContent = `识别时的提示（${warnings.length}）`;
  $("import-warnings").replaceChildren(...warnings.map(warningItem));
  renderImportChoices();
}

async function onImportSubmit(event) {
  event.preventDefault();
  const importForm = event.target;
  const fileInput = $("f-import-file");
  if (!fileInput.files.length && !$("f-import-text").value.trim()) {
    importError("请先粘贴报告文本，或选择要识别的 .txt / .docx 文件。");
    $("f-import-text").focus();
    return;
  }
  const button = $("import-submit");
  button.disabled = true;
  importError("");
  $("import-status").textContent = "正在识别……";
  let result;
  try {
    result = await postForm(importForm.action, new FormData(importForm));
  } catch {
    result = { status: 0, data: { error: { message: "无法连接服务器，未能识别；表单中的内容没有改动。" } } };
  } finally {
    button.disabled = false;
    $("import-status").textContent = "";
  }
  const { status, data } = result;
  if (status !== 200 || !Array.isArray(data.reports) || !data.reports.length) {
    importError(data.error?.message || `识别失败（HTTP ${status}），表单中的内容没有改动。`);
    return;
  }
  imported.reports = data.reports;
  fileInput.value = ""; // the next click reads the paste again, not this file
  fillImported(0, true);
  showImportResult(data.warnings || []);
  announce($("import-summary").textContent);
}

// ---------------------------------------------------------------------------
// Download and PDF preview

function base64Blob(dataUri, type) {
  const bytes = Uint8Array.from(atob(dataUri.split(",", 2)[1]), (c) => c.charCodeAt(0));
  return new Blob([bytes], { type });
}

let pdfUrl = null;

function closePdf() {
  $("pdf-panel").hidden = true;
  $("paper-wrap").hidden = false;
  if (pdfUrl) URL.revokeObjectURL(pdfUrl);
  pdfUrl = null;
}

async function showPdfPreview() {
  const button = $("preview-pdf");
  closePdf();
  $("pdf-panel").hidden = false;
  $("paper-wrap").hidden = true;
  $("pdf-pages").replaceChildren();
  $("pdf-open").hidden = true;
  $("pdf-status").textContent = "正在用 LibreOffice 排版，请稍候……";
  button.disabled = true;
  try {
    const { status, data } = await postJson("/web/preview", payload());
    if (status === 422) {
      state.errors = data.error?.details || [];
      showErrors();
      closePdf();
      $("error-summary").focus();
      return;
    }
    if (status !== 200) {
      $("pdf-status").textContent = data.error?.message || `PDF 预览失败（HTTP ${status}）`;
      return;
    }
    showPdfPages(data);
  } catch {
    $("pdf-status").textContent = "无法连接服务器，PDF 预览失败。";
  } finally {
    button.disabled = false;
  }
}

function showPdfPages(data) {
  pdfUrl = URL.createObjectURL(base64Blob(data.pdf, "application/pdf"));
  const pages = data.pages.map((src, i) => {
    const img = el("img", "pdf-page");
    img.src = src;
    img.alt = `第 ${i + 1} 页`;
    return img;
  });
  if (!pages.length) {
    // No page images on this server: the browser's own PDF viewer.
    const frame = el("iframe", "pdf-frame");
    frame.src = pdfUrl;
    frame.title = "PDF 预览";
    pages.push(frame);
  }
  $("pdf-pages").replaceChildren(...pages);
  const more = data.pages.length && data.pages.length < data.page_count ? `，下面显示前 ${data.pages.length} 页` : "";
  $("pdf-status").textContent = `共 ${data.page_count} 页${more}。${data.notice}：字形与正式字体不同，行数、每行字数和版面位置一致。`;
  const link = $("pdf-open");
  link.href = pdfUrl;
  link.download = data.filename;
  link.hidden = false;
}

async function onSubmit(event) {
  event.preventDefault();
  if (state.submitting) return; // a double click posts once
  const previewing = event.submitter && event.submitter.id === "preview-pdf";
  state.showAll = true;
  changed();
  scheduleValidate.cancel(); // this check decides; no typing-time check may overtake it
  state.submitting = true;
  const problems = await validateNow(true).finally(() => {
    state.submitting = false;
  });
  if (problems === null) return;
  if (problems.length) {
    $("error-summary").focus();
    return;
  }
  if (previewing) {
    showPdfPreview();
    return;
  }
  scheduleSave.flush();
  notice("");
  form.submit(); // a native post: the browser saves the .docx under the server's file name
}

// ---------------------------------------------------------------------------
// Undo after deleting a section: one mis-click must not lose a chapter.
// The deleted node goes back to its place; any other change of the outline's
// shape (or of the whole report) ends the chance, as the place may be gone.

const deleted = { path: null, node: null, label: "", typedSince: false };

function rememberDelete(name, path) {
  if (name !== "remove") {
    forgetDelete();
    return;
  }
  const node = outline.nodeAt(state.report.sections, path);
  const heading = node.heading.trim();
  Object.assign(deleted, {
    path: [...path],
    node: clone(node),
    label: `${sectionLabel(path)}${heading ? heading.slice(0, 24) : "（无标题）"}`,
    typedSince: false,
  });
}

function deleteUndoBar() {
  let bar = $("delete-undo");
  if (bar) return bar;
  bar = el("div", "delete-undo");
  bar.id = "delete-undo";
  bar.setAttribute("role", "status");
  bar.hidden = true;
  const text = el("span", "delete-undo-text");
  text.id = "delete-undo-text";
  const button = el("button", "primary", "撤销");
  Object.assign(button, { type: "button", id: "delete-undo-button", title: "撤销删除（Ctrl+Z）" });
  button.addEventListener("click", undoDelete);
  const close = el("button", "small", "×");
  Object.assign(close, { type: "button", title: "关闭" });
  close.setAttribute("aria-label", "关闭撤销提示");
  close.addEventListener("click", forgetDelete);
  bar.append(text, button, close);
  $("f-sections").append(bar);
  return bar;
}

function showDeleteUndo() {
  const bar = deleteUndoBar();
  if (!deleted.node) {
    bar.hidden = true;
    return;
  }
  $("delete-undo-text").textContent = `已删除“${deleted.label}”及其下级内容。`;
  bar.hidden = false;
}

function forgetDelete() {
  deleted.node = null;
  deleted.path = null;
  const bar = $("delete-undo");
  if (bar) bar.hidden = true;
}

function undoDelete() {
  if (!deleted.node) return;
  const { path, node, label: what } = deleted;
  const { list, index } = outline.siblings(state.report.sections, path);
  list.splice(Math.min(index, list.length), 0, node);
  forgetDelete();
  state.errors = [];
  renderOutline();
  changed();
  focusSection(path);
  announce(`已恢复“${what}”`);
  notice(`已撤销删除：“${what}”已恢复。`);
}

/** Ctrl+Z (⌘Z) undoes the delete, unless the focus is in a box typed in since: that is the browser's own undo. */
function onUndoKey(event) {
  if (!deleted.node || !(event.ctrlKey || event.metaKey) || event.shiftKey || event.altKey) return;
  if (event.key.toLowerCase() !== "z") return;
  const typing = event.target.matches?.('input[type="text"], textarea');
  if (typing && deleted.typedSince) return;
  event.preventDefault();
  undoDelete();
}

// ---------------------------------------------------------------------------
// Changing 文种 keeps what was typed: only fields still empty, or still holding
// the previous kind's example, take the new kind's example.

const KIND_FIELD_NAMES = {
  title: "标题", subtitle: "副标题", speaker: "报告人", recipient: "主送机关", salutation: "称谓", signature: "署名",
  date: "成文日期", preamble: "开头段落", closing: "结尾段落", attachments: "附件", sections: "提纲",
};

function isBlank(value) {
  if (Array.isArray(value)) return !value.length || (typeof value[0] === "string" && !hasText(value));
  return !asText(value).trim();
}

function untouched(value, example) {
  return isBlank(value) || JSON.stringify(value) === JSON.stringify(example);
}

function switchKind(kindId) {
  const kind = kinds[kindId];
  if (!kind || kindId === state.report.template) return;
  const previous = normalizeReport(kinds[state.report.template]?.scaffold).report;
  const example = normalizeReport(kind.scaffold).report;
  const next = clone(state.report);
  next.template = kindId;
  const kept = [];
  for (const key of Object.keys(KIND_FIELD_NAMES)) {
    if (!untouched(state.report[key], previous[key])) kept.push(KIND_FIELD_NAMES[key]);
    else if (example[key] === undefined) delete next[key];
    else next[key] = clone(example[key]);
  }
  for (const group of ["header", "record"]) {
    for (const [key, value] of Object.entries(state.report[group])) {
      if (!untouched(value, previous[group][key])) kept.push(fieldName(`f-${group}-${key}`) || key);
      else next[group][key] = clone(example[group][key] ?? (Array.isArray(value) ? [] : ""));
    }
  }
  replaceReport(next, `切换文种为“${kind.name}”`);
  notice(kept.length
    ? `已切换为“${kind.name}”：保留了您填写的${kept.join("、")}；空着的栏目填入了示例。需要整份换成示例时，点“填入示例”。`
    : `已按“${kind.name}”填入示例内容；之前的内容可以撤销恢复。`);
}

// ---------------------------------------------------------------------------
// Notes: what the service corrected instead of refusing (发文字号 typed as [2025]、08号)

function showNotes(notes) {
  for (const old of form.querySelectorAll(".field-note")) old.remove();
  for (const n of notes) {
    const id = controlFor(n.path);
    const control = id && $(id);
    if (!control) continue;
    const note = el("p", "field-note", n.message);
    note.id = `${id}-note`;
    ($(`${id}-error`) || control).after(note);
  }
}

// ---------------------------------------------------------------------------
// The outline's extras: the 。 a run-in heading will get, and the actions
// folded into a menu on a phone.

function runInNoteText(node) {
  const heading = node.heading.trim();
  if (!node.run_in || !heading || runInHeadingEnds(heading)) return "";
  return `标题末尾没有句号，文档中将自动加“${runInDefaultEnd()}”，与后面的正文分开。`;
}

function updateRunInNote(path) {
  const id = `sec-${path.join("-")}`;
  const row = $(`${id}-runin`)?.closest(".sec-runin");
  if (!row) return;
  const text = runInNoteText(outline.nodeAt(state.report.sections, path));
  let note = $(`${id}-runin-note`);
  if (!text) {
    note?.remove();
    return;
  }
  if (!note) {
    note = el("span", "sec-runin-note");
    note.id = `${id}-runin-note`;
    row.append(note);
  }
  note.textContent = text;
}

function decorateOutline() {
  for (const tools of $("outline-list").querySelectorAll(".sec-tools")) {
    const path = tools.id.replace(/^sec-|-tools$/g, "").split("-").map(Number);
    updateRunInNote(path);
    const toggle = el("button", "small sec-menu-toggle", "操作 ▾");
    Object.assign(toggle, { type: "button", id: `${tools.id}-toggle` });
    toggle.setAttribute("aria-expanded", "false");
    toggle.setAttribute("aria-controls", tools.id);
    tools.before(toggle);
  }
}

function onMenuToggle(event) {
  const toggle = event.target.closest(".sec-menu-toggle");
  if (!toggle) return;
  const tools = $(toggle.getAttribute("aria-controls"));
  const open = !tools.classList.contains("open");
  tools.classList.toggle("open", open);
  toggle.setAttribute("aria-expanded", String(open));
}

// ---------------------------------------------------------------------------
// Unit templates (letterheads uploaded by an administrator): a picker in 版式

async function addUnitTemplatePicker() {
  let list = [];
  try {
    const res = await fetch("/web/unit-templates", { headers: { Accept: "application/json" } });
    if (res.ok) list = (await res.json()).unit_templates || [];
  } catch {
    return;
  }
  if (!list.length && !state.report.unit_template) return;
  const box = el("div", "field");
  box.id = "unit-template-field";
  const select = el("select");
  Object.assign(select, { id: "f-unit_template" });
  select.dataset.bind = "unit_template";
  select.append(new Option("不使用（标准版式）", ""));
  for (const t of list) select.append(new Option(t.name, t.id));
  if (state.report.unit_template && !list.some((t) => t.id === state.report.unit_template)) {
    select.append(new Option(`已删除的模板（${state.report.unit_template}）`, state.report.unit_template));
  }
  const help = el("p", "help", "单位自己的红头或信笺模板，由管理员上传；选择后正文套入该模板。");
  help.id = "f-unit_template-help";
  select.setAttribute("aria-describedby", "f-unit_template-help f-unit_template-error");
  box.append(labelled(select, "单位模板"), select, help, errorSlot("f-unit_template"));
  form.querySelector(".more-options").before(box);
  writeControl(select, state.report.unit_template || "");
}

// ---------------------------------------------------------------------------
// Print: the PDF preview (LibreOffice) printed by the browser

async function printPdf() {
  const button = $("print-pdf");
  state.showAll = true;
  const problems = await validateNow(true);
  if (problems === null) return;
  if (problems.length) {
    $("error-summary").focus();
    return;
  }
  button.disabled = true;
  notice("正在生成打印用的 PDF……");
  try {
    const res = await fetch("/web/preview.pdf", {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/pdf, application/json", "X-CSRFToken": csrfToken() },
      body: JSON.stringify(payload()),
    });
    if (!res.ok) {
      const data = await res.json().catch(() => ({}));
      notice(data.error?.message || `无法生成 PDF（HTTP ${res.status}）`);
      return;
    }
    const url = URL.createObjectURL(await res.blob());
    $("print-frame")?.remove();
    const frame = el("iframe", "print-frame");
    Object.assign(frame, { id: "print-frame", src: url, title: "打印用 PDF" });
    frame.addEventListener("load", () => {
      notice("已打开打印对话框（PDF 用替代字体，版面与 Word 文档一致）。");
      frame.contentWindow?.print();
    });
    document.body.append(frame);
  } catch {
    notice("无法连接服务器，暂时不能打印。");
  } finally {
    button.disabled = false;
  }
}

function addPrintButton() {
  const preview = $("preview-pdf");
  if (!pageData.pdfAvailable || !preview) return;
  const button = el("button", "secondary", "打印");
  Object.assign(button, { type: "button", id: "print-pdf", title: "生成 PDF 并用浏览器打印" });
  button.addEventListener("click", printPdf);
  preview.after(button);
}

function wireFormHelpers() {
  document.addEventListener("keydown", onUndoKey);
  form.addEventListener("input", (event) => {
    if (deleted.node) deleted.typedSince = true;
    const control = event.target;
    if (control.dataset.sec && ["heading", "run_in"].includes(control.dataset.prop)) updateRunInNote(pathOf(control));
  });
  $("outline-list").addEventListener("click", onMenuToggle);
  addPrintButton();
  addUnitTemplatePicker();
}

// ---------------------------------------------------------------------------
// Wiring

function onFormInput(event) {
  const control = event.target;
  if (control.dataset.sec) onOutlineInput(control);
  else if (control.dataset.bind) setBound(control.dataset.bind, readControl(control));
  else if (control.id === "f-date-picker") {
    $("f-date").value = control.value;
    setBound("date", control.value);
  } else return;
  if (control.id === "f-date") syncDatePicker();
  changed();
}

function onFormChange(event) {
  const id = event.target.id === "f-date-picker" ? "f-date" : event.target.id;
  if (id) state.touched.add(id);
  showErrors();
}

function onKeydown(event) {
  if (event.target.dataset.sec) {
    onOutlineKey(event);
    return;
  }
  // Enter in a one-line field must not post the form behind the user's back.
  if (event.key === "Enter" && event.target.matches('input[type="text"]')) event.preventDefault();
}

function onOutlineClick(event) {
  const button = event.target.closest("button[data-act]");
  if (button) runAction(button.dataset.act, pathOf(button));
}

function wire() {
  form.addEventListener("input", onFormInput);
  form.addEventListener("change", onFormChange);
  form.addEventListener("keydown", onKeydown);
  form.addEventListener("submit", onSubmit);
  $("outline-list").addEventListener("click", onOutlineClick);
  $("add-section").addEventListener("click", () => {
    const path = outline.addTop(state.report.sections);
    renderOutline();
    changed();
    focusSection(path);
    announce(`已添加一级标题 ${sectionLabel(path)}`);
  });
  $("add-part").addEventListener("click", () => {
    const first = !outline.hasParts(state.report.sections);
    const path = outline.addPart(state.report.sections);
    state.errors = [];
    renderOutline();
    changed();
    focusSection(path);
    announce(first ? `已添加${sectionLabel(path)}，原有标题都归入其中` : `已添加${sectionLabel(path)}`);
  });
  kindSelect.addEventListener("change", () => switchKind(kindSelect.value));
  $("kind-form").addEventListener("submit", (event) => {
    event.preventDefault();
    loadScaffold(kindSelect.value);
  });
  $("clear").addEventListener("click", clearAll);
  $("undo").addEventListener("click", undo);
  $("import-form").addEventListener("submit", onImportSubmit);
  $("import-choices").addEventListener("click", (event) => {
    const button = event.target.closest("button[data-choice]");
    if (!button) return;
    fillImported(Number(button.dataset.choice), false);
    $("import-summary").focus(); // the clicked button is gone; the summary says what was filled in
  });
  $("export-json").addEventListener("click", exportJson);
  $("import-json").addEventListener("change", (event) => {
    const [file] = event.target.files;
    event.target.value = ""; // the same file can be imported again
    if (file) importJson(file);
  });
  $("pdf-close").addEventListener("click", closePdf);
  $("error-summary").addEventListener("click", (event) => {
    const link = event.target.closest("a[data-target]");
    if (!link) return;
    event.preventDefault();
    const target = $(link.dataset.target);
    target.scrollIntoView({ block: "center" });
    target.focus();
  });
  // Keep the last keystrokes when the page is closed or reloaded.
  window.addEventListener("pagehide", () => scheduleSave.flush());
}

/** The script posts only the report JSON (and the CSRF token); the plain fields are for no-JS.
    The import form's own token field is for no-JS too: the script sends the token in a header. */
function dropPlainFieldNames() {
  for (const control of form.querySelectorAll("[name]")) {
    if (!["csrf_token", "report_json"].includes(control.name)) control.removeAttribute("name");
  }
  $("import-form").querySelector('input[name="csrf_token"]')?.remove();
}

function init() {
  configureEngineRules(pageData.engineRules, () => renderPreview($("paper"), state.report));
  dropPlainFieldNames();
  const draftBefore = loadDraft();
  if (pageData.report) {
    // The server answered a post it could not accept: show what was sent, and why.
    state.report = normalizeReport(pageData.report).report;
    state.errors = pageData.errors || [];
    state.showAll = state.errors.length > 0;
  } else {
    const draft = loadDraft();
    if (draft) {
      state.report = normalizeReport(draft.report).report;
      const when = new Date(draft.savedAt).toLocaleString("zh-CN", { hour12: false });
      $("draft-status").textContent = `已恢复上次的草稿（${when}保存）`;
    } else {
      state.report = normalizeReport(kinds[kindSelect.value]?.scaffold).report;
    }
  }
  if (pageData.imported) {
    // A plain post of an import (e.g. from the 格式检查 page): the draft it replaced can be restored.
    imported.reports = pageData.imported.reports;
    imported.chosen = pageData.imported.chosen;
    if (draftBefore) state.undo = { report: normalizeReport(draftBefore.report).report, label: "导入" };
    showImportResult(pageData.imported.warnings || []);
  }
  renderAll();
  showUndo();
  $("report-json").value = JSON.stringify(payload());
  renderPreview($("paper"), state.report);
  if (pageData.report) saveDraft();
  wire();
  wireFormHelpers();
}

init();
