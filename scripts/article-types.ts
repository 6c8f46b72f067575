/**
 * Types of the zhpress document model (dist/json/<locale>/<slug>.json).
 *
 * Generated from `articleSchema` in scripts/render-json.ts, the source of
 * dist/json/article.schema.json, by tests/schema.test.ts: do not edit; run
 * `UPDATE=1 npm test` after changing the schema.
 */

/**
 * A locale zhpress publishes (DESIGN.md, "Locales").
 *
 * This interface was referenced by `ArticleDocument`'s JSON-Schema
 * via the `definition` "Locale".
 */
export type Locale = "zh-Hans" | "zh-Hant" | "zh-TW" | "zh-HK";

/**
 * One article in one locale, as written to dist/json/<locale>/<slug>.json.
 */
export interface ArticleDocument {
  /**
   * Version of this model; bumped on any incompatible change.
   */
  schemaVersion: 1;
  /**
   * Path of the article's outputs inside each locale's folder, without extension: its source path (`guide/intro`), an index as `guide/index`, the last segment renamed by front matter `slug`. Never absolute, never `..`.
   */
  slug: string;
  locale: Locale;
  sourceLocale: Locale;
  title: string;
  description: string | null;
  category: string | null;
  tags: string[];
  /**
   * Front matter `date`, as written (usually YYYY-MM-DD).
   */
  date: string | null;
  /**
   * Headings of depth 2 and 3, in order; `id` is the anchor in `html`.
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
 *
 * This interface was referenced by `ArticleDocument`'s JSON-Schema
 * via the `definition` "TocEntry".
 */
export interface TocEntry {
  depth: number;
  id: string;
  text: string;
}
/**
 * The body as an mdast tree (https://github.com/syntax-tree/mdast), without positions.
 *
 * This interface was referenced by `ArticleDocument`'s JSON-Schema
 * via the `definition` "MdastRoot".
 */
export interface MdastRoot {
  type: "root";
  children: MdastNode[];
  position?: never;
  [k: string]: unknown;
}
/**
 * An mdast node: `type`, its own fields, and `children` for parents.
 *
 * This interface was referenced by `ArticleDocument`'s JSON-Schema
 * via the `definition` "MdastNode".
 */
export interface MdastNode {
  type: string;
  children?: MdastNode[];
  position?: never;
  [k: string]: unknown;
}
/**
 * Every locale of the article (this one included) → its outputs, relative to dist/.
 */
export interface Alternates {
  "zh-Hans"?: AlternatePaths;
  "zh-Hant"?: AlternatePaths;
  "zh-TW"?: AlternatePaths;
  "zh-HK"?: AlternatePaths;
}
/**
 * Paths of one article in one locale, relative to the dist/ folder.
 *
 * This interface was referenced by `ArticleDocument`'s JSON-Schema
 * via the `definition` "AlternatePaths".
 */
export interface AlternatePaths {
  markdown: string;
  json: string;
  html: string;
}
/**
 * This interface was referenced by `ArticleDocument`'s JSON-Schema
 * via the `definition` "Stats".
 */
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
