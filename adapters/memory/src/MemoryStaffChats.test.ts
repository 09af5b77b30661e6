import { staffChatsSuite } from "@careline/testkit"
import { layer } from "./MemoryStores.js"

staffChatsSuite("memory", layer)
