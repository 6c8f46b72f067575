/**
 * The rule catalogue: every diagnostic zhpress reports, once, with its
 * severity, its one wording and the README section that explains it.
 *
 * Stages never build messages by hand: they call {@link report} (or
 * {@link fail}, {@link stop}) with a rule id and the rule's parameters, so a
 * rule cannot be worded two ways, and its severity is set in one place.
 * README's "Diagnostics" table is generated from {@link rules} and kept in
 * step by `tests/diagnostics.test.ts` (`UPDATE=1` rewrites it).
 *
 * To add a rule: add an entry here, use it through `report`, run
 * `UPDATE=1 npx vitest run tests/diagnostics.test.ts` and review the README diff.
 */
import type {Point, Position} from 'unist'
import type {VFile} from 'vfile'
import type {VFileMessage} from 'vfile-message'

/** How bad a finding is: `error` fails the build (exit 1), `warning` only under `--strict`, `info` never. */
export type Severity = 'error' | 'warning' | 'info'

/** One rule of the catalogue. */
export interface Rule<Params> {
  /** Severity of every message of this rule. */
  severity: Severity
  /** When the rule fires, one line (README's "when" column). */
  summary: string
  /** README heading (GitHub anchor, without `#`) that documents the rule. */
  anchor: string
  /**
   * The one wording: what was found, then what to do.
   *
   * @param params The facts of one finding.
   * @returns The message's reason.
   */
  message: (params: Params) => string
}

/** A finding whose wording is made by the stage that found it (a YAML parser's error, a rule parser's reason). */
interface Reason {
  reason: string
}

const slugRule = 'a slug is one file name of letters, digits, `-`, `_` or `.`, not a path or a reserved name'

