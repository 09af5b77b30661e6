/** One server-sent event as a test reads it. */
export interface ReadEvent {
  readonly event: string
  readonly data: string
}

/**
 * Reads server-sent events off a streaming response until `count` have arrived or the server closed
 * the stream (then what came before), skipping comment lines (keep-alives); then lets go of it.
 */
export const readEvents = async (response: Response, count: number): Promise<Array<ReadEvent>> => {
  const reader = response.body!.getReader()
  const decoder = new TextDecoder()
  let text = ""
  const events: Array<ReadEvent> = []
  while (events.length < count) {
    const { value, done } = await reader.read()
    if (done) break
    text += decoder.decode(value, { stream: true })
    const blocks = text.split("\n\n")
    text = blocks.pop() ?? ""
    for (const block of blocks) {
      const fields = Object.fromEntries(block.split("\n").filter((l) => !l.startsWith(":")).map((l) => [l.slice(0, l.indexOf(":")), l.slice(l.indexOf(":") + 1).trim()]))
      if (fields["event"] !== undefined) events.push({ event: fields["event"], data: fields["data"] ?? "" })
    }
  }
  await reader.cancel()
  return events
}
