/**
 * OpenCC's dictionaries in a compiled form: a flat trie over UTF-16 code
 * units in typed arrays, built once from opencc-js's dictionary groups and
 * kept on disk (one file per group, shared by the pairs that use it), so a
 * process (or worker) reads it in a few milliseconds instead of rebuilding
 * opencc-js's `Map` tries (about 370 ms for Simplified → Traditional). The
 * package ships them compiled (`lib/dictionaries/`, made by
 * `npm run compile`); a dictionary store (the cache) is the fallback.
 *
 * Matching code units instead of code points finds the same longest match:
 * dictionary keys are whole strings, so an astral character is the same two
 * units in a key and in the text.
 */
import {createHash} from 'node:crypto'
import fs from 'node:fs'
import {createRequire} from 'node:module'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import type {DictGroup, DictLike} from 'opencc-js'
import {versions} from '../versions.ts'

/** Bump when the layout below changes: old cache files are then ignored. */
const formatVersion = 2

/**
 * One dictionary group as a trie. Nodes are numbered breadth first, so the
 * children of node `n` are the nodes `first[n] … first[n] + count[n] - 1`,
 * sorted by their code unit `unit[child]`. Node 0 is the root.
 */
export interface FlatTrie {
  /** Code unit on the edge into each node. */
  unit: Uint16Array
  /** First child of each node. */
  first: Int32Array
  /** Number of children of each node. */
  count: Int32Array
  /** Index of the replacement a key ending here has (see `valueStart`), or -1. */
  value: Int32Array
  /** Child of the root for each code unit (0: none): the hot first step. */
  root: Int32Array
  /** Length in code units of the key ending at each node. */
  depth: Int32Array
  /** All replacements' code units, one after another. */
  pool: Uint16Array
  /** Where replacement `i` starts in `pool`; it ends where `i + 1` starts. */
  valueStart: Int32Array
}

/** The dictionaries of one OpenCC conversion, in the order they run. */
export interface CompiledPipeline {
  /** Runs over the whole text first (CJK compatibility ideographs). */
  normalize?: FlatTrie
  /** Splits the text into segments that the chain converts one by one. */
  segmentation?: FlatTrie
  /** Each trie converts the output of the one before. */
  chain: Array<FlatTrie>
}

interface FullConfig {
  normalizationChain?: ReadonlyArray<DictGroup>
  segmentation?: DictLike | DictGroup
  conversionChain: ReadonlyArray<DictGroup>
}

interface Preset {
  configs: Record<string, FullConfig | undefined>
  from: Record<string, ReadonlyArray<DictGroup> | undefined>
  to: Record<string, ReadonlyArray<DictGroup> | undefined>
}

/** Name of the OpenCC config for a pair of OpenCC codes, as opencc-js names them. */
export function configName(from: string, to: string): string {
  if (from === 'cn') return 's2' + to
  if (to === 'cn') {
    if (from === 'hkp') return 'hk2sp'
    return from === 'twp' ? 'tw2sp' : from + '2s'
  }

  return from + '2' + to
}

/**
 * Compile the dictionaries opencc-js's `Converter` uses for a pair of
 * OpenCC codes.
 *
 * @param from OpenCC code of the input (`cn`, `t`, `twp`, `hk`).
 * @param to OpenCC code of the output.
 * @param known Groups compiled already, by their dictionaries (filled in).
 * @returns The compiled pipeline.
 */
export function compilePipeline(from: string, to: string, known: Map<string, FlatTrie> = new Map()): CompiledPipeline {
  // The pairs of one source share groups (STPhrases + STCharacters for s2t,
  // s2twp and s2hk): each distinct group is compiled once per `known`.
  return pipelineOf(from, to, (group) => {
    const key = groupKey(group)
    let trie = known.get(key)
    if (!trie) {
      trie = compileDictionaryGroup(group)
      if (!group.some((dictionary: DictLike) => typeof dictionary !== 'string')) known.set(key, trie)
    }

    return trie
  })
}

