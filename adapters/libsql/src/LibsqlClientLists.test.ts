import { clientListsSuite } from "@careline/testkit"
import { tempStoresLayer } from "./testing/TempDatabase.js"

// On a fresh temp file per build, every foreign key on: the suite stores the owners and clients first.
clientListsSuite("libsql", tempStoresLayer())
