/**
 * The formatting bar above a body textarea (S1): Bold, Italic, Bulleted list, Numbered list. The
 * buttons only insert the plain-text markers of `FormattedBody` around or before the selection
 * (public/app.js, "Secure messages: formatting bar"); without script the hint says what to type.
 */
export const FormatBar = (props: { readonly for: string }) => (
  <div class="format-bar" role="group" aria-label="Formatting" data-format-for={props.for}>
    <button type="button" class="small" data-format="bold" aria-keyshortcuts="Control+B Meta+B" title="Bold (Ctrl+B)"><strong>Bold</strong></button>
    <button type="button" class="small" data-format="italic" aria-keyshortcuts="Control+I Meta+I" title="Italic (Ctrl+I)"><em>Italic</em></button>
    <button type="button" class="small" data-format="bullets">Bulleted list</button>
    <button type="button" class="small" data-format="numbers">Numbered list</button>
    <span class="hint muted small" id={`${props.for}-format-hint`}>
      Formatting: **bold**, _italic_, lines starting “- ” or “1. ” make lists, web addresses become links.
    </span>
  </div>
)