/** Every rule, in the order of README's table. */
export const rules = {
  'empty-file': {
    severity: 'warning',
    summary: 'the file is empty or only white space (a stub): published as an empty page titled by its file name',
    anchor: 'diagnostics',
    message: () => 'empty file: nothing but white space, so its outputs have no text (a page takes its title from the file name); write the article or remove the file'
  },
  'unreadable-file': {
    severity: 'error',
    summary: 'an input is not a regular file (a folder, device, FIFO), vanished while zhpress ran, or cannot be read',
    anchor: 'diagnostics',
    message: ({problem}: {problem: string}) => `unreadable input: ${problem}`
  },
  'too-large': {
    severity: 'error',
    summary: 'the file is larger than 2 MiB (one megabyte already takes close to a minute to build in four locales)',
    anchor: 'diagnostics',
    message: ({bytes, limit}: {bytes: number; limit: number}) =>
      `article too large: ${bytes} bytes, the limit is ${limit} (2 MiB); split it into several articles`
  },
  'binary-file': {
    severity: 'error',
    summary: 'the file contains NUL bytes (`import`: or control characters)',
    anchor: 'diagnostics',
    message: ({found, expected}: {found: string; expected: string}) => `binary content: ${found}; ${expected}`
  },
  'invalid-utf8': {
    severity: 'error',
    summary: 'the file is not UTF-8 (`import` converts GBK, Big5, UTF-16)',
    anchor: 'diagnostics',
    message: ({byte}: {byte: number}) =>
      `invalid UTF-8 at byte ${byte}; save the file as UTF-8 (zhpress import converts GBK, Big5 and UTF-16)`
  },
  'too-deep': {
    severity: 'error',
    summary: 'more than 100 nested block quotes or lists, or elements (inline formatting, raw HTML) nested more than 300 deep',
    anchor: 'diagnostics',
    message: ({found}: {found: string}) => `${found}; flatten the structure (zhpress cannot build deeper trees safely)`
  },
  'broken-frontmatter': {
    severity: 'error',
    summary: 'the YAML does not parse, is not a mapping, a field is not text, or its aliases expand too far',
    anchor: 'source-articles',
    message: ({problem}: {problem: string}) => `broken front matter: ${problem}`
  },
  'frontmatter-warning': {
    severity: 'warning',
    summary: 'the YAML parses, with a warning from the YAML library (an unresolved tag, a key used as is)',
    anchor: 'source-articles',
    message: ({problem}: {problem: string}) => `front matter: ${problem}; check the YAML`
  },
  'unsafe-slug': {
    severity: 'error',
    summary: 'the slug is a path, empty, or a reserved file name; or a file name that cannot be an output path (add `slug:`)',
    anchor: 'source-articles',
    message: ({slug, fix}: {slug: string; fix: string}) => `unsafe slug \`${slug}\`: ${slugRule}; ${fix}`
  },
  'duplicate-slug': {
    severity: 'error',
    summary: 'two articles have the same output path, letter case aside (`A.html` and `a.html` are one file on Windows and macOS), e.g. two `slug`s',
    anchor: 'documentation-trees',
    message: ({slug, other, otherSlug}: {slug: string; other: string; otherSlug: string}) =>
      `duplicate output path \`${slug}\`: ${other} ${otherSlug === slug ? 'is published there too' : `is published at \`${otherSlug}\`, the same file on Windows and macOS`}` +
      '; give one of them another `slug`'
  },
  'reserved-path': {
    severity: 'error',
    summary: "an article's output path is one the site uses: the list of articles, the page for missing addresses, the `ui` or `titles` i18next namespace",
    anchor: 'documentation-trees',
    message: ({slug, taken}: {slug: string; taken: string}) => `output path \`${slug}\` is taken by ${taken}; give the article another \`slug\` or file name`
  },
  'shadowed-file': {
    severity: 'warning',
    summary: "an HTML file of the source on an article's page path (a generator's shell or template, such as Docsify's `index.html`): the article's page is published, the file is not",
    anchor: 'documentation-trees',
    message: ({file, slug}: {file: string; slug: string}) =>
      `the file \`${file}\` is not published: this article's page \`${slug}.html\` takes its path; rename one of them to publish both`
  },
  'broken-link': {
    severity: 'warning',
    summary: 'a link to an article, file or heading that does not exist',
    anchor: 'documentation-trees',
    message: ({url, problem}: {url: string; problem: string}) => `broken link \`${url}\`: ${problem}`
  },
  'output-broken-link': {
    severity: 'warning',
    summary: 'a link or image of a published page finds no file or element, although its source link resolved: zhpress broke it (a bug; please report it)',
    anchor: 'documentation-trees',
    message: ({href, page, problem}: {href: string; page: string; problem: string}) =>
      `zhpress wrote a broken link \`${href}\` in \`html/${page}\`: ${problem}; the source link is fine, so this is a bug in zhpress: please report it`
  },
  'missing-image': {
    severity: 'warning',
    summary: 'an image whose file is not in the source folder',
    anchor: 'documentation-trees',
    message: ({url, path}: {url: string; path: string}) => `missing image \`${url}\`: no file \`${path}\` in the source folder`
  },
  'invalid-date': {
    severity: 'error',
    summary: '`date` or `updated` is not a calendar date (`2026-03-15`) or an ISO date and time (`2026-03-15T07:30:00+08:00`)',
    anchor: 'dates',
    message: ({field, problem}: {field: string; problem: string}) => `invalid \`${field}\`: ${problem}`
  },
  'unknown-locale': {
    severity: 'error',
    summary: '`lang` is not a locale zhpress publishes',
    anchor: 'source-articles',
    message: ({lang}: {lang: string}) => `unknown locale \`${lang}\`; use zh-Hans, zh-Hant, zh-TW or zh-HK`
  },
  'no-articles': {
    severity: 'error',
    summary: 'the source folder has no `*.md` file',
    anchor: 'source-articles',
    message: () => 'no articles: the source folder has no `*.md` file'
  },
  'skipped-link': {
    severity: 'warning',
    summary: 'a symbolic link in the source folder was not followed: it leads outside the source folder, to nothing, to a device, or into a loop',
    anchor: 'source-articles',
    message: ({reason}: {reason: string}) => `symbolic link not followed: ${reason}`
  },
  'dynamic-route': {
    severity: 'info',
    summary: 'VitePress dynamic routes (`[pkg].md`, `[...slug].md`, with `[pkg].paths.js`) were skipped: their pages are made by running JavaScript',
    anchor: 'documentation-trees',
    message: ({count, names}: {count: number; names: string}) =>
      `skipped ${count} VitePress dynamic route${count === 1 ? '' : 's'} (${names}): their pages come from running \`[name].paths.js\`, which zhpress does not do; add the pages as files, or list them in \`ignore\` to silence this`
  },
  'detected-locale': {
    severity: 'info',
    summary: "no `lang`: the source locale was detected, with its evidence (script, Taiwan and Hong Kong phrasing), or a text with no script-specific character took the project's `defaultLocale`; `import` writes it to `lang`",
    anchor: 'source-articles',
    message: ({locale, evidence, fix}: {locale: string; evidence: string; fix: string}) =>
      `no \`lang\` in front matter: detected ${locale} (${evidence}); ${fix}`
  },
  'unterminated-rule': {
    severity: 'error',
    summary: 'a `-{` without its `}-` in the same run of text',
    anchor: 'inline-rules',
    message: ({reason}: Reason) => reason
  },
  'malformed-rule': {
    severity: 'error',
    summary: 'an unknown variant (`zh-xx:`), formatting inside a per-variant rule, rules nested more than 10 deep',
    anchor: 'inline-rules',
    message: ({reason}: Reason) => reason
  },
  'rule-flag-ignored': {
    severity: 'warning',
    summary: 'text before `|` in a rule that is no flag (`-{|a test}-`, `-{X|…}-`): ignored, as on Wikipedia',
    anchor: 'coming-from-wikipedia',
    message: ({reason}: Reason) => reason
  },
  'broken-cgroup': {
    severity: 'error',
    summary: '`import-cgroup` was given a file that is not a Lua module',
    anchor: 'coming-from-wikipedia',
    message: ({reason}: Reason) => reason
  },
  'cgroup-item-skipped': {
    severity: 'warning',
    summary: '`import-cgroup` skipped an item: no rule, one-way rules only, or an unknown variant',
    anchor: 'coming-from-wikipedia',
    message: ({reason}: Reason) => reason
  },
  'rule-not-applied': {
    severity: 'warning',
    summary: 'a Wikipedia rule that cannot act on a static page: `T` without a front matter title, `-` with nothing to remove, `N` of a language other than Chinese',
    anchor: 'coming-from-wikipedia',
    message: ({reason}: Reason) => reason
  },
  'broken-settings': {
    severity: 'error',
    summary: '`zhpress.yaml` is not valid YAML, has an unknown key or locale, or a value of the wrong kind',
    anchor: 'project-settings',
    message: ({reason}: Reason) => reason
  },
  'broken-glossary': {
    severity: 'error',
    summary: '`glossary.yaml` or front matter `glossary:` is not valid YAML or not in the glossary format',
    anchor: 'glossary',
    message: ({reason}: Reason) => reason
  },
  'ambiguous-conversion': {
    severity: 'warning',
    summary: 'a character converted by a one-to-many fallback with no phrase match',
    anchor: 'review-report',
    message: ({char, output, locales, count}: {char: string; output: string; locales: string; count?: number}) =>
      `${char} → ${output} (${locales}) has no phrase match${count === undefined ? '' : `, ${count} times in the text`}; check it`
  },
  'disputed-phrase': {
    severity: 'warning',
    summary: 'an OpenCC phrase that cuts through a word of the sentence was kept, and it changes characters',
    anchor: 'review-report',
    message: ({phrase, output, locales, count}: {phrase: string; output: string; locales: string; count?: number}) =>
      `${phrase} → ${output} (${locales}): OpenCC's phrase cuts through a word of the sentence${count === undefined ? '' : ` (${count} times in the text)`}; check it`
  },
  'non-standard-traditional': {
    severity: 'warning',
    summary: 'a Traditional source writes a word with non-standard characters (`聯系` → `聯繫`) and `--keep-source-forms` publishes it so',
    anchor: 'lint-of-traditional-sources',
    message: ({found, fix, count}: {found: string; fix: string; count?: number}) =>
      `${found} is not OpenCC's standard Traditional${count && count > 1 ? ` (${count} times)` : ''}; write ${fix}`
  },
  'fixed-standard-form': {
    severity: 'info',
    summary: '`import`: a non-standard Traditional word (`聯系`) was written in its standard form (`聯繫`)',
    anchor: 'standard-forms',
    message: ({found, fix}: {found: string; fix: string}) => `${found} → ${fix}: wrote OpenCC's standard form`
  },
  'standard-form': {
    severity: 'info',
    summary: 'a Traditional source\'s non-standard word (`聯系`) is published in its standard form (`聯繫`); once per word',
    anchor: 'standard-forms',
    message: ({found, fix, count}: {found: string; fix: string; count: number}) =>
      `${found} → ${fix} (${count} time${count === 1 ? '' : 's'}): published in OpenCC's standard form; \`zhpress check --fix\` writes it into the source`
  },
  'detected-encoding': {
    severity: 'info',
    summary: '`import`: the encoding the input was read in, and why',
    anchor: 'importing-articles',
    message: ({encoding, evidence}: {encoding: string; evidence: string}) => `read as ${encoding} (${evidence})`
  },
  'undecodable-file': {
    severity: 'error',
    summary: '`import`: the bytes are not UTF-8, UTF-16 with BOM, GB18030/GBK or Big5',
    anchor: 'importing-articles',
    message: ({found}: {found: string}) => `cannot decode: ${found}; save the file as UTF-8`
  },
  'file-exists': {
    severity: 'error',
    summary: '`import`: `<slug>.md` exists in the output folder; pass `--force` or another `--slug`',
    anchor: 'importing-articles',
    message: ({path}: {path: string}) => `${path} exists; pass --force to overwrite it, or --slug to name the article differently`
  },
  'broken-chrome-file': {
    severity: 'error',
    summary: '`import`: the chrome patterns YAML does not parse, or an entry is not a text or a valid regular expression',
    anchor: 'importing-articles',
    message: ({problem}: {problem: string}) => `broken chrome patterns: ${problem}; fix the file`
  },
  'no-text': {
    severity: 'error',
    summary: '`import`: no text left after cleaning, so no title',
    anchor: 'importing-articles',
    message: () => 'no text left after cleaning: the input has no title; check that it is an article'
  },
  breadcrumb: {
    severity: 'info',
    summary: '`import`: a breadcrumb line was removed (its last useful item becomes `category`)',
    anchor: 'importing-articles',
    message: ({line, category}: {line: string; category: string | undefined}) =>
      category ? `removed breadcrumb \`${line}\`; \`category: ${category}\`` : `removed breadcrumb \`${line}\` (no section in it for \`category\`)`
  },
  'pinyin-annotation': {
    severity: 'info',
    summary: '`import`: pinyin in parentheses after the Han characters it reads was removed',
    anchor: 'importing-articles',
    message: ({annotation, annotated}: {annotation: string; annotated: string}) =>
      `removed pinyin annotation \`${annotation}\` after \`${annotated}\``
  },
  'doubtful-pinyin': {
    severity: 'warning',
    summary: '`import`: something that looks like pinyin but is not a reading of the characters before it; kept',
    anchor: 'importing-articles',
    message: ({annotation, annotated}: {annotation: string; annotated: string}) =>
      `\`${annotation}\` looks like pinyin but is not a reading of \`${annotated}\`; kept: remove it by hand if it is an annotation`
  },
  'personal-data': {
    severity: 'warning',
    summary: '`import`: a phone number, e-mail address or ID number was removed',
    anchor: 'importing-articles',
    message: ({kind, masked}: {kind: string; masked: string}) => `removed ${kind} \`${masked}\`; check the text around it`
  },
  'site-chrome': {
    severity: 'info',
    summary: '`import`: a navigation, sidebar or footer line of the scraped site was removed',
    anchor: 'importing-articles',
    message: ({kind, text}: {kind: string; text: string}) => `removed ${kind} \`${text}\``
  },
  'repeated-title': {
    severity: 'info',
    summary: '`import`: the title repeated as an image caption was removed',
    anchor: 'importing-articles',
    message: ({above}: {above: string}) => `removed the title repeated as an image caption under \`${above}\``
  },
  mojibake: {
    severity: 'warning',
    summary: '`import`: mojibake was repaired, or is suspected and left for a person',
    anchor: 'importing-articles',
    message: ({reason}: Reason) => reason
  },
  'lost-text': {
    severity: 'warning',
    summary: '`import`: `?` or `□` marks text lost in an earlier conversion',
    anchor: 'importing-articles',
    message: ({mark, before}: {mark: string; before: string}) =>
      `\`${mark}\` stands for text lost in an earlier conversion (after \`${before}\`); it cannot be recovered: restore it by hand from the original`
  },
  'missing-word': {
    severity: 'warning',
    summary: '`import`: a space between Han characters, where a word seems to be missing',
    anchor: 'importing-articles',
    message: ({text}: {text: string}) =>
      `suspected missing word: a space between Han characters in \`${text}\`; fill in the word from the original, or remove the space`
  },
  'lead-label': {
    severity: 'info',
    summary: '`import`: the lead label (`小編導語`) was removed, or the first paragraph became the `description`',
    anchor: 'importing-articles',
    message: ({reason}: Reason) => reason
  },
  typography: {
    severity: 'info',
    summary: '`import`: half-width punctuation between Han characters became full width',
    anchor: 'importing-articles',
    message: ({from, to}: {from: string; to: string}) => `\`${from}\` → \`${to}\``
  }
} as const satisfies Record<string, Rule<never>>

