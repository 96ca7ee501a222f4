// Paragraph items (v1.1) on the form: a list of paragraphs may hold plain
// strings, lead-sentence paragraphs {lead, text} and tables {table: …}.
// The editor shows runs of text paragraphs as a textarea (one paragraph a
// line, with a 段首句 switch) and each table as a table editor, in order,
// and edits the list in place. Also the attachments editor: a name, and an
// optional body with its own small outline.

import { asText, el } from "./dom.js";
import { newTable, tableEditor } from "./table_editor.js";

function cell(value) {
  if (value && typeof value === "object" && !Array.isArray(value)) {
    const out = { text: asText(value.text) };
    for (const key of ["colspan", "rowspan"]) if (Number(value[key]) > 1) out[key] = Number(value[key]);
    return Object.keys(out).length > 1 ? out : out.text;
  }
  return asText(value);
}

function rows(value) {
  return Array.isArray(value) ? value.map((row) => (Array.isArray(row) ? row.map(cell) : [cell(row)])) : [];
}

/** Any imported or restored value as a paragraph item. */
export function normalizeItem(value) {
  if (value && typeof value === "object" && !Array.isArray(value)) {
    if (value.table && typeof value.table === "object") {
      const t = value.table;
      return {
        table: {
          title: asText(t.title), header: rows(t.header), rows: rows(t.rows),
          notes: Array.isArray(t.notes) ? t.notes.map(asText) : [], landscape: t.landscape === true,
        },
      };
    }
    if ("lead" in value) return { lead: asText(value.lead), text: asText(value.text) };
  }
  return asText(value);
}

export function normalizeItems(value) {
  if (Array.isArray(value)) return value.map(normalizeItem);
  return value ? [normalizeItem(value)] : [];
}

export function normalizeAttachment(value) {
  if (value && typeof value === "object" && !Array.isArray(value)) {
    return {
      name: asText(value.name),
      preamble: normalizeItems(value.preamble),
      sections: Array.isArray(value.sections) ? value.sections.map(normalizeAttachmentSection) : [],
      closing: normalizeItems(value.closing),
    };
  }
  return asText(value);
}

function normalizeAttachmentSection(value) {
  const src = value && typeof value === "object" ? value : { heading: asText(value) };
  return { ...src, heading: asText(src.heading), paragraphs: normalizeItems(src.paragraphs), sections: Array.isArray(src.sections) ? src.sections : [] };
}

export function normalizeAttachments(value) {
  return Array.isArray(value) ? value.map(normalizeAttachment) : value ? [normalizeAttachment(value)] : [];
}

export const isTable = (item) => Boolean(item && typeof item === "object" && item.table);
export const isLead = (item) => Boolean(item && typeof item === "object" && "lead" in item);

/** A line typed with the 段首句 switch on: its first sentence is the lead. */
export function splitLead(line) {
  const m = /^(.*?[。！？])(.*)$/s.exec(line);
  return m ? { lead: m[1], text: m[2] } : { lead: line, text: "" };
}

function itemLine(item) {
  return isLead(item) ? item.lead + item.text : asText(item);
}

/** Runs of text items and single tables, each with its place in the list. */
export function groupsOf(list) {
  const groups = [];
  list.forEach((item, i) => {
    if (isTable(item)) groups.push({ table: true, start: i, count: 1 });
    else if (groups.length && !groups[groups.length - 1].table) groups[groups.length - 1].count += 1;
    else groups.push({ table: false, start: i, count: 1 });
  });
  // A text run before every table and after the last one, so text can go anywhere.
  const out = [];
  let at = 0;
  for (const g of groups) {
    if (g.table && (!out.length || out[out.length - 1].table)) out.push({ table: false, start: at, count: 0 });
    out.push(g);
    at = g.start + g.count;
  }
  if (!out.length || out[out.length - 1].table) out.push({ table: false, start: at, count: 0 });
  return out;
}

/** An editor for the paragraph items in `owner[key]`.
    Returns {element, first}: `first` is the first textarea (given `firstId`). */
