/**
 * OpenCC's dictionaries in a compiled form: a flat trie over UTF-16 code
 * units in typed arrays, built once from opencc-js's dictionary groups and
 * kept on disk, so a process (or worker) reads it in a few milliseconds
 * instead of rebuilding opencc-js's `Map` tries (about 370 ms for
 * Simplified → Traditional).
 *
 * Matching code units instead of code points finds the same longest match:
 * dictionary keys are whole strings, so an astral character is the same two
 * units in a key and in the text.
 */
import fs from 'node:fs'
import {createRequire} from 'node:module'
import path from 'node:path'
import type {DictGroup, DictLike} from 'opencc-js'
import {versions} from '../versions.ts'

/** Bump when the layout below changes: old cache files are then ignored. */
const formatVersion = 1

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
  /** Index into `values` of the replacement a key ending here has, or -1. */
  value: Int32Array
  /** Replacements. */
  values: Array<string>
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
  const compileGroup = (group: DictGroup): FlatTrie => {
    const key = group.map((dictionary: DictLike) => (typeof dictionary === 'string' ? dictionary : '\u0000')).join('\u0001')
    let trie = known.get(key)
    if (!trie) {
      trie = compileDictionaryGroup(group)
      if (!group.some((dictionary: DictLike) => typeof dictionary !== 'string')) known.set(key, trie)
    }

    return trie
  }

  // opencc-js's CommonJS build carries the same preset; requiring it keeps
  // `getConverter` synchronous and is only paid when the cache misses.
  const require = createRequire(import.meta.url)
  const preset = (require('opencc-js') as {Locale: Preset}).Locale
  const config = preset.configs[configName(from, to)]

  if (config) {
    const pipeline: CompiledPipeline = {chain: config.conversionChain.map((group) => compileGroup(group))}
    const normalization = config.normalizationChain?.[0]
    if (normalization) pipeline.normalize = compileGroup(normalization)
    if (config.segmentation) {
      const segmentation = config.segmentation
      // A group of dictionaries or a single one, as opencc-js accepts both.
      pipeline.segmentation =
        Array.isArray(segmentation) && segmentation.every((item) => typeof item === 'string')
          ? compileGroup(segmentation as DictGroup)
          : compileGroup([segmentation as DictLike])
    }

    return pipeline
  }

  // No OpenCC config for this pair (t → twp, hk → twp, twp → hk…): chain the
  // "from" dictionaries to OpenCC standard and the "to" dictionaries from it,
  // as opencc-js's Converter does.
  const groups: Array<DictGroup> = []
  if (from !== 't') groups.push(...(preset.from[from] ?? []))
  if (to !== 't') groups.push(...(preset.to[to] ?? []))
  return {chain: groups.map((group) => compileGroup(group))}
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

type Stored = Omit<FlatTrie, 'root' | 'depth' | 'pool' | 'valueStart'>

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

  return {...trie, root, depth, pool, valueStart}
}

interface TrieHeader {
  nodes: number
  valueBytes: number
}

interface Header {
  format: number
  opencc: string
  pair: string
  normalize: TrieHeader | null
  segmentation: TrieHeader | null
  chain: Array<TrieHeader>
}

const separator = '\u0000'

/**
 * Serialize a pipeline: a length-prefixed JSON header, then per trie its
 * typed arrays (4-byte aligned) and its replacements as UTF-8.
 *
 * @param pipeline Compiled pipeline.
 * @param pair Config name (`s2twp`), checked when reading.
 * @returns The bytes.
 */
export function serializePipeline(pipeline: CompiledPipeline, pair: string): Uint8Array {
  const parts: Array<Uint8Array> = []
  const describe = (trie: FlatTrie): TrieHeader => {
    const text = Buffer.from(trie.values.join(separator), 'utf8')
    parts.push(
      bytesOf(trie.first),
      bytesOf(trie.count),
      bytesOf(trie.value),
      pad(bytesOf(trie.unit)),
      pad(text)
    )
    return {nodes: trie.unit.length, valueBytes: text.length}
  }

  const header: Header = {
    format: formatVersion,
    opencc: versions['opencc-js'],
    pair,
    normalize: pipeline.normalize ? describe(pipeline.normalize) : null,
    segmentation: pipeline.segmentation ? describe(pipeline.segmentation) : null,
    chain: pipeline.chain.map((trie) => describe(trie))
  }
  const json = pad(Buffer.from(JSON.stringify(header), 'utf8'))
  const length = new Uint8Array(4)
  new DataView(length.buffer).setUint32(0, json.length, true)
  return Buffer.concat([length, json, ...parts])
}

