// Careline staff app behaviour that htmx does not cover: notification tone and title flash on live
// events, copy buttons, autoscroll, and the SMS segment counter. No inline script anywhere (CSP).
(() => {
  "use strict"

  // --- Live events: tone and a flashing tab title for new inbound texts -------------------------
  const baseTitle = document.title
  let flashing = null
  const stopFlashing = () => {
    if (flashing !== null) clearInterval(flashing)
    flashing = null
    document.title = baseTitle
  }
  const flashTitle = (text) => {
    if (!document.hidden || flashing !== null) return
    let on = false
    flashing = setInterval(() => {
      on = !on
      document.title = on ? text : baseTitle
    }, 1000)
  }
  document.addEventListener("visibilitychange", () => {
    if (!document.hidden) stopFlashing()
  })
  let audio = null
  const tone = () => {
    try {
      audio = audio ?? new AudioContext()
      const oscillator = audio.createOscillator()
      const gain = audio.createGain()
      oscillator.frequency.value = 880
      gain.gain.setValueAtTime(0.15, audio.currentTime)
      gain.gain.exponentialRampToValueAtTime(0.001, audio.currentTime + 0.4)
      oscillator.connect(gain).connect(audio.destination)
      oscillator.start()
      oscillator.stop(audio.currentTime + 0.4)
    } catch {
      // No audio (autoplay policy before any click): the title flash and the bold inbox remain.
    }
  }
  document.addEventListener("inbox", (event) => {
    let data = {}
    try {
      data = JSON.parse(event.detail?.data ?? "{}")
    } catch {
      return
    }
    if (data.kind !== "inbound") return
    document.body.dataset.unseen = "true"
    tone()
    flashTitle(data.urgent ? "⚠ Urgent message" : "● New message")
  })

  // --- Copy buttons: <button data-copy="#id"> copies the target's value or text ------------------
  document.addEventListener("click", async (event) => {
    const button = event.target instanceof Element ? event.target.closest("[data-copy]") : null
    if (button === null) return
    const target = document.querySelector(button.getAttribute("data-copy"))
    if (target === null) return
    const text = "value" in target ? target.value : target.textContent
    try {
      await navigator.clipboard.writeText(text)
      const label = button.textContent
      button.textContent = "Copied"
      setTimeout(() => (button.textContent = label), 1500)
    } catch {
      if ("select" in target) target.select()
    }
  })

  // --- Autoscroll: [data-autoscroll] stays at the newest message when content arrives ------------
  const scrollAll = (root) => {
    for (const element of root.querySelectorAll("[data-autoscroll]")) element.scrollTop = element.scrollHeight
  }
  document.addEventListener("DOMContentLoaded", () => scrollAll(document))
  document.addEventListener("htmx:after:swap", () => scrollAll(document))

  // --- SMS segment counter: <textarea data-segments="#out"> ---------------------------------------
  const gsm = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
  const gsmExtended = "^{}\\[~]|€\f"
  const segmentsOf = (text) => {
    let units = 0
    let unicode = false
    for (const ch of text) {
      if (gsm.includes(ch)) units += 1
      else if (gsmExtended.includes(ch)) units += 2
      else unicode = true
    }
    if (unicode) {
      const length = [...text].reduce((n, ch) => n + (ch.codePointAt(0) > 0xffff ? 2 : 1), 0)
      return { encoding: "UCS-2", length, segments: length <= 70 ? 1 : Math.ceil(length / 67) }
    }
    return { encoding: "GSM-7", length: units, segments: units <= 160 ? 1 : Math.ceil(units / 153) }
  }
  const updateCounter = (textarea) => {
    const out = document.querySelector(textarea.getAttribute("data-segments"))
    if (out === null) return
    const { encoding, length, segments } = segmentsOf(textarea.value)
    out.textContent = `${length} characters · ${encoding} · ${segments} segment${segments === 1 ? "" : "s"}`
  }
  document.addEventListener("input", (event) => {
    if (event.target instanceof HTMLTextAreaElement && event.target.hasAttribute("data-segments")) updateCounter(event.target)
  })
})()

// --- Messages (routes/web/messages): "Load older" keeps the reader's place -------------------------
// The autoscroll above jumps to the newest message after every swap; older messages inserted at the
// top should instead leave the reader where they were.
;(() => {
  "use strict"
  let kept = null
  document.addEventListener("htmx:before:swap", (event) => {
    const source = event.detail?.ctx?.sourceElement
    if (!(source instanceof Element) || !source.hasAttribute("data-keep-scroll")) return
    const box = source.closest("[data-autoscroll]")
    if (box !== null) kept = { box, fromBottom: box.scrollHeight - box.scrollTop }
  })
  document.addEventListener("htmx:after:swap", () => {
    if (kept === null) return
    kept.box.scrollTop = kept.box.scrollHeight - kept.fromBottom
    kept = null
  })
})()