/** The id of a rule of the catalogue, as printed in brackets. */
export type RuleId = keyof typeof rules

/** The parameters of a rule's wording. */
export type RuleParams<Id extends RuleId> = Parameters<(typeof rules)[Id]['message']> extends [infer P, ...Array<unknown>]
  ? P
  : Record<string, never>

/** Rule ids whose severity is `error`: the only ones {@link fail} takes. */
export type ErrorRuleId = {[Id in RuleId]: (typeof rules)[Id]['severity'] extends 'error' ? Id : never}[RuleId]

/** Where a message points, and what it offers. */
export interface MessageOptions {
  /** A point or a range of the file; omitted for messages about the whole file or folder. */
  place?: Point | Position | undefined
  /** Replacement(s) that would fix it. */
  expected?: Array<string> | undefined
  /** Context: the text around it, why. */
  note?: string | undefined
  /** What was found, as data (`broken-link`: the URL as the pages write it). */
  actual?: string | undefined
}

/** One finding of any rule, as data: what a stage hands to the code that places it (see `clean/`). */
export type Finding = {
  [Id in RuleId]: {ruleId: Id; params: RuleParams<Id>; expected?: Array<string> | undefined; note?: string | undefined}
}[RuleId]

/**
 * Whether a string is a rule id of the catalogue.
 *
 * @param id Anything printed in brackets.
 */
