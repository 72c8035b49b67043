/**
 * "Did you mean …?": the nearest known name by edit distance, if it is near
 * enough to be a likely typo.
 */

/** Captured at load: a program that replaces these built-ins later changes nothing here. */
const { max: maxOf, min: minOf, floor, abs } = Math;
const { from: arrayFrom } = Array;

/**
 * The candidate nearest to `name`, or undefined when none is within reach.
 * Ties go to the longer shared prefix (`sinn` → `sin`, not `sign`).
 */
export function closest(name: string, candidates: readonly string[]): string | undefined {
  const reach = maxOf(1, minOf(2, floor(name.length / 3)));
  let best: string | undefined;
  let bestScore = Number.POSITIVE_INFINITY;
  for (const candidate of candidates) {
    if (abs(name.length - candidate.length) > reach) continue;
    const d = distance(name, candidate);
    if (d > reach) continue;
    const score = d * 100 - sharedPrefix(name, candidate);
    if (score < bestScore) {
      best = candidate;
      bestScore = score;
    }
  }
  return best;
}

function sharedPrefix(a: string, b: string): number {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i;
}

/** Levenshtein distance (insert, delete, substitute), one row at a time. */
export function distance(a: string, b: string): number {
  let previous = arrayFrom({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitute = (previous[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1);
      row.push(minOf(substitute, (previous[j] as number) + 1, (row[j - 1] as number) + 1));
    }
    previous = row;
  }
  return previous[b.length] as number;
}
