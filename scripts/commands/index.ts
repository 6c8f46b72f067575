/**
 * argv → command → exit code. Commands print through `io` only, so tests
 * run them in-process.
 */
import type {Io} from '../types.ts'
import {foldLimit} from '../report.ts'
import {parseBuild, parseCheck, parseConvert, parseImport, parseImportCGroup, parseMerge, UsageError} from './args.ts'
// Commands load on use: `convert` never pays for the build's HTML stack.

export const help = {
  main: `Usage: zhpress <command> [options]

Publish Chinese articles as zh-Hans, zh-Hant, zh-TW and zh-HK Markdown, JSON and HTML.

Commands:
  build     source/ → dist/ (every article, every locale, every format)
  import    scraped text (like the seed) → a clean source article + a report
  import-cgroup  a Chinese Wikipedia conversion group (Lua module) → glossary YAML
  convert   convert one text or Markdown file to a locale, print it
  check     print every diagnostic a build would give; write nothing
  merge     combine the outputs of \`build --shard K/N\` into one site

Run \`zhpress <command> --help\` for a command's options.
Exit codes: 0 success (warnings allowed), 1 content errors, 2 usage errors.
`,
  build: `Usage: zhpress build [options]

Build every article of the source folder into the output folder. The output
folder is replaced as a whole, and only when the build succeeded; it must be
new, empty or made by zhpress (it holds a .zhpress-output marker).

Options:
  --source DIR        articles to build (default: source)
  --out DIR           output folder (default: dist)
  --locales LIST      comma-separated locales (default: zh-Hans,zh-Hant,zh-TW,zh-HK;
                      aliases zh-CN, zh-SG → zh-Hans, zh-MO → zh-HK)
  --formats LIST      comma-separated formats: md,json,html (default: all)
  --jobs N            worker threads (default: available cores; 1 builds in-process)
  --shard K/N         build only share K of N of the articles, for \`merge\`
  --no-cache          rebuild every article and cache nothing (the cache root is
                      $ZHPRESS_CACHE_DIR, else .cache/zhpress/ in the working folder)
  --cache-keep N      keep the cache entries of the last N builds (default: 1, the
                      entries this build used; the others are deleted)
  --in-place          when most articles are unchanged, update dist/ in place under
                      a journal (faster; a killed build leaves a mix of old and new
                      files until the next build) instead of replacing it at once
  --no-corrections    convert exactly as opencc-js does (no word-aware corrections,
                      no standard forms for Traditional sources)
  --keep-source-forms publish a Traditional source's non-standard forms (聯系, 后果) as written
  --base-url URL      where dist/html/ is published (https://example.org/articles/):
                      makes canonical, hreflang, og:url and sitemap links absolute
  --strict            warnings fail the build (exit 1)
  --watch             after the build, build again whenever a file of the source
                      folder changes (changed articles only, in this process),
                      until Ctrl-C
  --verbose           print every warning (default: ${foldLimit} per rule, then a count)
  -h, --help          show this help
`,
  convert: `Usage: zhpress convert --to LOCALE [--from LOCALE|auto] [--markdown] [--glossary FILE] [--quotes STYLE]
                       [--no-corrections] [--keep-source-forms] [FILE|-]

Convert one file (or standard input) and print the result.

Options:
  --to LOCALE         zh-Hans, zh-Hant, zh-TW or zh-HK (aliases accepted)
  --from LOCALE|auto  locale of the input (default: auto, detected from the text)
  --markdown          treat the input as Markdown: code, URLs and HTML stay as written
  --glossary FILE     glossary YAML (default: glossary.yaml beside FILE, when there is one)
  --quotes STYLE      corner (「」), curly (“”) or keep (default: corner for zh-TW and
                      zh-HK, curly for zh-Hans, as written for zh-Hant)
  --no-cache          compile the dictionaries in memory; keep nothing in the cache root
  --no-corrections    convert exactly as opencc-js does
  --keep-source-forms keep a Traditional input's non-standard forms (聯系, 后果) as written
  -h, --help          show this help
`,
  import: `Usage: zhpress import FILE… [options]

Turn scraped articles into clean source articles (source/<slug>.md), and
report every change: line and column of the input, rule id, what changed.
Reads UTF-8 (with or without BOM), UTF-16 with BOM, GB18030/GBK and Big5.

Rules, in order: breadcrumb, pinyin-annotation, personal-data, site-chrome,
repeated-title, mojibake, lost-text, missing-word, typography; then the
structure (title, lead-label → description, headings, lists), the script
(detected-locale → lang, non-standard-traditional) and the slug.

Options:
  --out DIR           folder to write the article to (default: source)
  --slug SLUG         file name of the article (one FILE only; default: pinyin of the title)
  --force             overwrite an existing article
  --report FORMAT     text (default): the report on stderr; json: the report as JSON on stdout
  --no-typography     keep half-width punctuation as written
  --chrome FILE       site chrome patterns (default: scripts/clean/chrome.yaml)
  -h, --help          show this help

Exit codes: 0 imported (warnings allowed), 1 an input could not be imported
(unreadable, binary, no text, or the article exists), 2 usage errors.
`,
  merge: `Usage: zhpress merge [--out DIR] [--strict] SHARD…

Combine the output folders of \`zhpress build --shard K/N\` (one per K, all
built with the same options) into one output folder, identical to a single
full build. The output folder is replaced as a whole; it must be new, empty
or made by zhpress, and must not overlap a shard folder.

Options:
  --out DIR           output folder (default: dist)
  --strict            warnings in the shards fail the merge (exit 1)
  -h, --help          show this help
`,
  'import-cgroup': `Usage: zhpress import-cgroup FILE [--out FILE] [--force]

Turn a Chinese Wikipedia conversion group (a CGroup Lua module, its items
\`{ type = 'item', original = …, rule = 'zh-cn:…; zh-tw:…;' }\`) into glossary
entries (\`variants:\`), printed as YAML for source/glossary.yaml.

Options:
  --out FILE          write the glossary to FILE instead of standard output
  --force             replace FILE when it exists
  -h, --help          show this help
`,
  check: `Usage: zhpress check [--source DIR] [--strict] [--format text|json] [--verbose] [--fix [--dry-run]]

Print every diagnostic a build would give. Writes nothing, but with --fix.

Options:
  --source DIR        articles to check (default: source)
  --strict            warnings count as failures (exit 1)
  --format FORMAT     text (default): one line per message on stderr; json: every
                      message as data on stdout (rule id, severity, place, fix, docs)
  --verbose           print every warning (default: ${foldLimit} per rule, then a count)
  --fix               write the standard forms of Traditional sources (聯系 → 聯繫)
                      into the files: only the changed characters, each file atomically
  --dry-run           with --fix: print the changes as a diff, write nothing
  -h, --help          show this help
`
}