export function itemsEditor(owner, key, firstId, onChange, { rows = 3, allowTables = true } = {}) {
  const box = el("div", "items-editor");
  let first = null;

  function draw(focusId) {
    const list = owner[key];
    const parts = [];
    groupsOf(list).forEach((group, g) => {
      if (group.table) {
        const editor = tableEditor(list[group.start].table, `${firstId}-t${group.start}`, {
          label: `表格（第 ${group.start + 1} 段）`,
          onChange,
          onRemove: () => {
            list.splice(group.start, 1);
            draw();
            onChange();
          },
        });
        parts.push(editor);
        return;
      }
      const items = list.slice(group.start, group.start + group.count);
      const area = el("textarea", "sec-paras items-text");
      area.id = g === 0 ? firstId : `${firstId}-g${group.start}`;
      area.rows = Math.min(8, Math.max(g === 0 ? rows : 1, group.count + 1));
      area.value = items.map(itemLine).join("\n");
      area.setAttribute("aria-describedby", `${firstId}-error`);
      if (g === 0) first = area;
      else area.setAttribute("aria-label", "表格后的段落（每行一段）");
      const leadBox = el("input", "items-lead");
      Object.assign(leadBox, { type: "checkbox", id: `${area.id}-lead`, checked: items.length > 0 && items.every(isLead) });
      const leadLabel = el("label", "items-lead-label", "段首句：每段第一句加粗（字体见“段首句字体”选项）");
      leadLabel.htmlFor = leadBox.id;
      const write = () => {
        const lines = area.value.split(/\r\n|\r|\n/).filter((line) => line.trim());
        const fresh = leadBox.checked ? lines.map(splitLead) : lines;
        list.splice(group.start, group.count, ...fresh);
        const delta = fresh.length - group.count;
        group.count = fresh.length;
        if (delta) draw(document.activeElement?.id); // later groups have moved
        onChange();
      };
      area.addEventListener("input", write);
      leadBox.addEventListener("change", write);
      const row = el("div", "items-lead-row");
      row.append(leadBox, leadLabel);
      parts.push(area, row);
    });
    if (allowTables) {
      const add = el("button", "small items-add-table", "插入表格");
      add.type = "button";
      add.addEventListener("click", () => {
        list.push({ table: newTable(3) });
        draw();
        onChange();
        box.querySelector(".tbl-editor:last-of-type .tbl-cell")?.focus();
      });
      parts.push(add);
    }
    box.replaceChildren(...parts);
    if (focusId) {
      const target = document.getElementById(focusId);
      if (target) {
        const pos = target.value?.length ?? 0;
        target.focus();
        target.setSelectionRange?.(pos, pos);
      }
    }
  }
  draw();
  return { element: box, get first() { return first; } };
}

// ---------------------------------------------------------------------------
// Attachments: names, and an optional body each

function attachmentSectionEditor(attachment, s, id, redraw, onChange) {
  const section = attachment.sections[s];
  const item = el("li", "att-section");
  const heading = el("input", "sec-heading");
  Object.assign(heading, { type: "text", id: `${id}-s${s}-heading`, value: section.heading, placeholder: "一级标题（序号自动从“一、”开始）" });
  heading.addEventListener("input", () => {
    section.heading = heading.value;
    onChange();
  });
  const headLabel = el("label", "visually-hidden", `附件第 ${s + 1} 个一级标题`);
  headLabel.htmlFor = heading.id;
  const paras = itemsEditor(section, "paragraphs", `${id}-s${s}-paras`, onChange, { rows: 2 });
  const parasLabel = el("label", "sec-paras-label", "段落（每行一段）");
  parasLabel.htmlFor = paras.first.id;
  const remove = el("button", "small danger", "删除此标题");
  remove.type = "button";
  remove.addEventListener("click", () => {
    attachment.sections.splice(s, 1);
    redraw();
    onChange();
  });
  item.append(headLabel, heading, parasLabel, paras.element, remove);
  return item;
}

function attachmentBody(attachment, id, onChange) {
  const box = el("div", "att-body");
  function redraw() {
    const pre = itemsEditor(attachment, "preamble", `${id}-preamble`, onChange, { rows: 2 });
    const preLabel = el("label", "sec-paras-label", "附件开头段落");
    preLabel.htmlFor = pre.first.id;
    const list = el("ol", "att-sections");
    list.append(...attachment.sections.map((_, s) => attachmentSectionEditor(attachment, s, id, redraw, onChange)));
    const add = el("button", "small secondary", "添加一级标题");
    add.type = "button";
    add.addEventListener("click", () => {
      attachment.sections.push({ heading: "", paragraphs: [], sections: [] });
      redraw();
      onChange();
      document.getElementById(`${id}-s${attachment.sections.length - 1}-heading`)?.focus();
    });
    box.replaceChildren(preLabel, pre.element, list, add);
  }
  redraw();
  return box;
}

