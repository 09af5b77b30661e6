/**
 * The kinds of file staff and clients may attach, each known by its name's extension and checked by
 * its first bytes (magic numbers), so a file cannot pass for another kind by its name alone. The
 * content type served back is ours, never the uploader's.
 */
interface FileKind {
  readonly label: string
  readonly contentType: string
  readonly matches: (bytes: Uint8Array) => boolean
}

const startsWith = (bytes: Uint8Array, magic: ReadonlyArray<number>, offset = 0) =>
  bytes.length >= offset + magic.length && magic.every((byte, i) => bytes[offset + i] === byte)

const ascii = (text: string) => [...text].map((ch) => ch.charCodeAt(0))

const zip = (bytes: Uint8Array) => startsWith(bytes, [0x50, 0x4b, 0x03, 0x04])
/** Word 97–2003 and Excel 97–2003 files are OLE compound documents. */
const ole = (bytes: Uint8Array) => startsWith(bytes, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])

const utf8 = new TextDecoder("utf-8", { fatal: true })
/** Text: valid UTF-8 without NUL or other control characters (tabs, line and page breaks allowed). */
const isText = (bytes: Uint8Array) => {
  try {
    return !/[\u0000-\u0008\u000b\u000e-\u001f\u007f]/.test(utf8.decode(bytes))
  } catch {
    return false
  }
}

const kinds: Readonly<Record<string, FileKind>> = {
  pdf: { label: "PDF", contentType: "application/pdf", matches: (b) => startsWith(b, ascii("%PDF-")) },
  png: { label: "PNG image", contentType: "image/png", matches: (b) => startsWith(b, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]) },
  jpg: { label: "JPEG image", contentType: "image/jpeg", matches: (b) => startsWith(b, [0xff, 0xd8, 0xff]) },
  jpeg: { label: "JPEG image", contentType: "image/jpeg", matches: (b) => startsWith(b, [0xff, 0xd8, 0xff]) },
  gif: { label: "GIF image", contentType: "image/gif", matches: (b) => startsWith(b, ascii("GIF87a")) || startsWith(b, ascii("GIF89a")) },
  webp: { label: "WebP image", contentType: "image/webp", matches: (b) => startsWith(b, ascii("RIFF")) && startsWith(b, ascii("WEBP"), 8) },
  txt: { label: "text file", contentType: "text/plain; charset=utf-8", matches: isText },
  csv: { label: "CSV file", contentType: "text/csv; charset=utf-8", matches: isText },
  docx: { label: "Word document", contentType: "application/vnd.openxmlformats-officedocument.wordprocessingml.document", matches: zip },
  xlsx: { label: "Excel workbook", contentType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", matches: zip },
  pptx: { label: "PowerPoint presentation", contentType: "application/vnd.openxmlformats-officedocument.presentationml.presentation", matches: zip },
  odt: { label: "OpenDocument text", contentType: "application/vnd.oasis.opendocument.text", matches: zip },
  ods: { label: "OpenDocument spreadsheet", contentType: "application/vnd.oasis.opendocument.spreadsheet", matches: zip },
  doc: { label: "Word document", contentType: "application/msword", matches: ole },
  xls: { label: "Excel workbook", contentType: "application/vnd.ms-excel", matches: ole }
}

/** The extensions accepted, for messages a person reads: ".pdf, .png, …". */
export const acceptedExtensions = Object.keys(kinds).map((extension) => `.${extension}`)

/** For an `<input type="file" accept=…>`. */
export const acceptAttribute = acceptedExtensions.join(",")

export type FileTypeCheck =
  | { readonly _tag: "Accepted"; readonly contentType: string }
  | { readonly _tag: "NotAllowed"; readonly extension: string }
  | { readonly _tag: "Mismatch"; readonly extension: string; readonly label: string }

const extensionOf = (name: string) => {
  const dot = name.lastIndexOf(".")
  return dot <= 0 || dot === name.length - 1 ? "" : name.slice(dot + 1).toLowerCase()
}

/** Whether `bytes` are what `name`'s extension says they are. */
export const checkFileType = (name: string, bytes: Uint8Array): FileTypeCheck => {
  const extension = extensionOf(name)
  const kind = Object.hasOwn(kinds, extension) ? kinds[extension] : undefined
  if (kind === undefined) return { _tag: "NotAllowed", extension }
  return kind.matches(bytes) ? { _tag: "Accepted", contentType: kind.contentType } : { _tag: "Mismatch", extension, label: kind.label }
}

/** The content types this server ever stores (a stored file's type is served only if it is one of them). */
export const knownContentTypes: ReadonlySet<string> = new Set(Object.values(kinds).map((kind) => kind.contentType))

/**
 * The name shown for an uploaded file: its last path segment, without control or bidirectional
 * formatting characters (which could disguise "exe" as "pdf"), whitespace collapsed, at most 200
 * characters (the extension kept). Never used as a path.
 */
export const cleanFileName = (raw: string): string => {
  const base = raw.slice(Math.max(raw.lastIndexOf("/"), raw.lastIndexOf("\\")) + 1)
  const clean = base.replace(/[\p{Cc}\p{Cf}\u2028\u2029]/gu, "").replace(/\s+/g, " ").trim()
  if (clean.length <= 200) return clean
  const extension = extensionOf(clean)
  return extension.length > 0 && extension.length < 10 ? `${clean.slice(0, 199 - extension.length)}.${extension}` : clean.slice(0, 200)
}
