/**
 * A parallel batch's worker thread: compiles each distinct job once (the
 * caller's source, back-end and options), then evaluates the rows it is
 * sent, from shared columns into the shared output, and answers.
 */

import { parentPort } from "node:worker_threads";
import { type Compiled, compileAsync } from "./compile.js";
import type { WorkerJob, WorkerReply, WorkerTask } from "./parallel-protocol.js";

/** Captured at load: a program that replaces these built-ins later changes nothing here. */
const { stringify } = JSON;

/** Compiled jobs, most recent last; a few, as a service reuses a few formulas. */
const compiled = new Map<string, Promise<Compiled>>();
const KEEP = 16;

function compiledFor(job: WorkerJob): Promise<Compiled> {
  const key = stringify([job.source, job.options]);
  let entry = compiled.get(key);
  if (entry === undefined) {
    entry = compileAsync(job.source, job.options);
    compiled.set(key, entry);
    if (compiled.size > KEEP) {
      const oldest = compiled.keys().next().value as string;
      void compiled.get(oldest)?.then(
        (c) => c.dispose(),
        () => {},
      );
      compiled.delete(oldest);
    }
  } else {
    compiled.delete(key);
    compiled.set(key, entry);
  }
  return entry;
}

async function run(task: WorkerTask): Promise<WorkerReply> {
  try {
    const code = await compiledFor(task.job);
    const { start, end } = task;
    const columns = task.columns.map((c) => (typeof c === "number" ? c : c.subarray(start, end)));
    code.evaluateBatch(columns, { out: task.out.subarray(start, end), length: end - start });
    return { id: task.id };
  } catch (error) {
    return { id: task.id, error: error instanceof Error ? error.message : String(error) };
  }
}

parentPort?.on("message", (task: WorkerTask) => {
  void run(task).then((reply) => parentPort?.postMessage(reply));
});