export function isRuleId(id: string): id is RuleId {
  return Object.hasOwn(rules, id)
}

/**
 * The wording of one finding of a rule, without reporting it.
 *
 * @param ruleId Rule.
 * @param params Facts of the finding.
 * @returns The reason a message of this rule would carry.
 */
export function reasonOf<Id extends RuleId>(ruleId: Id, params: RuleParams<Id>): string {
  return (rules[ruleId].message as (params: RuleParams<Id>) => string)(params)
}

/**
 * Report one finding of a rule on a file: a vfile message with the rule's
 * wording, severity (`fatal`: `true` error, `false` warning, `undefined`
 * info), `ruleId`, `source: 'zhpress'` and its documentation anchor in `url`.
 *
 * @param file File the finding is about.
 * @param ruleId Rule.
 * @param params Facts of the finding (the rule's wording takes them).
 * @param options Place, fix, context.
 * @returns The message, already on `file.messages`.
 */
export function report<Id extends RuleId>(
  file: VFile,
  ruleId: Id,
  params: RuleParams<Id>,
  options: MessageOptions = {}
): VFileMessage {
  const rule: Rule<never> = rules[ruleId]
  const message = file.message(reasonOf(ruleId, params), {place: options.place, ruleId, source: 'zhpress'})
  message.fatal = rule.severity === 'error' ? true : rule.severity === 'warning' ? false : undefined
  message.url = docsUrl(ruleId)
  if (options.expected) message.expected = options.expected
  if (options.note) message.note = options.note
  if (options.actual !== undefined) message.actual = options.actual
  return message
}

