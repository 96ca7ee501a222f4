// The table editor: a grid of cells, header rows, rows and columns added and
// removed, cells pasted straight from Excel or WPS (tab-separated clipboard),
// and side-by-side cells merged or split. Edits the contract's table object
// {title, header, rows, notes, landscape} in place; `onChange` is called after
// every edit.

import { el } from "./dom.js";

export function cellText(cell) {
  return typeof cell === "string" ? cell : String(cell?.text ?? "");
}

function span(cell, key) {
  return typeof cell === "object" && cell && Number(cell[key]) > 1 ? Number(cell[key]) : 1;
}

function withText(cell, text) {
  return typeof cell === "object" && cell ? { ...cell, text } : text;
}

/** A new table: one header row and two body rows of `columns` empty cells. */
export function newTable(columns = 3) {
  const row = () => Array.from({ length: columns }, () => "");
  return { title: "", header: [row()], rows: [row(), row()], notes: [], landscape: false };
}

/** Clipboard text of Excel / WPS cells → rows of cells.
    Tabs separate cells, line ends rows; a cell holding a line break or a tab
    comes quoted ("…", with "" for a quote), as Excel writes it. */
export function parseTsv(text) {
  const rows = [[]];
  let cell = "";
  let i = 0;
  const src = String(text).replace(/\r\n?/g, "\n");
  while (i < src.length) {
    const ch = src[i];
    if (ch === '"' && cell === "") {
      const end = src.indexOf('"', i + 1);
      let j = i + 1;
      let quoted = "";
      // Read up to the closing quote; "" inside stands for one quote.
      for (;;) {
        const k = src.indexOf('"', j);
        if (k === -1) {
          quoted = null;
          break;
        }
        if (src[k + 1] === '"') {
          quoted += src.slice(j, k + 1);
          j = k + 2;
          continue;
        }
        quoted += src.slice(j, k);
        j = k + 1;
        break;
      }
      if (quoted !== null && (j >= src.length || src[j] === "\t" || src[j] === "\n") && end !== -1) {
        cell = quoted;
        i = j;
        continue;
      }
    }
    if (ch === "\t") {
      rows[rows.length - 1].push(cell);
      cell = "";
    } else if (ch === "\n") {
      rows[rows.length - 1].push(cell);
      rows.push([]);
      cell = "";
    } else {
      cell += ch;
    }
    i += 1;
  }
  rows[rows.length - 1].push(cell);
  // A copied block ends with a line end: no empty last row.
  if (rows.length > 1 && rows[rows.length - 1].length === 1 && rows[rows.length - 1][0] === "") rows.pop();
  return rows;
}

function columnsOf(all) {
  return Math.max(1, ...all.map((row) => row.reduce((n, c) => n + span(c, "colspan"), 0)));
}

