// The SLA suite against a real PostgreSQL server (Debian's postgresql package), a database per test.

import { registerSlaSuite } from './sla-contract.js';
import { postgresHarness } from './sla-harness.js';

registerSlaSuite(postgresHarness());
