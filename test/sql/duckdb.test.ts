/** The SQL suite on DuckDB, in process (@duckdb/node-api). */

import { startDuckDB } from "./engines.js";
import { sqlSuite } from "./suite.js";

sqlSuite("duckdb", startDuckDB);
