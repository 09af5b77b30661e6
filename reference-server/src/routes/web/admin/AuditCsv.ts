/** Cells a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, and tab or return before one). */
const formulaStart = /^[=+\-@\t\r]/

/**
 * One CSV cell: a formula-looking value gets a leading `'` (so a spreadsheet shows it instead of
 * running it), then it is quoted when it holds a quote, comma or line break (quotes doubled, RFC 4180).
 */
export const csvCell = (value: string): string => {
  const guarded = formulaStart.test(value) ? `'${value}` : value
  return /[",\r\n]/.test(guarded) ? `"${guarded.replace(/"/g, '""')}"` : guarded
}

/** Rows as CSV text with CRLF line ends (RFC 4180). */
export const csv = (rows: ReadonlyArray<ReadonlyArray<string>>): string => rows.map((row) => row.map(csvCell).join(",")).join("\r\n") + "\r\n"