/**
 * Run the command line.
 *
 * @param argv Arguments after the program name.
 * @param io Where to print.
 * @returns Exit code: 0 success, 1 content errors, 2 usage errors.
 */
export async function main(argv: Array<string>, io: Io): Promise<number> {
  const [command, ...rest] = argv
  try {
    switch (command) {
      case 'build': {
        const options = parseBuild(rest)
        if (options === 'help') return printHelp(io, help.build)
        return await (await import('./build.ts')).build(options, io)
      }

      case 'convert': {
        const options = parseConvert(rest)
        if (options === 'help') return printHelp(io, help.convert)
        return await (await import('./convert.ts')).convert(options, io)
      }

      case 'import': {
        const options = parseImport(rest)
        if (options === 'help') return printHelp(io, help.import)
        return await (await import('./import.ts')).importArticles(options, io)
      }

      case 'import-cgroup': {
        const options = parseImportCGroup(rest)
        if (options === 'help') return printHelp(io, help['import-cgroup'])
        return await (await import('./import-cgroup.ts')).importCGroup(options, io)
      }

      case 'merge': {
        const options = parseMerge(rest)
        if (options === 'help') return printHelp(io, help.merge)
        return await (await import('./shard.ts')).merge(options, io)
      }

      case 'check': {
        const options = parseCheck(rest)
        if (options === 'help') return printHelp(io, help.check)
        return await (await import('./check.ts')).check(options, io)
      }

      case undefined:
      case '-h':
      case '--help':
      case 'help': {
        return printHelp(io, help.main)
      }

      default: {
        throw new UsageError(`unknown command \`${command}\``)
      }
    }
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`zhpress: ${error.message}\nRun \`zhpress --help\` for usage.\n`)
      return 2
    }

    const code = (error as NodeJS.ErrnoException).code
    if (code === 'ENOENT' || code === 'EACCES' || code === 'ENOTDIR' || code === 'EISDIR') {
      const target = (error as NodeJS.ErrnoException).path ?? ''
      io.stderr(`zhpress: cannot read or write ${target}: ${code}\n`)
      return code === 'ENOENT' ? 2 : 1
    }

    if (io.env.DEBUG) throw error
    io.stderr(`zhpress: internal error: ${(error as Error).message}\nSet DEBUG=1 for the stack trace.\n`)
    return 1
  }
}

function printHelp(io: Io, text: string): number {
  io.stdout(text)
  return 0
}