/** The attachments editor for `report.attachments`; the first name field gets `firstId`. */
export function attachmentsEditor(report, firstId, onChange) {
  const box = el("div", "att-editor");
  function draw(focusIndex) {
    const list = report.attachments;
    const items = list.map((entry, i) => {
      const id = i === 0 ? firstId : `${firstId}-${i}`;
      const row = el("div", "att-item");
      const name = el("input", "att-name");
      Object.assign(name, { type: "text", id, value: typeof entry === "string" ? entry : entry.name, placeholder: "附件名称，不加书名号" });
      name.setAttribute("aria-label", `附件 ${i + 1} 名称`);
      if (i === 0) name.setAttribute("aria-describedby", `${firstId}-error`);
      name.addEventListener("input", () => {
        if (typeof list[i] === "string") list[i] = name.value;
        else list[i].name = name.value;
        onChange();
      });
      const withBody = el("input");
      Object.assign(withBody, { type: "checkbox", id: `${id}-body`, checked: typeof entry !== "string" });
      const bodyLabel = el("label", "", "填写附件内容（另起一页排在正文之后）");
      bodyLabel.htmlFor = withBody.id;
      withBody.addEventListener("change", () => {
        const current = list[i];
        list[i] = withBody.checked
          ? { name: typeof current === "string" ? current : current.name, preamble: [], sections: [], closing: [] }
          : typeof current === "string" ? current : current.name;
        draw(i);
        onChange();
      });
      const remove = el("button", "small danger", "删除附件");
      remove.type = "button";
      remove.addEventListener("click", () => {
        list.splice(i, 1);
        draw();
        onChange();
      });
      const line = el("div", "att-line");
      line.append(name, withBody, bodyLabel, remove);
      row.append(line);
      if (typeof entry !== "string") row.append(attachmentBody(entry, `${id}-att`, onChange));
      return row;
    });
    const add = el("button", "small secondary", "添加附件");
    add.type = "button";
    add.id = `${firstId}-add`;
    add.addEventListener("click", () => {
      list.push("");
      draw(list.length - 1);
      onChange();
    });
    box.replaceChildren(...items, add);
    if (focusIndex !== undefined) document.getElementById(focusIndex === 0 ? firstId : `${firstId}-${focusIndex}`)?.focus();
  }
  draw();
  return { element: box, redraw: () => draw() };
}

// ---------------------------------------------------------------------------
// The report's top-level lists on the form

/** Keep lead sentences, tables and attachment bodies when a report is loaded. */
export function normalizeListFields(report, src) {
  report.preamble = normalizeItems(src.preamble);
  report.closing = normalizeItems(src.closing);
  report.attachments = normalizeAttachments(src.attachments);
}

const LIST_EDITORS = [
  ["preamble", (report, id, onChange) => itemsEditor(report, "preamble", id, onChange, { rows: 4 })],
  ["closing", (report, id, onChange) => itemsEditor(report, "closing", id, onChange, { rows: 3 })],
  ["attachments", (report, id, onChange) => attachmentsEditor(report, id, onChange)],
];

/** Put the item editors in place of the plain textareas of 开头段落, 结尾段落
    and 附件 (the plain ones stay for the form without script). The editors'
    first control takes the textarea's id, so labels and errors find it. */
export function mountListEditors(report, onChange) {
  for (const [name, make] of LIST_EDITORS) {
    const id = `f-${name}`;
    let slot = document.getElementById(`${id}-items`);
    if (!slot) {
      const plain = document.getElementById(id);
      if (!plain) continue;
      plain.id = `${id}-plain`;
      plain.removeAttribute("data-bind");
      plain.removeAttribute("name");
      plain.hidden = true;
      slot = el("div", "items-slot");
      slot.id = `${id}-items`;
      plain.after(slot);
    }
    slot.replaceChildren(make(report, id, onChange).element);
  }
}

/** Attachments as posted: blank names left out (a row added but not filled in). */
export function postedAttachments(list) {
  return list.filter((entry) => (typeof entry === "string" ? entry.trim() : true));
}
