// The engine's own rules, as the page needs them: never a second version of
// a rule. The run-in heading rule comes with the page data (service/profile.py);
// title breaks are asked of the engine (GET /web/title-lines) and cached, the
// preview showing the typed lines until the answer arrives.

// Filled from the page data by configure(); empty until then (nothing is added).
let rules = { runInEndMarks: "", runInDefaultEnd: "", runInClosers: "" };
let onTitleLines = () => {};
const titleCache = new Map();
const pending = new Set();
const MAX_CACHED_TITLES = 50;

/** Take the page's rules; `onUpdate` runs when the engine's title lines arrive. */
export function configure(pageRules, onUpdate) {
  if (pageRules) rules = { ...rules, ...pageRules };
  if (onUpdate) onTitleLines = onUpdate;
}

function stripClosers(text) {
  let end = text.length;
  while (end > 0 && rules.runInClosers.includes(text[end - 1])) end -= 1;
  return text.slice(0, end);
}

/** Whether a run-in heading already ends with its own mark (service.profile.run_in_heading_ends). */
export function runInHeadingEnds(text) {
  const core = stripClosers(String(text ?? "").trimEnd());
  return core.length > 0 && rules.runInEndMarks.includes(core[core.length - 1]);
}

/** The run-in heading as the document prints it (service.profile.run_in_heading). */
export function runInHeading(text) {
  const stripped = String(text ?? "").trimEnd();
  return runInHeadingEnds(stripped) || !stripped ? stripped : stripped + rules.runInDefaultEnd;
}

export function runInDefaultEnd() {
  return rules.runInDefaultEnd;
}

/** The title's lines as the document breaks them, or null until the engine has answered. */
export function engineTitleLines(title) {
  const key = String(title ?? "");
  if (!key.trim()) return [];
  if (titleCache.has(key)) return titleCache.get(key);
  if (!pending.has(key)) {
    pending.add(key);
    fetch(`/web/title-lines?title=${encodeURIComponent(key)}`, { headers: { Accept: "application/json" } })
      .then((res) => (res.ok ? res.json() : null))
      .then((data) => {
        if (!data) return;
        if (titleCache.size >= MAX_CACHED_TITLES) titleCache.delete(titleCache.keys().next().value);
        titleCache.set(key, data.lines);
        onTitleLines(key);
      })
      .catch(() => {})
      .finally(() => pending.delete(key));
  }
  return null;
}