/**
 * Report a finding handed over as data.
 *
 * @param file File the finding is about.
 * @param finding Rule, parameters, fix and context.
 * @param place Where it is.
 * @returns The message, already on `file.messages`.
 */
export function reportFinding(file: VFile, finding: Finding, place?: Point | Position): VFileMessage {
  // `finding` pairs each rule with its own parameters; TypeScript cannot follow that through a union.
  const params = finding.params as RuleParams<'typography'>
  return report(file, finding.ruleId as 'typography', params, {place, expected: finding.expected, note: finding.note})
}

/**
 * Report an error that stops the article (as `file.fail` does): the message
 * is added to the file, then thrown. Commands catch it per article and go on.
 *
 * @param file File the finding is about.
 * @param ruleId An error rule.
 * @param params Facts of the finding.
 * @param options Place, fix, context.
 * @returns Never: throws the message.
 */
export function fail<Id extends ErrorRuleId>(file: VFile, ruleId: Id, params: RuleParams<Id>, options: MessageOptions = {}): never {
  throw report(file, ruleId, params, options)
}

/**
 * Stop the article after its errors were all reported with {@link report}:
 * throws its last error, already on the file, so nothing is reported twice.
 * Does nothing when the file has no error.
 *
 * @param file The article.
 */
export function stopOnErrors(file: VFile): void {
  const last = file.messages.findLast((message) => message.fatal === true)
  if (last) throw last
}

/**
 * Where a rule is documented: README.md and the rule's section.
 *
 * @param ruleId Rule.
 * @returns `README.md#<anchor>`, relative to the package folder.
 */
export function docsUrl(ruleId: RuleId): string {
  return `README.md#${rules[ruleId].anchor}`
}

/**
 * README's diagnostics table, generated from the catalogue: one row per rule,
 * the id linked to its section.
 *
 * @returns The Markdown table, without a trailing newline.
 */
export function rulesTable(): string {
  const rows = Object.entries(rules).map(
    ([id, rule]: [string, Rule<never>]) => `| [\`${id}\`](#${rule.anchor}) | ${rule.severity} | ${rule.summary.replaceAll('|', '\\|')} |`
  )
  return ['| rule id | severity | when |', '|---|---|---|', ...rows].join('\n')
}
