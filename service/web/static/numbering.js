// Heading labels 一、 （一） 1. （1）: a port of service/numbering.py, so the
// labels the page shows while typing are the ones the document gets.
// tests/test_web_browser.py compares the two for thousands of numbers.

// The heading table comes from the server (profile.HEADING_RULES, in the
// page data), so the page never keeps its own copy of the label forms.
export const HEADING_RULES = JSON.parse(document.getElementById("page-data").textContent).headingRules;
export const MAX_LEVELS = HEADING_RULES.length;

const DIGITS = "零一二三四五六七八九";
const UNITS = ["", "十", "百", "千"];
const BIG_UNITS = ["", "万", "亿"];
const NUMERAL_CHARS = "零〇一二两三四五六七八九十百千万亿";

function belowTenThousand(n) {
  const digits = String(n).split("").map(Number);
  const out = [];
  let zeroPending = false;
  digits.forEach((d, pos) => {
    if (d === 0) {
      zeroPending = out.length > 0;
      return;
    }
    if (zeroPending) {
      out.push("零");
      zeroPending = false;
    }
    out.push(DIGITS[d] + UNITS[digits.length - pos - 1]);
  });
  return out.join("");
}

/** A positive integer as Chinese counting numerals: 11 → 十一, 105 → 一百零五. */
export function chineseNumber(n) {
  if (!Number.isInteger(n) || n <= 0) throw new RangeError(`chineseNumber needs a positive integer, got ${n}`);
  const groups = [];
  while (n) {
    groups.push(n % 10000);
    n = Math.floor(n / 10000);
  }
  if (groups.length > BIG_UNITS.length) throw new RangeError("number too large");
  const parts = [];
  let needZero = false;
  for (let idx = groups.length - 1; idx >= 0; idx--) {
    const group = groups[idx];
    if (group === 0) {
      needZero = parts.length > 0;
      continue;
    }
    if (parts.length && (needZero || group < 1000)) parts.push("零");
    parts.push(belowTenThousand(group) + BIG_UNITS[idx]);
    needZero = false;
  }
  const text = parts.join("");
  // 一十 → 十 at the start (十一, not 一十一), as Word's chineseCounting does.
  return text.startsWith("一十") ? text.slice(1) : text;
}

// How each Word w:numFmt in the heading table writes a number.
const NUM_FMTS = { chineseCounting: chineseNumber, decimal: String };

/** The label of the n-th heading (1-based) at level 1-4, as the heading table draws it. */
export function label(level, n) {
  const rule = HEADING_RULES[level - 1];
  if (!rule) throw new RangeError(`heading level must be 1-${MAX_LEVELS}, got ${level}`);
  return `${rule.before}${NUM_FMTS[rule.numFmt](n)}${rule.after}`;
}

const CN = `[${NUMERAL_CHARS}]+`;
// Same alternatives as numbering.LABEL_RE: 一、 （一） 1. 1、 （1） ①.
const LABEL_RE = new RegExp(
  `^[\\s\\u3000]*(?:${CN}[、.．]|[（(]${CN}[)）]|\\p{Nd}{1,3}(?:[、，,]|[.．](?!\\p{Nd}))|[（(]\\p{Nd}{1,3}[)）]|[\\u2460-\\u2473])[\\s\\u3000]*`,
  "u",
);

/** A heading without the label a user typed in front of it (the service numbers). */
export function stripLabel(text) {
  return text.replace(LABEL_RE, "");
}
