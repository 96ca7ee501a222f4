// Small DOM and value helpers shared by the page's modules. Text always goes
// in through textContent: nothing a user types is ever parsed as HTML.

export function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

/** Any value as the text a field shows ("" for null or undefined). */
export function asText(value) {
  if (value === null || value === undefined) return "";
  return typeof value === "string" ? value : String(value);
}
