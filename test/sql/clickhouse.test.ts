/**
 * The SQL suite on ClickHouse 18.16 as a two-shard cluster: two server
 * processes on loopback ports, every query's rows spread over both shards
 * and read through a Distributed table.
 */

import { startClickHouse } from "./engines.js";
import { sqlSuite } from "./suite.js";

sqlSuite("clickhouse", startClickHouse);
