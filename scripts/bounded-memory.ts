/**
 * Memories of recent texts, bounded by the total size of what they hold:
 * the one mechanism behind the engine's shared alignments and word indexes
 * (`convert/engine.ts`), Jieba's remembered sentences (`convert/segment.ts`)
 * and the plain-text path's converted and reviewed lines
 * (`convert/plain.ts`).
 *
 * A budget is a number of units (code units of text, as each user counts
 * them) that one or more memories share. Each entry costs its size (by
 * default its key's length); when a new entry would take the budget past
 * its limit, the oldest entries of every memory of the budget are forgotten,
 * oldest first, until it fits. An entry larger than the whole budget is
 * computed but never kept. What a memory returns is a function of its key
 * alone, so forgetting only costs time.
 *
 * A memory that seldom finds what it is asked for (fewer than one lookup
 * in {@link minimumHitRate} of the last {@link sampleLookups}: a book of
 * distinct lines, asked line by line) pauses for {@link pausedLookups}
 * lookups: it then computes each value without hashing, keeping and later
 * forgetting the key, and samples again. On the bench's 17 MB of distinct
 * lines that is about 7 % of a corrected `convert` (two line memories that
 * found 2,069 of 107,000 lines), while the memories that pay (a clause
 * memory with 358,000 hits) go on as before.
 */

/** Options of {@link BoundedBudget.memory}. */
export interface MemoryOptions<T> {
  /**
   * The size an entry counts against the budget (default: the key's
   * length in code units).
   */
  size?: (key: string, value: T) => number
}

/** A memory of values computed from texts. */
export interface BoundedMemory<T> {
  /**
   * The value remembered for a key, else `make()`, remembered.
   *
   * @param key The text the value is computed from.
   * @param make Computes the value (called only when the key is not held).
   * @returns The value.
   */
  recall: (key: string, make: () => T) => T
  /** The value remembered for a key, `undefined` when it holds none (or pauses: see above). */
  get: (key: string) => T | undefined
  /** Whether the memory holds a key now. */
  has: (key: string) => boolean
  /** Entries the memory holds now. */
  readonly entries: number
}

/** A size limit shared by memories. */
export interface BoundedBudget {
  /** The most units the memories of this budget hold together. */
  readonly limit: number
  /** Units the memories hold now (never more than {@link BoundedBudget.limit}). */
  readonly used: number
  /**
   * A new memory counted against this budget.
   *
   * @param options How an entry's size is counted.
   * @returns The memory.
   */
  memory: <T>(options?: MemoryOptions<T>) => BoundedMemory<T>
}

/** Lookups a memory counts before it judges whether remembering pays. */
export const sampleLookups = 4096

/** A memory pays while at least one lookup in this many finds its key. */
export const minimumHitRate = 32

/** Lookups a memory that did not pay computes without remembering, before it samples again. */
export const pausedLookups = 8 * sampleLookups

/**
 * A budget that memories share, forgetting their oldest entries first.
 *
 * @param limit Units (e.g. code units of text) all its memories hold together.
 * @returns The budget; make memories with its `memory` function.
 */
export function createBudget(limit: number): BoundedBudget {
  if (!(limit >= 0)) throw new Error('`limit` must be a number ≥ 0')
  // Entries in the order they were made, oldest at `head`: the memory that
  // holds each, its key and size.
  let owners: Array<Map<string, unknown>> = []
  let keys: Array<string> = []
  let sizes: Array<number> = []
  let head = 0
  let used = 0

  const evict = (needed: number) => {
    while (used + needed > limit && head < keys.length) {
      owners[head]!.delete(keys[head]!)
      used -= sizes[head]!
      head++
    }

    // Drop the forgotten part of the queue once it is most of it.
    if (head > 1024 && head * 2 > keys.length) {
      owners = owners.slice(head)
      keys = keys.slice(head)
      sizes = sizes.slice(head)
      head = 0
    }
  }

  const budget: BoundedBudget = {
    limit,
    get used() {
      return used
    },
    memory<T>(options: MemoryOptions<T> = {}): BoundedMemory<T> {
      const held = new Map<string, T>()
      const sizeOf = options.size ?? ((key: string) => key.length)
      // Lookups and hits of the current sample; lookups left in a pause.
      let lookups = 0
      let hits = 0
      let paused = 0
      // Whether to look the key up at all (false: paused).
      const looks = () => {
        if (paused > 0) {
          paused--
          return false
        }

        if (++lookups === sampleLookups) {
          if (hits * minimumHitRate < lookups) paused = pausedLookups
          lookups = 0
          hits = 0
        }

        return true
      }

      return {
        recall(key, make) {
          if (!looks()) return make()
          let value = held.get(key)
          if (value !== undefined || held.has(key)) {
            hits++
          } else {
            value = make()
            // Made meanwhile by a nested call of `make`: held already.
            if (held.has(key)) return held.get(key) as T
            const size = sizeOf(key, value)
            if (size > limit) return value
            evict(size)
            held.set(key, value)
            owners.push(held as Map<string, unknown>)
            keys.push(key)
            sizes.push(size)
            used += size
          }

          return value as T
        },
        get(key) {
          if (!looks()) return undefined
          const value = held.get(key)
          if (value !== undefined) hits++
          return value
        },
        has: (key) => held.has(key),
        get entries() {
          return held.size
        }
      }
    }
  }
  return budget
}

/**
 * A memory with a budget of its own.
 *
 * @param limit Units it holds at most.
 * @param options How an entry's size is counted.
 * @returns The memory.
 */
export function createMemory<T>(limit: number, options?: MemoryOptions<T>): BoundedMemory<T> {
  return createBudget(limit).memory(options)
}