// --- Chat dock (routes/web/dock): minimise, close, and the open conversation kept across pages ---
;(() => {
  "use strict"
  const srcKey = "careline.dock.src"
  const minimisedKey = "careline.dock.minimised"
  const dock = () => document.getElementById("chat-dock")
  const setMinimised = (minimised) => {
    const element = dock()
    if (element === null) return
    element.classList.toggle("is-minimised", minimised)
    const button = element.querySelector("[data-dock-minimise]")
    if (button !== null) button.setAttribute("aria-expanded", String(!minimised))
    if (minimised) sessionStorage.setItem(minimisedKey, "true")
    else sessionStorage.removeItem(minimisedKey)
  }
  document.addEventListener("click", (event) => {
    const target = event.target instanceof Element ? event.target : null
    if (target === null) return
    if (target.closest("[data-dock-minimise]") !== null) setMinimised(!dock()?.classList.contains("is-minimised"))
    else if (target.closest(".dock-bar h2") !== null && dock()?.classList.contains("is-minimised")) setMinimised(false)
    if (target.closest("[data-dock-close]") !== null) {
      sessionStorage.removeItem(srcKey)
      setMinimised(false)
    }
  })
  // Whatever the dock shows is remembered (only /dock URLs), so the next page opens it again.
  document.addEventListener("htmx:after:swap", () => {
    const panel = document.querySelector("#chat-dock [data-dock-src]")
    if (panel === null) return
    const src = panel.getAttribute("data-dock-src") ?? ""
    if (src.startsWith("/dock")) sessionStorage.setItem(srcKey, src)
    setMinimised(sessionStorage.getItem(minimisedKey) === "true")
  })
  document.addEventListener("DOMContentLoaded", () => {
    const src = sessionStorage.getItem(srcKey)
    if (dock() === null || src === null || !/^\/dock(\/|$)/.test(src) || typeof htmx === "undefined") return
    htmx.ajax("GET", src, { target: "#chat-dock" })
  })
  // --- List filter: <input data-filter="#list"> hides [data-filter-text] items lacking a typed word (bulk send)
  document.addEventListener("input", (event) => {
    const input = event.target
    if (!(input instanceof HTMLInputElement) || !input.hasAttribute("data-filter")) return
    const list = document.querySelector(input.getAttribute("data-filter"))
    if (list === null) return
    const words = input.value.trim().toLowerCase().split(/\s+/).filter((word) => word !== "")
    for (const item of list.querySelectorAll("[data-filter-text]")) {
      const text = item.getAttribute("data-filter-text") ?? ""
      item.hidden = !words.every((word) => text.includes(word))
    }
  })
  // --- Narrow screens: opening a conversation from the inbox brings it into view (panes stack there)
  let openedFromInbox = false
  document.addEventListener("click", (event) => {
    openedFromInbox = event.target instanceof Element && event.target.closest("#inbox-list a") !== null
  })
  document.addEventListener("htmx:after:swap", (event) => {
    if (!openedFromInbox || !(event.target instanceof Element) || event.target.id !== "channel-panes") return
    openedFromInbox = false
    if (window.matchMedia("(min-width: 901px)").matches) return
    document.querySelector("#channel-panes > *")?.scrollIntoView({ block: "start" })
  })
})()

// --- Secure messages (routes/web/secure): ask before what cannot be undone -----------------------
// <form data-confirm="…"> or a submit button with data-confirm: runs in the capture phase, before
// htmx sees the submit, so neither a plain form nor an htmx one goes ahead without a yes.
;(() => {
  "use strict"
  document.addEventListener("submit", (event) => {
    const form = event.target instanceof HTMLFormElement ? event.target : null
    if (form === null) return
    const button = event.submitter instanceof HTMLElement ? event.submitter : null
    const question = button?.getAttribute("data-confirm") ?? form.getAttribute("data-confirm")
    if (question === null || question === undefined || window.confirm(question)) return
    event.preventDefault()
    event.stopImmediatePropagation()
  }, true)
})()

