// The SLA suite against SQLite files in temporary directories.

import { registerSlaSuite } from './sla-contract.js';
import { sqliteHarness } from './sla-harness.js';

registerSlaSuite(sqliteHarness);
