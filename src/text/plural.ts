/** Counts in messages and dumps: "1 argument", "2 arguments". */

/** `count` and `noun`, with an `s` unless the count is exactly 1. */
export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? "" : "s"}`;
}
