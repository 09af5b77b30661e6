import { blobStoreSuite } from "@careline/testkit"
import { layer } from "./MemoryBlobStore.js"

blobStoreSuite("memory", layer)