/** The pipeline of a pair of OpenCC codes, each dictionary group given by `trieOf`. */
function pipelineOf(from: string, to: string, trieOf: (group: DictGroup) => FlatTrie): CompiledPipeline {
  // opencc-js's CommonJS build carries the same preset; requiring it keeps
  // `getConverter` synchronous.
  const require = createRequire(import.meta.url)
  const preset = (require('opencc-js') as {Locale: Preset}).Locale
  const config = preset.configs[configName(from, to)]

  if (config) {
    const pipeline: CompiledPipeline = {chain: config.conversionChain.map((group) => trieOf(group))}
    const normalization = config.normalizationChain?.[0]
    if (normalization) pipeline.normalize = trieOf(normalization)
    if (config.segmentation) {
      const segmentation = config.segmentation
      // A group of dictionaries or a single one, as opencc-js accepts both.
      pipeline.segmentation =
        Array.isArray(segmentation) && segmentation.every((item) => typeof item === 'string')
          ? trieOf(segmentation as DictGroup)
          : trieOf([segmentation as DictLike])
    }

    return pipeline
  }

  // No OpenCC config for this pair (t → twp, hk → twp, twp → hk…): chain the
  // "from" dictionaries to OpenCC standard and the "to" dictionaries from it,
  // as opencc-js's Converter does.
  const groups: Array<DictGroup> = []
  if (from !== 't') groups.push(...(preset.from[from] ?? []))
  if (to !== 't') groups.push(...(preset.to[to] ?? []))
  return {chain: groups.map((group) => trieOf(group))}
}

/**
 * Compile one dictionary group. Like opencc-js's `Trie.loadDictGroup`, the
 * first dictionary of the group wins, and within a dictionary the last entry.
 */
export function compileDictionaryGroup(group: DictGroup): FlatTrie {
  const entries = new Map<string, string>()
  for (const dictionary of [...group].reverse()) {
    if (typeof dictionary === 'string') {
      for (const line of dictionary.split('|')) {
        const [key, value] = line.split(' ')
        if (key !== undefined && value !== undefined) entries.set(key, value)
      }
    } else {
      for (const [key, value] of dictionary) entries.set(key, value)
    }
  }

  // Sorted by code units, the keys give the trie breadth first, level by
  // level: at each length, the distinct prefixes in key order are the nodes
  // of that depth, the children of one node consecutive and in order.
  const keys = [...entries.keys()].sort()
  const values: Array<string> = []
  const units: Array<number> = [0]
  const firsts: Array<number> = [0]
  const counts: Array<number> = [0]
  const nodeValues: Array<number> = [-1]
  // Keys still long enough for the current depth, and the node each has reached.
  let active = keys.map((_, index) => index)
  let reached = new Int32Array(keys.length)
  for (let depth = 1; active.length > 0; depth++) {
    const nextActive: Array<number> = []
    const nextReached = new Int32Array(keys.length)
    let previousParent = -1
    let previousUnit = -1
    let node = 0
    for (const index of active) {
      const key = keys[index]!
      const parent = reached[index]!
      const unit = key.charCodeAt(depth - 1)
      if (parent !== previousParent || unit !== previousUnit) {
        node = units.length
        units.push(unit)
        firsts.push(0)
        counts.push(0)
        nodeValues.push(-1)
        if (counts[parent] === 0) firsts[parent] = node
        counts[parent]!++
        previousParent = parent
        previousUnit = unit
      }

      if (key.length === depth) {
        nodeValues[node] = values.length
        values.push(entries.get(key)!)
      } else {
        nextActive.push(index)
        nextReached[index] = node
      }
    }

    active = nextActive
    reached = nextReached
  }

  const size = units.length
  const trie: Stored = {
    unit: Uint16Array.from(units),
    first: Int32Array.from(firsts),
    count: Int32Array.from(counts),
    value: Int32Array.from(nodeValues),
    values
  }
  // A leaf's `first` points past its parent's last child, as the old layout had it.
  let next = 1
  for (let index = 0; index < size; index++) {
    if (trie.count[index] === 0) trie.first[index] = next
    next += trie.count[index]!
  }

  return withRoot(trie)
}

type Stored = Omit<FlatTrie, 'root' | 'depth' | 'pool' | 'valueStart'> & {values: Array<string>}

