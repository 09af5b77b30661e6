import { readFileSync } from "node:fs"
import { createRequire } from "node:module"
import { dirname, join } from "node:path"
import { fileURLToPath } from "node:url"
import { Hono } from "hono"

const require = createRequire(import.meta.url)
const htmxDist = join(dirname(require.resolve("htmx.org/package.json")), "dist")
const publicDir = fileURLToPath(new URL("../../public", import.meta.url))

interface Asset {
  readonly file: string
  readonly type: string
}

/** htmx 4 and its SSE extension from `node_modules` (no CDN), and our own script and style. */
const assets: Record<string, Asset> = {
  "htmx.js": { file: join(htmxDist, "htmx.min.js"), type: "text/javascript" },
  "hx-sse.js": { file: join(htmxDist, "ext", "hx-sse.min.js"), type: "text/javascript" },
  "app.js": { file: join(publicDir, "app.js"), type: "text/javascript" },
  "app.css": { file: join(publicDir, "app.css"), type: "text/css" },
  "favicon.svg": { file: join(publicDir, "favicon.svg"), type: "image/svg+xml" }
}

/** Read once at start: a handful of small files, served from memory. */
const loaded = Object.fromEntries(Object.entries(assets).map(([name, asset]) => [name, { ...asset, body: readFileSync(asset.file) }]))

export const assetRoutes = () =>
  new Hono().get("/:name", (c) => {
    const asset = loaded[c.req.param("name")]
    if (asset === undefined) return c.text("Not found.", 404)
    return c.body(asset.body, 200, { "content-type": `${asset.type}; charset=utf-8`, "cache-control": "public, max-age=300" })
  })