/**
 * Read a serialized pipeline.
 *
 * @param bytes What {@link serializePipeline} wrote.
 * @param pair Config name expected.
 * @returns The pipeline, or `undefined` when the bytes are of another
 *   format, opencc-js version or pair (a stale cache file).
 */
export function deserializePipeline(bytes: Uint8Array, pair: string): CompiledPipeline | undefined {
  // Typed array views need aligned offsets: copy when the buffer is not.
  const buffer = bytes.byteOffset % 4 === 0 ? bytes : new Uint8Array(bytes)
  const view = new DataView(buffer.buffer, buffer.byteOffset, buffer.byteLength)
  if (buffer.byteLength < 4) return undefined
  const length = view.getUint32(0, true)
  let header: Header
  try {
    header = JSON.parse(new TextDecoder().decode(buffer.subarray(4, 4 + length)).replace(/\u0000+$/, '')) as Header
  } catch {
    return undefined
  }

  if (header.format !== formatVersion || header.opencc !== versions['opencc-js'] || header.pair !== pair) return undefined
  let offset = buffer.byteOffset + 4 + length
  const take = <T>(make: (buffer: ArrayBufferLike, offset: number, length: number) => T, count: number, width: number): T => {
    const result = make(buffer.buffer, offset, count)
    offset += align4(count * width)
    return result
  }

  const read = (trie: TrieHeader): FlatTrie => {
    const first = take((b, o, n) => new Int32Array(b, o, n), trie.nodes, 4)
    const count = take((b, o, n) => new Int32Array(b, o, n), trie.nodes, 4)
    const value = take((b, o, n) => new Int32Array(b, o, n), trie.nodes, 4)
    const unit = take((b, o, n) => new Uint16Array(b, o, n), trie.nodes, 2)
    const text = take((b, o, n) => new Uint8Array(b, o, n), trie.valueBytes, 1)
    return withRoot({first, count, value, unit, values: new TextDecoder().decode(text).split(separator)})
  }

  const pipeline: CompiledPipeline = {chain: []}
  if (header.normalize) pipeline.normalize = read(header.normalize)
  if (header.segmentation) pipeline.segmentation = read(header.segmentation)
  pipeline.chain = header.chain.map((trie) => read(trie))
  return pipeline
}

/**
 * Load the compiled pipeline for a pair of OpenCC codes from a dictionary
 * store, compiling and storing it when it is missing or stale; without a
 * store, compile it in memory and write nothing. A store that cannot be
 * read or written only costs time; it is safe to delete at any time.
 *
 * @param from OpenCC code of the input.
 * @param to OpenCC code of the output.
 * @param folder Dictionary store folder, if any.
 * @param known Dictionary groups compiled already in this process (filled in).
 * @returns The pipeline.
 */
export function loadPipeline(from: string, to: string, folder?: string, known?: Map<string, FlatTrie>): CompiledPipeline {
  const pair = configName(from, to)
  if (folder === undefined) return compilePipeline(from, to, known)
  const file = path.join(folder, `${pair}-opencc-${versions['opencc-js']}-v${formatVersion}.bin`)
  try {
    const cached = deserializePipeline(fs.readFileSync(file), pair)
    if (cached) return cached
  } catch {}

  const pipeline = compilePipeline(from, to, known)
  try {
    fs.mkdirSync(folder, {recursive: true})
    // Write aside, then rename: parallel workers may compile the same pair.
    const temporary = `${file}.${process.pid}-${Math.random().toString(36).slice(2)}.tmp`
    fs.writeFileSync(temporary, serializePipeline(pipeline, pair))
    fs.renameSync(temporary, file)
  } catch {}

  return pipeline
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
