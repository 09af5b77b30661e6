/** Filesystem adapters: attachment bytes in a directory. */
export * as FileBlobStore from "./FileBlobStore.js"
export { BlobDirectoryUnusable } from "./FileBlobStore.js"
