// 批量生成 page: check the rows of a spreadsheet, start a job, show its real
// progress (the job's done/total), offer the zip. Without this script the
// form posts to /batch/zip and the zip comes back at once.
document.documentElement.classList.replace("no-js", "js");

const POLL_MS = 250;

const $ = (id) => document.getElementById(id);
const form = $("batch-form");
const fileInput = $("batch-file");
const startButton = $("batch-start");

function csrfToken() {
  return document.querySelector('meta[name="csrf-token"]').content;
}

async function refreshCsrf() {
  const res = await fetch("/web/csrf-token", { headers: { Accept: "application/json" } });
  const { token } = await res.json();
  document.querySelector('meta[name="csrf-token"]').content = token;
  for (const input of document.querySelectorAll('input[name="csrf_token"]')) input.value = token;
}

// POST the form (with the file) as multipart; one retry after a stale CSRF token.
async function postForm(url, retry = true) {
  const body = new FormData(form);
  const res = await fetch(url, { method: "POST", body, headers: { Accept: "application/json", "X-CSRFToken": csrfToken() } });
  const data = await res.json().catch(() => ({ error: { message: `服务器返回了无法读取的结果（${res.status}）` } }));
  if (res.status === 400 && data.error?.code === "csrf_failed" && retry) {
    await refreshCsrf();
    return postForm(url, false);
  }
  return { ok: res.ok, status: res.status, data };
}

function showError(id, message, details = []) {
  const box = $(id);
  box.textContent = "";
  if (!message) {
    box.hidden = true;
    return;
  }
  box.append(message);
  if (details.length) {
    const list = document.createElement("ul");
    for (const d of details.slice(0, 50)) {
      const li = document.createElement("li");
      li.textContent = problemText(d);
      list.append(li);
    }
    box.append(list);
  }
  box.hidden = false;
}

function problemText(d) {
  if (d.row) return `第 ${d.row} 行，“${d.column}”列：${d.message}`;
  return d.message;
}

// -- step 2: the rows read ---------------------------------------------------------

function cell(text, className = "") {
  const td = document.createElement("td");
  td.textContent = text;
  if (className) td.className = className;
  return td;
}

function renderRows(result) {
  const body = $("rows-table").querySelector("tbody");
  body.textContent = "";
  for (const row of result.rows) {
    const tr = document.createElement("tr");
    tr.dataset.row = row.row;
    tr.className = row.problems.length ? "row-bad" : "row-ok";
    tr.append(cell(String(row.row)), cell(row.title || "（无标题）"), cell(row.kind));
    const problems = document.createElement("td");
    if (!row.problems.length) {
      problems.append("可以生成");
      problems.className = "ok";
    }
    for (const p of row.problems) {
      const line = document.createElement("p");
      line.className = "problem";
      line.textContent = p.column ? `“${p.column}”列：${p.message}` : p.message;
      problems.append(line);
    }
    tr.append(problems);
    body.append(tr);
  }
  const more = result.total > result.shown ? `（只列出前 ${result.shown} 行）` : "";
  $("batch-summary").textContent = result.invalid
    ? `共读到 ${result.total} 份报告：${result.valid} 份可以生成，${result.invalid} 份有问题${more}。可以改好表格后重新选择文件，或选择“跳过有问题的行”。`
    : `共读到 ${result.total} 份报告，都可以生成${more}。`;
  $("batch-check").hidden = false;
  if (result.invalid && !result.valid) startButton.disabled = true;
}

async function checkFile() {
  showError("batch-file-error", "");
  $("batch-check").hidden = true;
  $("batch-job").hidden = true;
  startButton.disabled = false;
  if (!fileInput.files.length) return;
  $("batch-summary").textContent = "正在读取……";
  const { ok, data } = await postForm("/batch/check");
  if (!ok) {
    showError("batch-file-error", data.error?.message || "无法读取这个文件", data.error?.details || []);
    startButton.disabled = true;
    return;
  }
  renderRows(data);
}

// -- step 3: the job ----------------------------------------------------------------

function showProgress(job) {
  const bar = $("batch-progress");
  bar.max = Math.max(job.total, 1);
  bar.value = job.done;
  const skipped = job.skipped ? `，跳过 ${job.skipped} 份有问题的报告` : "";
  const states = { queued: "排队中", running: "正在生成", done: "已完成", failed: "失败" };
  $("batch-progress-text").textContent = `${states[job.status] || job.status}：${job.done} / ${job.total} 份${skipped}`;
}

async function pollJob(id) {
  for (;;) {
    const res = await fetch(`/batch/jobs/${encodeURIComponent(id)}`, { headers: { Accept: "application/json" } });
    const job = await res.json();
    if (!res.ok) {
      showError("batch-job-error", job.error?.message || "无法查询任务进度");
      break;
    }
    showProgress(job);
    if (job.status === "done") {
      const link = $("batch-download");
      link.href = `/batch/jobs/${encodeURIComponent(id)}/result`;
      $("batch-download-row").hidden = false;
      break;
    }
    if (job.status === "failed") {
      showError("batch-job-error", "生成失败：", job.errors || []);
      break;
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  startButton.disabled = false;
}

async function start(event) {
  event.preventDefault();
  showError("batch-job-error", "");
  if (!fileInput.files.length) {
    showError("batch-file-error", "请先选择要上传的 .xlsx 或 .csv 文件");
    fileInput.focus();
    return;
  }
  startButton.disabled = true;
  $("batch-download-row").hidden = true;
  $("batch-job").hidden = false;
  $("batch-progress").value = 0;
  $("batch-progress-text").textContent = "正在提交……";
  const { ok, data } = await postForm("/batch/start");
  if (!ok) {
    showError("batch-job-error", data.error?.message || "无法开始生成", data.error?.details || []);
    $("batch-progress-text").textContent = "";
    startButton.disabled = false;
    return;
  }
  showProgress(data);
  await pollJob(data.id);
}

fileInput.addEventListener("change", checkFile);
form.addEventListener("submit", start);