/** Add the lookup tables derived from the stored arrays. */
function withRoot(trie: Stored): FlatTrie {
  const root = new Int32Array(0x10000)
  const depth = new Int32Array(trie.unit.length)
  for (let node = 0; node < trie.unit.length; node++) {
    const first = trie.first[node]!
    const last = first + trie.count[node]!
    for (let child = first; child < last; child++) {
      depth[child] = depth[node]! + 1
      if (node === 0) root[trie.unit[child]!] = child
    }
  }

  const valueStart = new Int32Array(trie.values.length + 1)
  for (let index = 0; index < trie.values.length; index++) valueStart[index + 1] = valueStart[index]! + trie.values[index]!.length
  const pool = new Uint16Array(valueStart[trie.values.length]!)
  for (let index = 0; index < trie.values.length; index++) {
    const value = trie.values[index]!
    const start = valueStart[index]!
    for (let offset = 0; offset < value.length; offset++) pool[start + offset] = value.charCodeAt(offset)
  }

  const {unit, first, count, value} = trie
  return {unit, first, count, value, root, depth, pool, valueStart}
}

/**
 * The replacements of a trie, in order (what `value` indexes), read from its pool.
 *
 * @param trie A compiled trie.
 * @returns Each replacement as a string.
 */
export function replacements(trie: FlatTrie): Array<string> {
  const result: Array<string> = []
  for (let index = 0; index + 1 < trie.valueStart.length; index++) result.push(replacement(trie, index))
  return result
}

/**
 * One replacement of a trie, read from its pool.
 *
 * @param trie A compiled trie.
 * @param index Its index (a node's `value`).
 * @returns The replacement.
 */
export function replacement(trie: FlatTrie, index: number): string {
  const units = trie.pool.subarray(trie.valueStart[index]!, trie.valueStart[index + 1]!)
  return units.length === 1 ? String.fromCharCode(units[0]!) : String.fromCharCode(...units)
}

interface TrieHeader {
  format: number
  opencc: string
  /** {@link groupName} of the dictionaries the trie was compiled from. */
  group: string
  nodes: number
  values: number
  poolLength: number
  valueBytes: number
}

const separator = '\u0000'

/** Identity of a group of dictionaries (their text). */
function groupKey(group: DictGroup): string {
  return group.map((dictionary: DictLike) => (typeof dictionary === 'string' ? dictionary : '\u0000')).join('\u0001')
}

/**
 * A file-safe name for a group of dictionaries: a hash of their text, so
 * the pairs that share a group (STPhrases + STCharacters for s2t, s2twp
 * and s2hk) share one file.
 *
 * @param group The dictionaries, as opencc-js's preset lists them.
 * @returns 16 hexadecimal digits.
 */
export function groupName(group: DictGroup): string {
  return createHash('sha256').update(groupKey(group)).digest('hex').slice(0, 16)
}

/**
 * Serialize one compiled trie: a length-prefixed JSON header, then its
 * typed arrays (4-byte aligned; every lookup table but the root's
 * included, so reading computes almost nothing) and its replacements as UTF-8.
 *
 * @param trie Compiled trie.
 * @param group {@link groupName} of its dictionaries, checked when reading.
 * @returns The bytes.
 */
export function serializeTrie(trie: FlatTrie, group: string): Uint8Array {
  const text = Buffer.from(replacements(trie).join(separator), 'utf8')
  const header: TrieHeader = {
    format: formatVersion,
    opencc: versions['opencc-js'],
    group,
    nodes: trie.unit.length,
    values: trie.valueStart.length - 1,
    poolLength: trie.pool.length,
    valueBytes: text.length
  }
  const json = pad(Buffer.from(JSON.stringify(header), 'utf8'))
  const length = new Uint8Array(4)
  new DataView(length.buffer).setUint32(0, json.length, true)
  const parts = [trie.first, trie.count, trie.value, trie.depth, trie.valueStart, trie.unit, trie.pool].map((array) => pad(bytesOf(array)))
  return Buffer.concat([length, json, ...parts, text])
}

/**
 * Read a serialized trie (typed arrays are views of the bytes, not copies).
 *
 * @param bytes What {@link serializeTrie} wrote.
 * @param group {@link groupName} expected.
 * @returns The trie, or `undefined` when the bytes are of another format,
 *   opencc-js version or group (a stale file).
 */
