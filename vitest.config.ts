import { defineConfig } from "vitest/config"

export default defineConfig({
  test: {
    include: ["{packages,adapters,property-tests}/*/src/**/*.test.ts", "property-tests/src/**/*.test.ts", "README.test.ts"],
    testTimeout: 120_000
  }
})
