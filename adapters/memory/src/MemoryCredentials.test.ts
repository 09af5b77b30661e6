import { credentialsSuite } from "@careline/testkit"
import { Layer } from "effect"
import { layer } from "./MemoryCredentials.js"
import * as MemoryStores from "./MemoryStores.js"

// The suite stores the staff its tokens belong to through `Directory` first.
credentialsSuite("memory", Layer.merge(MemoryStores.layer, layer))
