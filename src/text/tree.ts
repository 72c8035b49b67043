/**
 * Draws a tree as indented text with box-drawing branches, the shape every
 * tree dump (syntax tree, resolved program) shares.
 */

/** A node to draw: its label and its children. */
export interface TreeLine {
  readonly label: string;
  readonly children: readonly TreeLine[];
}

/** The tree as lines of text, root first. */
export function drawTree(root: TreeLine): string {
  const lines: string[] = [root.label];
  drawChildren(root.children, "", lines);
  return lines.join("\n");
}

function drawChildren(children: readonly TreeLine[], indent: string, lines: string[]): void {
  children.forEach((child, i) => {
    const last = i === children.length - 1;
    lines.push(`${indent}${last ? "└─ " : "├─ "}${child.label}`);
    drawChildren(child.children, indent + (last ? "   " : "│  "), lines);
  });
}
