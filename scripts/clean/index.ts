/**
 * The `import` stage: a scraped article (decoded text) → a clean source
 * article and a report of every change. The rules run in the order of
 * `rules`; each sees the text the ones before it left, and reports at the
 * line and column of the raw input.
 */
import {toMarkdown} from 'mdast-util-to-markdown'
import {frontmatterToMarkdown} from 'mdast-util-frontmatter'
import type {Root} from 'mdast'
import type {VFile} from 'vfile'
import {location} from 'vfile-location'
import {stringify as stringifyYaml} from 'yaml'
import {detectScript} from '../convert/detect.ts'
import {report as reportRule, reportFinding} from '../diagnostics.ts'
import {traditional} from '../locales.ts'
import type {Edit} from '../types.ts'
import {isSafeSlug} from '../parse.ts'
import {breadcrumb} from './breadcrumb.ts'
import {applyDraftEdits, createDraft, type Draft} from './draft.ts'
import {lostText} from './lost-text.ts'
import {missingWord} from './missing-word.ts'
import {mojibake} from './mojibake.ts'
import {personalData} from './personal-data.ts'
import {pinyinAnnotation} from './pinyin-annotation.ts'
import {repeatedTitle} from './repeated-title.ts'
import {siteChrome} from './site-chrome.ts'
import {pinyinSlug} from './slug.ts'
import {structureArticle} from './structure.ts'
import {lintTraditional} from '../convert/lint.ts'
import {typography} from './typography.ts'
import type {CleanOptions, CleanResult, CleanRule, Facts, Report} from './types.ts'

export type {ChromeData, CleanOptions, CleanResult, CleanRule} from './types.ts'

/**
 * The cleaning rules, in the order they run. Order matters: the breadcrumb
 * is read before anything else touches its line; pinyin goes before the
 * lines are compared with chrome patterns and the title; personal data is
 * taken out before the footer line that holds it is removed (so the report
 * names it, masked); mojibake is repaired before gaps and punctuation are
 * judged by their neighbours.
 */
export const rules: ReadonlyArray<CleanRule> = [
  breadcrumb,
  pinyinAnnotation,
  personalData,
  siteChrome,
  repeatedTitle,
  mojibake,
  lostText,
  missingWord,
  typography
]

/**
 * Clean one scraped article.
 *
 * @param file The scraped article, decoded (`value` is its text); every change and finding is reported on it.
 * @param options Chrome patterns, typography, slug.
 * @returns The source article, or `undefined` when nothing usable is left (a fatal message says why).
 */
export function cleanArticle(file: VFile, options: CleanOptions): CleanResult | undefined {
  const where = location(file)
  const facts: Facts = {}
  let draft = createDraft(String(file.value))

  const reporter = (current: () => Draft) => (report: Report) => {
    reportFinding(file, report, where.toPoint(current().origins[report.offset]!))
  }

  for (const rule of rules) {
    const edits = rule.run(draft, {options, facts, report: reporter(() => draft)})
    draft = applyDraftEdits(draft, edits)
  }

  // The same lint as `check` and `build` (scripts/convert/lint.ts): a
  // Traditional text gets OpenCC's standard forms, each change reported.
  const script = detectScript(draft.text)
  if (traditional[script.locale]) {
    const report = reporter(() => draft)
    const edits: Array<Edit> = []
    // A draft's words wholly in Simplified are remnants of a broken conversion: fixed too.
    for (const form of lintTraditional(draft.text, script.locale, {simplifiedWords: 'fix'})) {
      if (form.fix.length !== form.end - form.start) continue
      report({offset: form.offset, ruleId: 'fixed-standard-form', params: form, expected: [form.fix]})
      edits.push({start: form.start, end: form.end, text: form.fix})
    }

    draft = applyDraftEdits(draft, edits)
  }

  const structure = structureArticle(draft, options.chrome, reporter(() => draft))
  if (!structure) {
    reportRule(file, 'no-text', {}, {place: {line: 1, column: 1}})
    return undefined
  }

  const detected = script
  reportRule(
    file,
    'detected-locale',
    {
      locale: detected.locale,
      evidence: `confidence ${detected.confidence}: ${detected.traditional} Traditional-only, ${detected.simplified} Simplified-only characters`,
      fix: `wrote \`lang: ${detected.locale}\``
    },
    {place: {line: 1, column: 1}}
  )

  const slug = options.slug ?? pinyinSlug(structure.title, detected.locale)
  if (!isSafeSlug(slug)) {
    reportRule(file, 'unsafe-slug', {slug, fix: 'pass another with --slug'}, {place: {line: 1, column: 1}})
    return undefined
  }

  const frontmatter: Record<string, string> = {title: structure.title, slug, lang: detected.locale}
  if (facts.category) frontmatter.category = facts.category
  if (structure.description) frontmatter.description = structure.description
  const tree: Root = {
    type: 'root',
    children: [{type: 'yaml', value: stringifyYaml(frontmatter, {lineWidth: 0}).trimEnd()}, ...structure.blocks]
  }
  const markdown = toMarkdown(tree, {
    bullet: '-',
    listItemIndent: 'one',
    extensions: [frontmatterToMarkdown(['yaml'])]
  })
  return {markdown, slug, file}
}
