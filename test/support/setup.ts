/**
 * Test set-up: with EXPRJIT_SEED set (CI sets it), every fast-check
 * property runs from that seed, so a run that lands is reproducible;
 * without it, each run explores new cases. `npm run fuzz` always explores.
 */

import fc from "fast-check";

const seed = process.env.EXPRJIT_SEED;
if (seed !== undefined && seed !== "") fc.configureGlobal({ seed: Number(seed) });
