/**
 * The base URL of a published site (`--base-url`, `baseUrl` in
 * `zhpress.yaml`): where `html/` lives, the folder every absolute URL of the
 * site (canonical, `og:url`, sitemap, JSON `url`) starts from.
 */

/**
 * Check a base URL.
 *
 * @param value The URL as given.
 * @returns The URL normalized to end in `/`, or what is wrong with it
 *   (English, ends with what to do).
 */
export function checkBaseUrl(value: string): {url: string} | {problem: string} {
  let url: URL
  try {
    url = new URL(value)
  } catch {
    return {problem: `\`${value}\` is not an absolute URL; give one such as https://example.org/articles/`}
  }

  if (url.protocol !== 'https:' && url.protocol !== 'http:') return {problem: `\`${value}\` is not an http or https URL`}
  // Every page would carry them, for anyone to read.
  if (url.username || url.password) return {problem: `\`${value}\` holds a user name or password; leave credentials out of a URL written into every page`}
  if (url.search || url.hash || /[?#]/.test(value)) return {problem: `\`${value}\` has a query or fragment; give the folder's URL alone`}
  const last = url.pathname.split('/').at(-1) ?? ''
  if (/\.[a-z\d]+$/i.test(last)) {
    return {problem: `\`${value}\` ends in a file name (\`${last}\`); give the folder that holds the site: ${url.origin}${url.pathname.slice(0, -last.length)}`}
  }

  return {url: url.href.endsWith('/') ? url.href : url.href + '/'}
}
