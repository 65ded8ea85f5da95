// Fails `npm test` early, with instructions, when no Chromium is installed (never a silent skip).
import { chromiumPath } from './support.mjs'
try {
  console.log(`Browser tests use ${chromiumPath()}`)
} catch (e) {
  console.error(e.message)
  process.exit(1)
}
