/** The SQL suite on PostgreSQL: a private cluster started for this file and removed after it. */

import { startPostgres } from "./engines.js";
import { sqlSuite } from "./suite.js";

sqlSuite("postgres", startPostgres);
