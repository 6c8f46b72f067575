/**
 * Runs in every test worker before its tests: the library keeps no
 * dictionary store unless asked, and the tests ask for the run's temporary
 * one (tests/setup.ts), so each locale pair is compiled once per run, not
 * once per test file.
 */
import path from 'node:path'
import {useDictionaryStore} from '../scripts/convert/engine.ts'

if (process.env.ZHPRESS_CACHE_DIR) useDictionaryStore(path.join(process.env.ZHPRESS_CACHE_DIR, 'dictionaries'))