/** Mount an editor for `table` (the object inside {table: …}). */
export function tableEditor(table, id, { onChange, onRemove, label = "表格" }) {
  const box = el("div", "tbl-editor");
  box.id = id;
  box.setAttribute("role", "group");
  box.setAttribute("aria-label", label);
  let all = [...(table.header || []), ...(table.rows || [])].map((r) => [...r]);
  if (!all.length) all = [[""]];
  let headerCount = (table.header || []).length;
  let focused = { r: 0, c: 0 };

  function commit() {
    table.header = all.slice(0, headerCount);
    table.rows = all.slice(headerCount);
    onChange();
  }

  const title = el("input", "tbl-title");
  Object.assign(title, { type: "text", id: `${id}-title`, value: table.title || "", placeholder: "如：表1 2025年主要指标完成情况" });
  title.addEventListener("input", () => {
    table.title = title.value;
    onChange();
  });
  const titleLabel = el("label", "tbl-label", "表题");
  titleLabel.htmlFor = title.id;

  const headerSelect = el("select", "tbl-header-count");
  headerSelect.id = `${id}-header`;
  const headerLabel = el("label", "tbl-label", "表头行数（每页重复）");
  headerLabel.htmlFor = headerSelect.id;
  headerSelect.addEventListener("change", () => {
    headerCount = Number(headerSelect.value);
    commit();
    drawGrid();
  });

  const grid = el("table", "tbl-grid");
  const tools = el("div", "tbl-tools");
  const buttons = {};
  for (const [act, text] of [
    ["add-row", "添加行"], ["remove-row", "删除末行"], ["add-col", "添加列"], ["remove-col", "删除末列"],
    ["merge", "与右侧合并"], ["split", "拆分单元格"], ["remove-table", "删除表格"],
  ]) {
    const button = el("button", act === "remove-table" ? "small danger" : "small", text);
    button.type = "button";
    button.dataset.tblAct = act;
    buttons[act] = button;
    tools.append(button);
  }

  const landscape = el("input");
  Object.assign(landscape, { type: "checkbox", id: `${id}-landscape`, checked: table.landscape === true });
  landscape.addEventListener("change", () => {
    table.landscape = landscape.checked;
    onChange();
  });
  const landscapeLabel = el("label", "", "横排（表格较宽时单独排在横向页面上）");
  landscapeLabel.htmlFor = landscape.id;

  const notes = el("textarea", "tbl-notes");
  Object.assign(notes, { id: `${id}-notes`, rows: 1, value: (table.notes || []).join("\n"), placeholder: "注：……" });
  notes.addEventListener("input", () => {
    table.notes = notes.value.split(/\r\n|\r|\n/).filter((line) => line.trim());
    onChange();
  });
  const notesLabel = el("label", "tbl-label", "表注（每行一条，可不填）");
  notesLabel.htmlFor = notes.id;

  function cellInput(r, c, cell) {
    const input = el("input", "tbl-cell");
    Object.assign(input, { type: "text", value: cellText(cell), id: `${id}-r${r}-c${c}` });
    input.dataset.r = r;
    input.dataset.c = c;
    input.setAttribute("aria-label", `${r < headerCount ? "表头" : "第"}${r < headerCount ? r + 1 : r - headerCount + 1}行第${c + 1}格`);
    return input;
  }

  function drawGrid() {
    headerSelect.replaceChildren(
      ...Array.from({ length: Math.min(all.length, 5) + 1 }, (_, n) => {
        const option = el("option", "", String(n));
        option.value = String(n);
        return option;
      }),
    );
    headerCount = Math.min(headerCount, all.length);
    headerSelect.value = String(headerCount);
    const body = all.map((row, r) => {
      const tr = el("tr", r < headerCount ? "tbl-head-row" : "");
      row.forEach((cell, c) => {
        const td = el(r < headerCount ? "th" : "td");
        if (span(cell, "colspan") > 1) td.colSpan = span(cell, "colspan");
        if (span(cell, "rowspan") > 1) td.rowSpan = span(cell, "rowspan");
        td.append(cellInput(r, c, cell));
        tr.append(td);
      });
      return tr;
    });
    grid.replaceChildren(...body);
    const cell = all[focused.r]?.[focused.c];
    const next = all[focused.r]?.[focused.c + 1];
    buttons.merge.disabled = cell === undefined || next === undefined || span(cell, "rowspan") > 1 || span(next, "rowspan") > 1;
    buttons.split.disabled = cell === undefined || span(cell, "colspan") < 2;
    buttons["remove-row"].disabled = all.length < 2;
    buttons["remove-col"].disabled = columnsOf(all) < 2;
  }

  function paste(r, c, text) {
    const block = parseTsv(text);
    block.forEach((cells, i) => {
      const row = r + i;
      while (all.length <= row) all.push(Array.from({ length: columnsOf(all) }, () => ""));
      cells.forEach((value, j) => {
        const col = c + j;
        while (all[row].length <= col) {
          // A new column: one more cell in every row keeps the rows even.
          for (const other of all) other.push("");
        }
        all[row][col] = withText(all[row][col], value);
      });
    });
    commit();
    drawGrid();
    document.getElementById(`${id}-r${r}-c${c}`)?.focus();
  }

  grid.addEventListener("input", (event) => {
    const input = event.target;
    if (!input.classList.contains("tbl-cell")) return;
    const r = Number(input.dataset.r);
    const c = Number(input.dataset.c);
    all[r][c] = withText(all[r][c], input.value);
    commit();
  });
  grid.addEventListener("focusin", (event) => {
    const input = event.target;
    if (!input.classList.contains("tbl-cell")) return;
    focused = { r: Number(input.dataset.r), c: Number(input.dataset.c) };
    const cell = all[focused.r][focused.c];
    const next = all[focused.r][focused.c + 1];
    buttons.merge.disabled = next === undefined || span(cell, "rowspan") > 1 || span(next, "rowspan") > 1;
    buttons.split.disabled = span(cell, "colspan") < 2;
  });
  grid.addEventListener("paste", (event) => {
    const input = event.target;
    if (!input.classList.contains("tbl-cell")) return;
    const text = event.clipboardData?.getData("text/plain") ?? "";
    if (!/[\t\n\r]/.test(text)) return; // one value: the browser pastes it into the cell
    event.preventDefault();
    paste(Number(input.dataset.r), Number(input.dataset.c), text);
  });
  tools.addEventListener("click", (event) => {
    const button = event.target.closest("button[data-tbl-act]");
    if (!button) return;
    const act = button.dataset.tblAct;
    const columns = columnsOf(all);
    if (act === "remove-table") {
      onRemove();
      return;
    }
    if (act === "add-row") all.push(Array.from({ length: columns }, () => ""));
    else if (act === "remove-row" && all.length > 1) all.pop();
    else if (act === "add-col") for (const row of all) row.push("");
    else if (act === "remove-col" && columns > 1) {
      for (const row of all) {
        const last = row[row.length - 1];
        if (span(last, "colspan") > 1) row[row.length - 1] = { ...last, colspan: span(last, "colspan") - 1 };
        else row.pop();
      }
    } else if (act === "merge") {
      const { r, c } = focused;
      const [a, b] = [all[r][c], all[r][c + 1]];
      if (b === undefined) return;
      const text = [cellText(a), cellText(b)].filter(Boolean).join("");
      all[r].splice(c, 2, { text, colspan: span(a, "colspan") + span(b, "colspan"), rowspan: 1 });
    } else if (act === "split") {
      const { r, c } = focused;
      const a = all[r][c];
      if (span(a, "colspan") < 2) return;
      const rest = span(a, "colspan") - 1;
      all[r].splice(c, 1, rest > 1 ? { ...a, colspan: rest } : cellText(a), "");
    }
    commit();
    drawGrid();
  });

  const head = el("div", "tbl-head");
  head.append(titleLabel, title, headerLabel, headerSelect);
  const foot = el("div", "tbl-foot");
  foot.append(landscape, landscapeLabel);
  const wrap = el("div", "tbl-scroll");
  wrap.append(grid);
  box.append(head, wrap, tools, notesLabel, notes, foot);
  drawGrid();
  return box;
}