export function deserializeTrie(bytes: Uint8Array, group: string): FlatTrie | undefined {
  // Typed array views need aligned offsets: copy when the buffer is not.
  const buffer = bytes.byteOffset % 4 === 0 ? bytes : new Uint8Array(bytes)
  if (buffer.byteLength < 4) return undefined
  const view = new DataView(buffer.buffer, buffer.byteOffset, buffer.byteLength)
  const length = view.getUint32(0, true)
  if (4 + length > buffer.byteLength) return undefined
  let header: TrieHeader
  try {
    header = JSON.parse(new TextDecoder().decode(buffer.subarray(4, 4 + length)).replace(/\u0000+$/, '')) as TrieHeader
  } catch {
    return undefined
  }

  if (header.format !== formatVersion || header.opencc !== versions['opencc-js'] || header.group !== group) return undefined
  let offset = buffer.byteOffset + 4 + length
  const expected =
    4 + length + header.nodes * 16 + (header.values + 1) * 4 + align4(header.nodes * 2) + align4(header.poolLength * 2) + header.valueBytes
  if (expected !== buffer.byteLength) return undefined
  const int32 = (count: number) => {
    const result = new Int32Array(buffer.buffer, offset, count)
    offset += align4(count * 4)
    return result
  }

  const uint16 = (count: number) => {
    const result = new Uint16Array(buffer.buffer, offset, count)
    offset += align4(count * 2)
    return result
  }

  const first = int32(header.nodes)
  const count = int32(header.nodes)
  const value = int32(header.nodes)
  const depth = int32(header.nodes)
  const valueStart = int32(header.values + 1)
  const unit = uint16(header.nodes)
  const pool = uint16(header.poolLength)
  // The replacements' text is in the file for its readers' sake; the pool
  // holds the same code units (decoding tens of thousands of strings was
  // most of a large group's reading time).
  const text = new Uint8Array(buffer.buffer, offset, header.valueBytes)
  let separators = 0
  for (let index = 0; index < text.length; index++) if (text[index] === 0) separators++
  if (header.values === 0 ? text.length !== 0 : separators !== header.values - 1) return undefined
  // The root's table: its children are the nodes 1 … count[0].
  const root = new Int32Array(0x10000)
  if (header.nodes > 0) for (let child = first[0]!, last = child + count[0]!; child < last; child++) root[unit[child]!] = child
  return {first, count, value, depth, root, valueStart, unit, pool}
}

/**
 * The folder of dictionaries compiled with the package (`lib/dictionaries/`,
 * made by `npm run compile`); absent when running from the TypeScript
 * sources.
 */
const packagedFolder = fileURLToPath(new URL('../dictionaries/', import.meta.url))

/** File name of a compiled group. */
function trieFile(name: string): string {
  return `${name}-opencc-${versions['opencc-js']}-v${formatVersion}.bin`
}

/** Which compiled groups make each pair's pipeline (`pairs.json` beside the packaged files). */
interface Manifest {
  format: number
  opencc: string
  pairs: Record<string, {normalize: string | null; segmentation: string | null; chain: Array<string>}>
}

/** Name of the manifest of the packaged dictionaries. */
const manifestFile = `pairs-opencc-${versions['opencc-js']}-v${formatVersion}.json`

/**
 * Load the compiled pipeline for a pair of OpenCC codes, one dictionary
 * group at a time: from `known` (read or compiled already in this process),
 * else from the dictionaries compiled with the package (`lib/dictionaries/`,
 * whose manifest names each pair's groups: opencc-js itself is then not
 * loaded), else from the dictionary store, else compiled (and kept in the
 * store, when there is one). Without a store, nothing is written. A store
 * that cannot be read or written only costs time; it is safe to delete at
 * any time.
 *
 * @param from OpenCC code of the input.
 * @param to OpenCC code of the output.
 * @param folder Dictionary store folder, if any.
 * @param known Dictionary groups read or compiled already in this process, by name (filled in).
 * @param packaged The packaged dictionaries (default: `lib/dictionaries/`).
 * @returns The pipeline.
 */
export function loadPipeline(from: string, to: string, folder?: string, known: Map<string, FlatTrie> = new Map(), packaged = packagedFolder): CompiledPipeline {
  const fromPackage = packagedPipeline(packaged, configName(from, to), known)
  if (fromPackage) return fromPackage
  return pipelineOf(from, to, (group) => {
    const name = groupName(group)
    let trie = known.get(name)
    if (trie) return trie
    const file = trieFile(name)
    for (const place of folder === undefined ? [packaged] : [packaged, folder]) {
      try {
        trie = deserializeTrie(fs.readFileSync(path.join(place, file)), name)
      } catch {}

      if (trie) break
    }

    if (!trie) {
      trie = compileDictionaryGroup(group)
      if (folder !== undefined) writeTrie(folder, file, serializeTrie(trie, name))
    }

    if (!group.some((dictionary: DictLike) => typeof dictionary !== 'string')) known.set(name, trie)
    return trie
  })
}

