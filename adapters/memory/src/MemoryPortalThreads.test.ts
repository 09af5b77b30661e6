import { portalThreadsSuite } from "@careline/testkit"
import { layer } from "./MemoryStores.js"

portalThreadsSuite("memory", layer)
