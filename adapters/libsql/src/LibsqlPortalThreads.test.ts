import { portalThreadsSuite } from "@careline/testkit"
import { tempStoresLayer } from "./testing/TempDatabase.js"

// On a fresh temp file per build, every foreign key on: the suite stores the staff and clients first.
portalThreadsSuite("libsql", tempStoresLayer())