/** A pair's pipeline from the packaged dictionaries, or `undefined` when any part is missing. */
function packagedPipeline(folder: string, pair: string, known: Map<string, FlatTrie>): CompiledPipeline | undefined {
  let manifest: Manifest
  try {
    manifest = JSON.parse(fs.readFileSync(path.join(folder, manifestFile), 'utf8')) as Manifest
  } catch {
    return undefined
  }

  const names = manifest.format === formatVersion && manifest.opencc === versions['opencc-js'] ? manifest.pairs[pair] : undefined
  if (!names) return undefined
  const read = (name: string): FlatTrie | undefined => {
    let trie = known.get(name)
    if (trie) return trie
    try {
      trie = deserializeTrie(fs.readFileSync(path.join(folder, trieFile(name))), name)
    } catch {}

    if (trie) known.set(name, trie)
    return trie
  }

  const chain: Array<FlatTrie> = []
  for (const name of names.chain) {
    const trie = read(name)
    if (!trie) return undefined
    chain.push(trie)
  }

  const pipeline: CompiledPipeline = {chain}
  for (const stage of ['normalize', 'segmentation'] as const) {
    const name = names[stage]
    if (name === null) continue
    const trie = read(name)
    if (!trie) return undefined
    pipeline[stage] = trie
  }

  return pipeline
}

/**
 * Compile every dictionary group zhpress's locale pairs use into a folder,
 * with the manifest of which groups make each pair (what `npm run compile`
 * ships in `lib/dictionaries/`).
 *
 * @param folder Where to write the files.
 * @returns The names of the files written.
 */
export function precompileDictionaries(folder: string): Array<string> {
  const codes = ['cn', 't', 'twp', 'hk']
  const written = new Map<string, FlatTrie>()
  const names = new Map<FlatTrie, string>()
  const files: Array<string> = []
  const manifest: Manifest = {format: formatVersion, opencc: versions['opencc-js'], pairs: {}}
  // And Taiwan's character variants without its phrases, to and from Simplified (the lint's round trip).
  const pairs = [...codes.flatMap((from) => codes.filter((to) => to !== from).map((to) => [from, to] as const)), ['tw', 'cn'] as const, ['cn', 'tw'] as const]
  for (const [from, to] of pairs) {
    const pipeline = pipelineOf(from, to, (group) => {
      const key = groupKey(group)
      let trie = written.get(key)
      if (!trie) {
        trie = compileDictionaryGroup(group)
        const name = groupName(group)
        writeTrie(folder, trieFile(name), serializeTrie(trie, name))
        files.push(trieFile(name))
        written.set(key, trie)
        names.set(trie, name)
      }

      return trie
    })
    manifest.pairs[configName(from, to)] = {
      normalize: pipeline.normalize ? names.get(pipeline.normalize)! : null,
      segmentation: pipeline.segmentation ? names.get(pipeline.segmentation)! : null,
      chain: pipeline.chain.map((trie) => names.get(trie)!)
    }
  }

  writeTrie(folder, manifestFile, Buffer.from(JSON.stringify(manifest)))
  files.push(manifestFile)
  return files
}

/** Write a file aside, then rename: parallel workers may compile the same group. */
function writeTrie(folder: string, file: string, bytes: Uint8Array): void {
  try {
    fs.mkdirSync(folder, {recursive: true})
    const temporary = path.join(folder, `${file}.${process.pid}-${Math.random().toString(36).slice(2)}.tmp`)
    fs.writeFileSync(temporary, bytes)
    fs.renameSync(temporary, path.join(folder, file))
  } catch {}
}

function bytesOf(array: Int32Array | Uint16Array): Uint8Array {
  return new Uint8Array(array.buffer, array.byteOffset, array.byteLength)
}

function align4(value: number): number {
  return (value + 3) & ~3
}

function pad(bytes: Uint8Array): Uint8Array {
  const size = align4(bytes.length)
  if (size === bytes.length) return bytes
  const result = new Uint8Array(size)
  result.set(bytes)
  return result
}
