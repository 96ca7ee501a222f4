// The outline as a tree: report.sections, each {heading, run_in, paragraphs,
// sections}. A node is addressed by its path of sibling indices ([1, 0] is the
// first child of the second top-level section), the same indices the JSON
// Pointers of validation errors use (/sections/1/sections/0/heading).
// Every operation mutates the tree and returns the node's new path.
//
// Parts (contract v1.1): when the top-level nodes are parts ({part: true}),
// all of them are, and their children are the level-1 sections (一、 restarts
// in every part); the tree is then one level deeper.

import { asText } from "./dom.js";
import { normalizeItems } from "./items.js";
import { MAX_LEVELS } from "./numbering.js";

export function newSection() {
  return { heading: "", run_in: false, paragraphs: [], sections: [] };
}

export function newPart(sections = []) {
  return { part: true, heading: "", run_in: false, paragraphs: [], sections };
}

export function hasParts(root) {
  return root.length > 0 && root[0].part === true;
}

/** Is the node at `path` a part row? */
export function isPart(root, path) {
  return path.length === 1 && hasParts(root);
}

/** The heading level of the node at `path` (a part is 0, 一、 is 1). */
export function levelOf(root, path) {
  return path.length - (hasParts(root) ? 1 : 0);
}

function maxDepth(root) {
  return MAX_LEVELS + (hasParts(root) ? 1 : 0);
}

/** The list holding the node at `path`, and the node's index in it. */
export function siblings(root, path) {
  let list = root;
  for (const i of path.slice(0, -1)) list = list[i].sections;
  return { list, index: path[path.length - 1] };
}

export function nodeAt(root, path) {
  const { list, index } = siblings(root, path);
  return list[index];
}

/** Levels a node occupies, itself included (a leaf is 1). */
export function depth(node) {
  return 1 + Math.max(0, ...node.sections.map(depth));
}

export function canMoveUp(root, path) {
  return path[path.length - 1] > 0;
}

export function canMoveDown(root, path) {
  const { list, index } = siblings(root, path);
  return index < list.length - 1;
}

/** Indent: the node becomes the last child of its previous sibling. */
export function canIndent(root, path) {
  return !isPart(root, path) && canMoveUp(root, path) && path.length + depth(nodeAt(root, path)) <= maxDepth(root);
}

/** Outdent: the node becomes the next sibling of its parent (never beside the parts). */
export function canOutdent(root, path) {
  return path.length > (hasParts(root) ? 2 : 1);
}

export function canAddChild(root, path) {
  return path.length < maxDepth(root);
}

/** A part goes, its sections stay: they join the part before it (or after it);
 * the only part goes only when it holds no text of its own. */
export function canRemove(root, path) {
  if (!isPart(root, path)) return true;
  return root.length > 1 || nodeAt(root, path).paragraphs.length === 0;
}

export function moveUp(root, path) {
  const { list, index } = siblings(root, path);
  [list[index - 1], list[index]] = [list[index], list[index - 1]];
  return [...path.slice(0, -1), index - 1];
}

export function moveDown(root, path) {
  const { list, index } = siblings(root, path);
  [list[index], list[index + 1]] = [list[index + 1], list[index]];
  return [...path.slice(0, -1), index + 1];
}

export function indent(root, path) {
  const { list, index } = siblings(root, path);
  const [node] = list.splice(index, 1);
  const parent = list[index - 1];
  parent.sections.push(node);
  return [...path.slice(0, -1), index - 1, parent.sections.length - 1];
}

export function outdent(root, path) {
  const { list, index } = siblings(root, path);
  const parentPath = path.slice(0, -1);
  const { list: parentList, index: parentIndex } = siblings(root, parentPath);
  const [node] = list.splice(index, 1);
  parentList.splice(parentIndex + 1, 0, node);
  return [...parentPath.slice(0, -1), parentIndex + 1];
}

export function remove(root, path) {
  const { list, index } = siblings(root, path);
  if (isPart(root, path)) {
    const [part] = list.splice(index, 1);
    if (!list.length) {
      list.push(...part.sections); // the last part: its sections become the top level again
      return list.length ? [0] : null;
    }
    const target = list[Math.max(0, index - 1)];
    if (index > 0) {
      target.paragraphs.push(...part.paragraphs);
      target.sections.push(...part.sections);
    } else {
      target.paragraphs.unshift(...part.paragraphs);
      target.sections.unshift(...part.sections);
    }
    return [Math.max(0, index - 1)];
  }
  list.splice(index, 1);
  // Where focus goes next: the following sibling, else the previous, else the parent.
  if (list.length > index) return path;
  if (index > 0) return [...path.slice(0, -1), index - 1];
  return path.length > 1 ? path.slice(0, -1) : null;
}

export function addChild(root, path) {
  const node = nodeAt(root, path);
  node.sections.push(newSection());
  return [...path, node.sections.length - 1];
}

export function addAfter(root, path) {
  const { list, index } = siblings(root, path);
  list.splice(index + 1, 0, isPart(root, path) ? newPart() : newSection());
  return [...path.slice(0, -1), index + 1];
}

/** A new 一、 section: at the top level, or at the end of the last part. */
export function addTop(root) {
  if (hasParts(root)) {
    const last = root[root.length - 1];
    last.sections.push(newSection());
    return [root.length - 1, last.sections.length - 1];
  }
  root.push(newSection());
  return [root.length - 1];
}

/** A part row: the first one takes every section so far (all or none are parts). */
export function addPart(root) {
  if (hasParts(root)) {
    root.push(newPart());
    return [root.length - 1];
  }
  const sections = root.splice(0, root.length);
  root.push(newPart(sections));
  return [0];
}

/** Any imported or restored value as a well-formed node (strings, booleans, lists). */
export function normalizeSection(value) {
  const src = value && typeof value === "object" && !Array.isArray(value) ? value : { heading: asText(value) };
  const paragraphs = normalizeItems(src.paragraphs); // strings, lead sentences, tables
  const node = {
    heading: asText(src.heading),
    run_in: src.run_in === true,
    paragraphs,
    sections: Array.isArray(src.sections) ? src.sections.map(normalizeSection) : [],
  };
  return src.part === true ? { part: true, ...node } : node;
}
