import { clientListsSuite } from "@careline/testkit"
import { layer } from "./MemoryStores.js"

clientListsSuite("memory", layer)
