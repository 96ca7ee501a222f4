// Preview of paragraph items and attachment pages (see preview.js): lead
// sentences in their font, tables with title and notes, and each attachment
// with content after a drawn page break. Text goes in through textContent.

import { el } from "./dom.js";

function lines(text) {
  return String(text ?? "").split(/\r\n|\r|\n/).map((l) => l.trim()).filter(Boolean);
}

function cellText(cell) {
  return typeof cell === "string" ? cell : String(cell?.text ?? "");
}

function tableNodes(table) {
  const out = [];
  if (table.title?.trim()) out.push(el("p", "pv-table-title", table.title.trim()));
  const grid = el("table", table.landscape ? "pv-table pv-table-landscape" : "pv-table");
  const add = (rows, tag) => {
    for (const row of rows || []) {
      const tr = el("tr");
      for (const cell of row) {
        const td = el(tag, /^[-+]?[\d,.]+%?$/.test(cellText(cell).trim()) ? "pv-figure" : "", cellText(cell));
        if (typeof cell === "object" && cell) {
          if (Number(cell.colspan) > 1) td.colSpan = Number(cell.colspan);
          if (Number(cell.rowspan) > 1) td.rowSpan = Number(cell.rowspan);
        }
        tr.append(td);
      }
      grid.append(tr);
    }
  };
  add(table.header, "th");
  add(table.rows, "td");
  out.push(grid);
  for (const note of table.notes || []) for (const line of lines(note)) out.push(el("p", "pv-table-note", line));
  return out;
}

/** Paragraph items → preview nodes. */
export function itemNodes(items) {
  const out = [];
  for (const item of items || []) {
    if (item && typeof item === "object" && item.table) out.push(...tableNodes(item.table));
    else if (item && typeof item === "object" && "lead" in item) {
      const rest = lines(item.text);
      const p = el("p", "pv-p");
      p.append(el("span", "pv-lead", String(item.lead ?? "").trim()), document.createTextNode(rest.shift() || ""));
      out.push(p, ...rest.map((t) => el("p", "pv-p", t)));
    } else out.push(...lines(item).map((t) => el("p", "pv-p", t)));
  }
  return out;
}

/** Attachment pages: "附件N", the title on line 3, the body. */
export function attachmentPages(attachments, sectionBlocks) {
  const list = attachments || [];
  const out = [];
  list.forEach((entry, i) => {
    if (!entry || typeof entry !== "object") return;
    out.push(el("div", "pv-page-break"));
    out.push(el("p", "pv-attachment-label", list.length === 1 ? "附件" : `附件${i + 1}`));
    out.push(el("h2", "pv-title pv-attachment-title", (entry.name || "").trim() || "（附件名称）"));
    const body = [...itemNodes(entry.preamble), ...sectionBlocks(entry.sections || []), ...itemNodes(entry.closing)];
    body[0]?.classList.add("pv-gap");
    out.push(...body);
  });
  return out;
}
