import { clientCredentialsSuite } from "@careline/testkit"
import { tempStoresLayer } from "./testing/TempDatabase.js"

// A fresh temp file per build, every foreign key on: the suite stores the clients and staff first.
clientCredentialsSuite("libsql", tempStoresLayer())
