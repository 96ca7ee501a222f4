// The on-page preview: the report drawn as an A4 sheet in the order and
// styles of service/layout.py (title, notes, recipient, body, headings with
// their labels, attachments, signature and date). An approximation for
// editing; the PDF preview shows the real pages. All text goes in through
// textContent: nothing a user types is ever parsed as HTML.

import { el } from "./dom.js";
import { engineTitleLines, runInHeading } from "./engine_rules.js";
import { label, stripLabel } from "./numbering.js";
import { attachmentPages, itemNodes } from "./preview_items.js";

/** A newline starts a new paragraph; blank lines and edge white space are layout. */
export function splitParagraphs(text) {
  return String(text ?? "")
    .split(/\r\n|\r|\n/)
    .map((line) => line.trim())
    .filter(Boolean);
}

const NUMERIC_DATE_RE = /^\s*(\d{4})\s*(?:[-/.．]|年)\s*(\d{1,2})\s*(?:[-/.．]|月)\s*(\d{1,2})\s*日?\s*$/;

/** 成文日期 as printed: 2025-12-05 → 2025年12月5日; other forms as typed. */
export function formatDate(text) {
  const m = NUMERIC_DATE_RE.exec(text || "");
  return m ? `${Number(m[1])}年${Number(m[2])}月${Number(m[3])}日` : (text || "").trim();
}

function withColon(text) {
  return /[：:]$/.test(text) ? text : `${text}：`;
}

function paragraphs(texts) {
  return itemNodes(texts); // strings, lead sentences and tables
}

function headingLabel(level, n) {
  return level <= 4 ? label(level, n) : "？";
}

function sectionBlocks(sections, level) {
  const out = [];
  (sections || []).forEach((section, i) => {
    if (level === 1 && section.part === true) {
      // A part: centred in the level-1 heading font, 一、 restarting under it.
      out.push(el("p", "pv-part", section.heading.trim()));
      out.push(...(section.paragraphs || []).flatMap(splitParagraphs).map((t) => el("p", "pv-p", t)));
      out.push(...sectionBlocks(section.sections, 1));
      return;
    }
    const lab = headingLabel(level, i + 1);
    const body = itemNodes(section.paragraphs);
    // A run-in heading ends with its mark before the body (the engine adds 。 when missing).
    const text = stripLabel(section.heading.trim());
    const runIn = section.run_in && body.length && body[0].classList.contains("pv-p");
    const heading = el("span", `pv-h pv-h${Math.min(level, 4)}`, lab + (runIn ? runInHeading(text) : text));
    const line = el("p", `pv-hp pv-hp${Math.min(level, 4)}`);
    line.append(heading);
    if (runIn) {
      line.classList.add("pv-run-in");
      line.append(...body.shift().childNodes);
    }
    out.push(line, ...body);
    out.push(...sectionBlocks(section.sections, level + 1));
  });
  return out;
}

function redHeader(header) {
  const box = el("div", "pv-red-header");
  if (header.copy_number) box.append(el("p", "pv-copy", header.copy_number));
  if (header.secrecy) box.append(el("p", "pv-copy", header.secrecy));
  if (header.urgency) box.append(el("p", "pv-copy", header.urgency));
  box.append(el("p", "pv-issuer", header.issuer));
  if (header.doc_number) box.append(el("p", "pv-doc-number", header.doc_number));
  box.append(el("hr", "pv-red-rule"));
  return box;
}

function attachmentBlocks(names) {
  const items = (names || []).map((n) => (typeof n === "string" ? n : n.name || "").trim()).filter(Boolean);
  if (!items.length) return [];
  const list = el("div", "pv-attachments");
  items.forEach((name, i) => {
    const prefix = items.length === 1 ? "附件：" : i === 0 ? "附件：1." : `${i + 1}.`;
    const row = el("p", i === 0 ? "pv-attachment" : "pv-attachment pv-attachment-more");
    row.append(el("span", "pv-attachment-prefix", prefix), el("span", "", name));
    list.append(row);
  });
  return [list];
}

function signatureBlock(signature, dateText, sealed) {
  if (!signature && !dateText) return [];
  // Block right-aligned 2 characters in; the date starts 2 characters right of
  // the signature (7.3.5). With a seal: 4 characters in, both centred.
  const block = el("div", sealed ? "pv-sign pv-sign-sealed" : "pv-sign");
  if (signature) block.append(el("p", "pv-signature", signature));
  if (dateText) block.append(el("p", "pv-date", dateText));
  return [block];
}

function recordBlock(record) {
  const cc = (record.cc || []).filter((s) => s.trim());
  if (!cc.length && !record.printer && !record.print_date) return [];
  const box = el("div", "pv-record");
  if (cc.length) box.append(el("p", "pv-record-line", `抄送：${cc.join("，")}。`));
  const line = el("p", "pv-record-line pv-record-print");
  line.append(el("span", "", record.printer || ""), el("span", "", record.print_date ? `${formatDate(record.print_date)}印发` : ""));
  box.append(line);
  return [box];
}

/** Draw `report` into `paper`, replacing what was there. */
export function renderPreview(paper, report) {
  const options = report.options || {};
  const page = el("div", `page fs-${options.font_set === "windows" ? "windows" : "gb2312"}`);
  if (options.bold_level3) page.classList.add("bold-level3");
  if (options.lead_style === "kai" || options.lead_style === "hei") page.classList.add(`lead-${options.lead_style}`);
  const header = report.header || {};
  if (header.issuer) page.append(redHeader(header));

  const title = el("h1", "pv-title");
  // Broken where the document breaks it (the engine's rule), once the engine has answered.
  const engineLines = engineTitleLines(report.title);
  const titleLines = engineLines ?? splitParagraphs(report.title);
  if (engineLines) title.classList.add("pv-title-engine");
  titleLines.forEach((line, i) => {
    if (i) title.append(el("br"));
    title.append(document.createTextNode(line));
  });
  if (!titleLines.length) title.append(el("span", "pv-placeholder", "（标题）"));
  page.append(title);
  if (report.subtitle?.trim()) page.append(el("p", "pv-note", report.subtitle.trim()));
  if (report.speaker?.trim()) page.append(el("p", "pv-note", report.speaker.trim()));

  const head = [];
  if (report.recipient?.trim()) head.push(el("p", "pv-recipient", withColon(report.recipient.trim())));
  if (report.salutation?.trim()) head.push(el("p", "pv-recipient", report.salutation.trim()));
  const body = [
    ...paragraphs(report.preamble),
    ...sectionBlocks(report.sections, 1),
    ...paragraphs(report.closing),
  ];
  // One blank line between the title block and what follows it.
  (head[0] || body[0])?.classList.add("pv-gap");
  page.append(...head, ...body);
  page.append(...attachmentBlocks(report.attachments));
  const signature = signatureBlock((report.signature || "").trim(), formatDate(report.date), options.seal === true);
  signature[0]?.classList.add(options.seal ? "pv-gap3" : "pv-gap");
  page.append(...signature);
  page.append(...attachmentPages(report.attachments, (sections) => sectionBlocks(sections, 1)));
  page.append(...recordBlock(report.record || {}));

  if (options.page_numbers !== "none") {
    page.append(el("p", `pv-page-number pv-page-number-${options.page_numbers === "center" ? "center" : "outside"}`, "— 1 —"));
  }
  paper.replaceChildren(page);
}
