/**
 * MediaWiki's, XOWA's and zhconv's own test cases of the `-{…}-` syntax, run
 * through `convertText` and through the CLI (`zhpress convert`). Their text
 * is not in this repository: set `ZHPRESS_PEER_SUITES` to a folder holding
 * copies (see tests/peer/suites.ts and the README, Coming from Wikipedia),
 * otherwise the suite is skipped. Every case inside the supported syntax
 * must pass; the others are listed with the reason they are left out.
 */
import {describe, expect, it} from 'vitest'
import {convertTextReport} from '../scripts/convert/index.ts'
import {traditional} from '../scripts/locales.ts'
import {runCli} from './helpers.ts'
import {normalize, peerCases, syntaxForms, type PeerCase} from './peer/suites.ts'

const root = process.env.ZHPRESS_PEER_SUITES
const cases = root ? peerCases(root) : []

/**
 * The source locale of a case. A zh page of MediaWiki mixes both scripts and
 * every view converts all of it: the text is read as the other script than
 * the output's, so that every character of the output's own script stays.
 */
const sourceOf = (peer: PeerCase) => (traditional[peer.locale!] ? 'zh-Hans' : 'zh-Hant')

function run(peer: PeerCase): {value: string; title: string | undefined; errors: Array<string>} {
  const report = convertTextReport(peer.input, {from: sourceOf(peer), to: peer.locale!, corrections: false})
  return {value: report.value, title: report.title, errors: report.messages.filter((message) => message.fatal).map(String)}
}

describe.skipIf(!root)('peer suites of the -{…}- syntax', () => {
  const included = cases.filter((peer) => !peer.excluded)

  it('prints the counts per suite, per syntax form and the exclusions', () => {
    const lines: Array<string> = []
    const count = (list: Array<PeerCase>) => {
      const pass = list.filter((peer) => !peer.excluded && passes(peer)).length
      const run = list.filter((peer) => !peer.excluded).length
      return `${pass}/${run} pass, ${list.length - run} excluded`
    }

    for (const suite of ['mediawiki', 'xowa', 'zhconv'] as const) lines.push(`${suite}: ${count(cases.filter((peer) => peer.suite === suite))}`)
    const forms = new Map<string, Array<PeerCase>>()
    for (const peer of cases) for (const form of syntaxForms(peer.input)) forms.set(form, [...(forms.get(form) ?? []), peer])
    for (const [form, list] of [...forms].sort()) lines.push(`  ${form}: ${count(list)}`)
    const reasons = new Map<string, number>()
    for (const peer of cases) if (peer.excluded) reasons.set(peer.excluded, (reasons.get(peer.excluded) ?? 0) + 1)
    const matching = new Map<string, number>()
    for (const peer of cases) if (peer.excluded && peer.locale && passes({...peer, excluded: undefined})) matching.set(peer.excluded, (matching.get(peer.excluded) ?? 0) + 1)
    for (const [reason, number] of [...reasons].sort((a, b) => b[1] - a[1])) {
      lines.push(`  excluded ×${number}${matching.get(reason) ? ` (${matching.get(reason)} give MediaWiki's text anyway)` : ''}: ${reason}`)
    }
    console.log(lines.join('\n'))
    expect(included.length).toBeGreaterThan(0)
  })

  for (const peer of included) {
    it(`${peer.suite}: ${peer.name} [${peer.variant}]`, async () => {
      const result = run(peer)
      expect(result.errors, peer.input).toEqual([])
      expect(normalize(result.value), peer.input).toBe(normalize(peer.expected))
      if (peer.title !== undefined) expect(result.title ?? null).toBe(peer.title)
      // The CLI gives the same text.
      const cli = await runCli(['convert', '--from', sourceOf(peer), '--to', peer.locale!, '--no-corrections', '--no-cache'], {stdin: peer.input})
      expect(cli.code, cli.stderr).toBe(0)
      expect(normalize(cli.stdout)).toBe(normalize(peer.expected))
    })
  }
})

function passes(peer: PeerCase): boolean {
  if (!peer.locale) return false
  try {
    const result = run(peer)
    return result.errors.length === 0 && normalize(result.value) === normalize(peer.expected) && (peer.title === undefined || (result.title ?? null) === peer.title)
  } catch {
    return false
  }
}
