/**
 * The text of `exprjit --help`, built from the registry so it always lists
 * the back-ends and dumps this installation has.
 */

import { DEFAULT_JIT_THRESHOLD, DEFAULT_THRESHOLD } from "../api/auto.js";
import { allBackends, dumpNames } from "../api/choose.js";

/** The help text. */
export function usage(): string {
  const backends = allBackends()
    .map((b) => {
      const a = b.availability();
      const status = a.available ? "" : ` (not available here: ${a.reason})`;
      return `  ${b.name.padEnd(10)} ${b.summary}${status}`;
    })
    .join("\n");
  return `exprjit: evaluate arithmetic expressions, every classic way

Usage:
  exprjit [options] EXPR          evaluate EXPR and print the result
  exprjit [options] [-]           evaluate each line of standard input
  exprjit explain [options] EXPR  show every stage: tokens, tree, lowered
                                  program, and each back-end's artefact,
                                  result and timings
  exprjit batch [options] EXPR    evaluate EXPR over every row of a CSV table
                                  (header row = variable names) read from
                                  --input FILE or standard input; writes CSV
  exprjit cache info|clear        what the back-ends' caches of compiled code
                                  hold (native: EXPRJIT_CACHE_DIR, capped by
                                  EXPRJIT_CACHE_MAX_BYTES), or empty them
  exprjit repl [options]          the REPL (also plain \`exprjit\` at a terminal):
                                  x = 3 sets a variable; :help lists commands

Options:
  -b, --backend NAME   the back-end to evaluate with (default: auto)
  --tiers LIST         auto only: the back-ends to promote through, in order
                       (default: treewalk,closure,js; treewalk,closure where
                       new Function is forbidden); native runs only if listed
  --thresholds LIST    auto only: calls (or batch rows) before each tier after
                       the first takes over (default: ${DEFAULT_THRESHOLD},${DEFAULT_JIT_THRESHOLD})
  --var NAME=VALUE     give a variable a value (a number or constant expression:
                       --var x=1.5, --var t=pi/2, --var z=-0); repeatable
  --const NAME=VALUE   a user constant (a number or constant expression, which
                       may use the constants before it); repeatable
  --define "DEF"       an expression function, as in
                       --define "lerp(a, b, t) = a + (b - a) * t"; repeatable;
                       a body may call the functions defined before it
  --define-file FILE   definitions, one a line (blank lines and # comments
                       are skipped); repeatable
  --dump STAGE         print one stage instead of the result:
                       ${dumpNames().join(", ")}
  --max-length N       longest accepted expression (default 1000000 characters)
  --max-depth N        deepest accepted syntax tree (default 2000 levels)
  --load MODE          js back-end only: function (default) or module
  --json               print each result and error as one JSON line on stdout:
                       {"ok":true,"value":-2.8,"text":"-2.8"} or
                       {"ok":false,"error":{"kind":…,"message":…,"offset":…,…}}
  --input FILE         batch: read the CSV from FILE (default: standard input)
  --append NAME        batch: write the input plus a result column NAME
                       (default: only a column named result)
  --workers N          batch: split the rows across N threads
  -h, --help           show this help (also: exprjit help)
  -V, --version        show the version (also: exprjit -v)
  --                   end of options (for an expression that starts with --)

Back-ends:
  auto       the default: starts on treewalk, moves a formula to closures once
             it has run ${DEFAULT_THRESHOLD} times and to js after ${DEFAULT_JIT_THRESHOLD} (a batch of many rows at once)
${backends}

Examples:
  exprjit "1+1.2-5"                      -2.8
  exprjit --var x=3 "x^2"                9
  exprjit -b vm "sin(pi/4)^2"
  printf '1+1\\n2^10\\n' | exprjit          one result per line
  exprjit explain "x*y + 1" --var x=2 --var y=3
  exprjit batch "x*y + c" --var c=1 --input data.csv --append z
  exprjit --const g=9.81 --define "fall(t) = g * t^2 / 2" "fall(3)"   44.145

Environment:
  CC                  the C compiler of the native back-end (default: the first
                      of cc, gcc, clang on PATH)
  EXPRJIT_CACHE_DIR   where the native back-end keeps compiled code (default:
                      exprjit-native-UID in the temporary directory)

Batch input: each variable of EXPR takes the column its name heads (names
are trimmed), unless --var gives it one value for every row. A cell is read
as JavaScript's Number() reads its text (NaN as written is accepted); an
empty cell or one that is not a number is an error naming its line (the
header is line 1) and column. Results are written so they read back exactly.

Exit status: 0 on success (also when a reader such as \`head\` stops reading),
1 if an expression has an error or the output cannot be written, 2 on a
usage error.
`;
}
