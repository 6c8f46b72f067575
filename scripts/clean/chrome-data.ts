/**
 * The site chrome patterns of `chrome.yaml`, checked and compiled.
 */
import path from 'node:path'
import type {ChromeData} from './types.ts'

/** Where the default patterns live. */
export const chromeFile = path.join(import.meta.dirname, 'chrome.yaml')

function strings(value: unknown, key: string): Array<string> {
  if (value === undefined || value === null) return []
  if (!Array.isArray(value) || value.some((item) => typeof item !== 'string' || item === '')) {
    throw new TypeError(`\`${key}\` must be a list of texts`)
  }

  return value as Array<string>
}

/**
 * Check parsed `chrome.yaml` data.
 *
 * @param value The YAML as data.
 * @returns The patterns, or what is wrong with them.
 */
export function compileChrome(value: unknown): {chrome: ChromeData} | {error: string} {
  try {
    const data = (value ?? {}) as Record<string, Record<string, unknown> | undefined>
    if (typeof data !== 'object' || Array.isArray(data)) throw new TypeError('the file must be a mapping')
    const footers = strings(data.footers, 'footers').map((source) => {
      try {
        return new RegExp(source, 'u')
      } catch (error) {
        throw new TypeError(`\`footers\`: ${(error as Error).message}`)
      }
    })
    return {
      chrome: {
        navigation: strings(data.navigation, 'navigation'),
        footers,
        breadcrumb: {
          separators: strings(data.breadcrumb?.separators, 'breadcrumb.separators'),
          home: strings(data.breadcrumb?.home, 'breadcrumb.home'),
          current: strings(data.breadcrumb?.current, 'breadcrumb.current')
        },
        leadLabels: strings(data.lead?.labels, 'lead.labels')
      }
    }
  } catch (error) {
    return {error: (error as Error).message}
  }
}
