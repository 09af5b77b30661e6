import { clientCredentialsSuite } from "@careline/testkit"
import { Layer } from "effect"
import { layer } from "./MemoryClientCredentials.js"
import * as MemoryStores from "./MemoryStores.js"

clientCredentialsSuite("memory", Layer.merge(MemoryStores.layer, layer))
