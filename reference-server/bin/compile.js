// Compiles the `careline` CLI (TypeScript) into one ES module with esbuild, as it is run: no TypeScript
// loader in the server process (half the CPU per webhook and ~80 MB less memory than tsx, see
// docs/benchmarks.md). Only Careline's own sources are bundled; every npm package stays external and
// loads from node_modules as usual. `import.meta.url` keeps each source file's own URL, so assets,
// migrations and the database worker are found where they are in the repository.
import { randomUUID } from "node:crypto"
import { access, mkdir, readFile, rename, writeFile } from "node:fs/promises"
import { join } from "node:path"
import { fileURLToPath, pathToFileURL } from "node:url"
import { build, stop } from "esbuild"

const repository = fileURLToPath(new URL("../../", import.meta.url))
/** Inside the repository, so the bundle's imports of npm packages resolve from its node_modules. */
const outDir = fileURLToPath(new URL("../dist/bin/", import.meta.url))

/** Builds the CLI and returns the URL of the module to import (it exports `main`). */
export const compileCli = async () => {
  const result = await build({
    entryPoints: [join(repository, "reference-server/src/cli.ts")],
    bundle: true,
    write: false,
    platform: "node",
    format: "esm",
    target: "node20",
    jsx: "automatic",
    jsxImportSource: "hono/jsx",
    logLevel: "error",
    plugins: [{
      name: "careline-sources-only",
      setup(b) {
        // Workspace packages (@careline/*) resolve to their TypeScript sources and are bundled; the rest is external.
        b.onResolve({ filter: /^[^./]/ }, (args) => (args.path.startsWith("@careline/") ? undefined : { path: args.path, external: true }))
        b.onLoad({ filter: /\.tsx?$/ }, async (args) => ({
          contents: (await readFile(args.path, "utf8")).replaceAll("import.meta.url", JSON.stringify(pathToFileURL(args.path).href)),
          loader: args.path.endsWith(".tsx") ? "tsx" : "ts"
        }))
      }
    }]
  })
  // esbuild's service process would otherwise live as long as the server.
  await stop()
  const target = join(outDir, "careline.mjs")
  try {
    // Several servers may start at once (tests, benchmarks): each writes its own file, then renames it into place.
    await mkdir(outDir, { recursive: true })
    const scratch = join(outDir, `careline.${randomUUID()}.mjs`)
    await writeFile(scratch, result.outputFiles[0].contents)
    await rename(scratch, target)
  } catch (error) {
    // A read-only install (a container image): the bundle made when the image was built is the one to run.
    if (!(await exists(target))) {
      throw new Error(`careline compiles itself into ${outDir} at start and cannot write there (${error.code ?? error.message}). Run any careline command once where it can, e.g. when building the image.`)
    }
  }
  return pathToFileURL(target).href
}

const exists = (path) => access(path).then(() => true, () => false)
