import { defineConfig } from "vitest/config"

const modelSuites = ["property-tests/src/**/*.test.ts"]

/**
 * Unit and conformance tests once; the model-based suites twice, once on each storage adapter
 * (CARELINE_STORES picks the stores each world is built on: property-tests/src/StoresUnderTest.ts).
 */
export default defineConfig({
  test: {
    testTimeout: 300_000,
    projects: [
      { test: { name: "unit", include: ["{packages,adapters}/*/src/**/*.test.ts", "reference-server/src/**/*.test.{ts,tsx}"], testTimeout: 300_000 } },
      { test: { name: "model:memory", include: modelSuites, env: { CARELINE_STORES: "memory" }, testTimeout: 300_000 } },
      { test: { name: "model:libsql", include: modelSuites, env: { CARELINE_STORES: "libsql" }, testTimeout: 600_000 } },
      // Real Chromium (Debian's /usr/bin/chromium) against the real server; screenshots with CARELINE_SCREENSHOTS=1.
      { test: { name: "browser", include: ["browser-tests/src/**/*.test.ts"], testTimeout: 60_000, hookTimeout: 60_000, fileParallelism: false } }
    ]
  }
})
