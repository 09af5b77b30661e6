import { defineConfig } from "drizzle-kit"

/** Migrations are generated from `src/schema.ts` (`npx drizzle-kit generate`) and committed in `drizzle/`. */
export default defineConfig({
  dialect: "sqlite",
  schema: "./src/schema.ts",
  out: "./drizzle"
})
