/**
 * `npm run fuzz [-- --seconds N]`: the differential properties for a fixed
 * time instead of a fixed count. A failure prints fast-check's report,
 * with the seed and path to replay it.
 */

import fc from "fast-check";
import { CHALLENGERS } from "../support/backends.js";
import {
  agreesWithTreewalk,
  autoAgreesAcrossPromotions,
  onlyExprErrors,
  printParseRoundTrip,
} from "./properties.js";

const secondsFlag = process.argv.indexOf("--seconds");
const seconds = secondsFlag === -1 ? 60 : Number(process.argv[secondsFlag + 1]);
if (!(seconds > 0)) {
  console.error("usage: npm run fuzz -- [--seconds N]   (N > 0, default 60)");
  process.exit(2);
}
const properties: [string, fc.IProperty<never>][] = [
  ["print/parse round trip", printParseRoundTrip as unknown as fc.IProperty<never>],
  ["only ExprError", onlyExprErrors as unknown as fc.IProperty<never>],
  ["auto across promotions", autoAgreesAcrossPromotions as unknown as fc.IProperty<never>],
  ...CHALLENGERS.map((b): [string, fc.IProperty<never>] => [
    `${b.name} agrees with treewalk`,
    agreesWithTreewalk(b) as unknown as fc.IProperty<never>,
  ]),
];
const share = (seconds * 1000) / properties.length;
let failed = false;
for (const [name, property] of properties) {
  const seed = Date.now() ^ (Math.random() * 0x7fffffff);
  const details = await fc.check(property, {
    seed,
    numRuns: Number.MAX_SAFE_INTEGER,
    interruptAfterTimeLimit: share,
  });
  if (details.failed) {
    failed = true;
    console.error(`FAIL ${name} (seed ${seed})\n${fc.defaultReportMessage(details)}`);
  } else {
    console.log(`ok   ${name}: ${details.numRuns} runs (seed ${seed})`);
  }
}
process.exitCode = failed ? 1 : 0;