// --- Staff chat in the dock (routes/web/dock/chat.tsx): Enter sends, a tone for colleagues' messages ---
;(() => {
  "use strict"
  // Enter sends the chat message (Shift+Enter does nothing special: a chat message is one paragraph).
  document.addEventListener("keydown", (event) => {
    const area = event.target
    if (!(area instanceof HTMLTextAreaElement) || !area.hasAttribute("data-enter-sends")) return
    if (event.key !== "Enter" || event.shiftKey || event.isComposing) return
    event.preventDefault()
    if (area.value.trim() !== "") area.form?.requestSubmit()
  })
  // A colleague's message (not one's own from another window): the tone and the title flash, like a text.
  let chatFlash = null
  document.addEventListener("chat", (event) => {
    let data = {}
    try {
      data = JSON.parse(event.detail?.data ?? "{}")
    } catch {
      return
    }
    if (data.mine === true) return
    try {
      const audio = new AudioContext()
      const oscillator = audio.createOscillator()
      const gain = audio.createGain()
      oscillator.frequency.value = 660
      gain.gain.setValueAtTime(0.12, audio.currentTime)
      gain.gain.exponentialRampToValueAtTime(0.001, audio.currentTime + 0.3)
      oscillator.connect(gain).connect(audio.destination)
      oscillator.start()
      oscillator.stop(audio.currentTime + 0.3)
      oscillator.onended = () => void audio.close()
    } catch {
      // No audio before any click (autoplay policy): the unread count in the dock remains.
    }
    if (!document.hidden || chatFlash !== null) return
    const title = document.title
    let on = false
    chatFlash = setInterval(() => {
      on = !on
      document.title = on ? "● New chat message" : title
    }, 1000)
    document.addEventListener("visibilitychange", () => {
      clearInterval(chatFlash)
      chatFlash = null
      document.title = title
    }, { once: true })
  })
})()

// --- Secure messages: formatting bar (routes/web/secure/FormatBar.tsx, FormattedBody.tsx) -----------
// The Bold / Italic / Bulleted list / Numbered list buttons above a body textarea (and Ctrl/Cmd+B,
// Ctrl/Cmd+I in it) only insert the plain-text markers around or before the selection: **bold**,
// _italic_, "- " and "1. " at the start of lines. The server renders them; nothing here makes HTML.
;(() => {
  "use strict"
  // Replaces start..end with text (kept in the undo history where the browser allows), then selects.
  const replace = (area, start, end, text, selectFrom, selectTo) => {
    area.focus()
    area.setSelectionRange(start, end)
    let done = false
    try {
      done = document.execCommand("insertText", false, text)
    } catch {
      done = false
    }
    if (!done || area.value.slice(start, start + text.length) !== text) {
      area.setRangeText(text, start, end, "end")
      area.dispatchEvent(new Event("input", { bubbles: true }))
    }
    area.setSelectionRange(selectFrom, selectTo)
  }
  // Wraps the selection (without its edge spaces) in the marker, or unwraps it when already wrapped.
  const wrap = (area, marker) => {
    const value = area.value
    let start = area.selectionStart
    let end = area.selectionEnd
    while (start < end && /\s/.test(value[start])) start++
    while (end > start && /\s/.test(value[end - 1])) end--
    const inner = value.slice(start, end)
    const m = marker.length
    if (value.slice(start - m, start) === marker && value.slice(end, end + m) === marker) {
      replace(area, start - m, end + m, inner, start - m, end - m)
    } else if (inner.length > 2 * m && inner.startsWith(marker) && inner.endsWith(marker)) {
      replace(area, start, end, inner.slice(m, -m), start, end - 2 * m)
    } else {
      replace(area, start, end, marker + inner + marker, start + m, end + m)
    }
  }
  // Prefixes every line the selection touches ("- " or "1. ", "2. "…), or removes the prefixes when all have them.
  const listLines = (area, numbered) => {
    const value = area.value
    const start = value.lastIndexOf("\n", area.selectionStart - 1) + 1
    const endBreak = value.indexOf("\n", Math.max(area.selectionEnd - (area.selectionEnd > area.selectionStart ? 1 : 0), start))
    const end = endBreak === -1 ? value.length : endBreak
    const lines = value.slice(start, end).split("\n")
    const prefix = numbered ? /^\d{1,9}\. / : /^- /
    const text = lines.every((line) => prefix.test(line))
      ? lines.map((line) => line.replace(prefix, "")).join("\n")
      : lines.map((line, i) => (numbered ? `${i + 1}. ` : "- ") + line.replace(/^(\d{1,9}\. |- )/, "")).join("\n")
    replace(area, start, end, text, lines.length === 1 ? start + text.length : start, start + text.length)
  }
  const apply = (area, format) => {
    if (format === "bold") wrap(area, "**")
    else if (format === "italic") wrap(area, "_")
    else if (format === "bullets") listLines(area, false)
    else if (format === "numbers") listLines(area, true)
  }
  document.addEventListener("click", (event) => {
    const button = event.target instanceof Element ? event.target.closest(".format-bar button[data-format]") : null
    const bar = button?.closest("[data-format-for]")
    const area = bar ? document.getElementById(bar.getAttribute("data-format-for")) : null
    if (!(area instanceof HTMLTextAreaElement)) return
    event.preventDefault()
    apply(area, button.getAttribute("data-format"))
  })
  document.addEventListener("keydown", (event) => {
    const area = event.target
    if (!(area instanceof HTMLTextAreaElement) || !area.hasAttribute("data-formatting")) return
    if (!(event.ctrlKey || event.metaKey) || event.altKey || event.shiftKey) return
    const key = event.key.toLowerCase()
    if (key !== "b" && key !== "i") return
    event.preventDefault()
    apply(area, key === "b" ? "bold" : "italic")
  })
})()
