import { credentialsSuite } from "@careline/testkit"
import { tempStoresLayer } from "./testing/TempDatabase.js"

// On a fresh temp file per build, every foreign key on: the suite stores the staff its tokens belong to first.
credentialsSuite("libsql", tempStoresLayer())
