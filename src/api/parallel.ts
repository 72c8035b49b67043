import type { BatchPlan } from "./batch.js";
export function worthParallel(_plan: BatchPlan, _workers: number | undefined): boolean {
  return false;
}
export async function runParallel(
  _plan: BatchPlan,
  _workers: number | undefined,
  _job: { source: string; backend: string; options: object },
): Promise<Float64Array> {
  throw new Error("todo");
}
