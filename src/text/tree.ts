/**
 * Draws a tree as indented text with box-drawing branches, the shape every
 * tree dump (syntax tree, resolved program) shares. It keeps its own stack,
 * so a tree at the depth limit draws without deep recursion.
 */

/** A node to draw: its label and its children. */
export interface TreeLine {
  readonly label: string;
  readonly children: readonly TreeLine[];
}

/** The tree as lines of text, root first. */
export function drawTree(root: TreeLine): string {
  const lines: string[] = [];
  // Each entry: a node, the indentation of its line, and its branch glyph.
  const stack: [TreeLine, string, string][] = [[root, "", ""]];
  for (let entry = stack.pop(); entry !== undefined; entry = stack.pop()) {
    const [node, indent, branch] = entry;
    lines.push(`${indent}${branch}${node.label}`);
    const childIndent = indent + (branch === "└─ " ? "   " : branch === "" ? "" : "│  ");
    for (let i = node.children.length - 1; i >= 0; i--) {
      const last = i === node.children.length - 1;
      stack.push([node.children[i] as TreeLine, childIndent, last ? "└─ " : "├─ "]);
    }
  }
  return lines.join("\n");
}

/**
 * `items.map(f)` as a loop: two stack frames fewer per level of a deep
 * tree, which keeps 2,000 nested calls well inside the stack.
 */
export function each<T, U>(items: readonly T[], f: (item: T) => U): U[] {
  const out: U[] = [];
  for (const item of items) out.push(f(item));
  return out;
}
