import fc from 'fast-check'
import {describe, expect, it} from 'vitest'
import {createBudget, createMemory, minimumHitRate, pausedLookups, sampleLookups} from '../scripts/bounded-memory.ts'

describe('bounded memory', () => {
  it('computes once while it holds a key', () => {
    const memory = createMemory<string>(100)
    let calls = 0
    const make = () => {
      calls++
      return '漢字'
    }

    expect(memory.recall('汉字', make)).toBe('漢字')
    expect(memory.recall('汉字', make)).toBe('漢字')
    expect(calls).toBe(1)
    expect(memory.has('汉字')).toBe(true)
  })

  it('forgets the oldest entries first, across the memories of one budget', () => {
    const budget = createBudget(6)
    const a = budget.memory<number>()
    const b = budget.memory<number>()
    a.recall('一二', () => 1)
    b.recall('三四', () => 2)
    a.recall('五六', () => 3)
    expect(budget.used).toBe(6)
    // Two more units: the oldest entry (a's 一二) goes, nothing else.
    b.recall('七八', () => 4)
    expect([a.has('一二'), b.has('三四'), a.has('五六'), b.has('七八')]).toEqual([false, true, true, true])
    expect(budget.used).toBe(6)
    // Four units: 三四 and 五六 go.
    a.recall('九十百千', () => 5)
    expect([b.has('三四'), a.has('五六'), b.has('七八'), a.has('九十百千')]).toEqual([false, false, true, true])
    expect(budget.used).toBe(6)
  })

  it('keeps nothing larger than the budget', () => {
    const memory = createMemory<number>(3)
    memory.recall('一', () => 1)
    expect(memory.recall('一二三四', () => 2)).toBe(2)
    expect(memory.has('一二三四')).toBe(false)
    // What it held stays.
    expect(memory.has('一')).toBe(true)
  })

  it('counts sizes as asked', () => {
    const budget = createBudget(10)
    const memory = budget.memory<string>({size: (key, value) => key.length + value.length})
    memory.recall('汉字', () => '漢字')
    expect(budget.used).toBe(4)
  })

  it('holds a key made by a nested call once', () => {
    const budget = createBudget(10)
    const memory = budget.memory<number>()
    const value = memory.recall('外', () => memory.recall('外', () => 1) + 1)
    expect(value).toBe(1)
    expect(budget.used).toBe(1)
  })

  it('never holds more than its budget, and holds exactly the newest entries that fit (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({min: 0, max: 40}),
        fc.array(fc.tuple(fc.integer({min: 0, max: 2}), fc.string({minLength: 0, maxLength: 12})), {maxLength: 200}),
        (limit, operations) => {
          const budget = createBudget(limit)
          const memories = [budget.memory<string>(), budget.memory<string>(), budget.memory<string>()]
          // Model: the entries held, oldest first.
          let model: Array<{memory: number; key: string}> = []
          for (const [memory, key] of operations) {
            const held = model.some((entry) => entry.memory === memory && entry.key === key)
            let made = false
            const value = memories[memory]!.recall(key, () => {
              made = true
              return key + '!'
            })
            expect(value).toBe(key + '!')
            expect(made).toBe(!held)
            if (!held && key.length <= limit) {
              let used = model.reduce((sum, entry) => sum + entry.key.length, 0)
              while (used + key.length > limit) {
                used -= model[0]!.key.length
                model = model.slice(1)
              }

              model.push({memory, key})
            }

            expect(budget.used).toBeLessThanOrEqual(limit)
            expect(budget.used).toBe(model.reduce((sum, entry) => sum + entry.key.length, 0))
            expect(memories.reduce((sum, each) => sum + each.entries, 0)).toBe(model.length)
            for (const entry of model) expect(memories[entry.memory]!.has(entry.key)).toBe(true)
          }
        }
      )
    )
  })

  it('pauses while it seldom finds a key (distinct lines): values stay right, nothing new is kept, then it samples again', () => {
    const memory = createMemory<string>(1e9)
    let calls = 0
    const convert = (line: string) => () => {
      calls++
      return `轉換：${line}`
    }

    // A sample of lines never seen twice.
    for (let index = 0; index < sampleLookups; index++) expect(memory.recall(`第${index}行`, convert(`第${index}行`))).toBe(`轉換：第${index}行`)
    expect(memory.entries).toBe(sampleLookups)
    // Paused: a held line is made again (right all the same), a new one is not kept, and nothing is found.
    calls = 0
    expect(memory.recall('第0行', convert('第0行'))).toBe('轉換：第0行')
    expect(memory.recall('新的一行', convert('新的一行'))).toBe('轉換：新的一行')
    expect(memory.get('第1行')).toBeUndefined()
    expect(calls).toBe(2)
    expect(memory.entries).toBe(sampleLookups)
    expect(memory.has('第1行')).toBe(true)
    // After the pause it looks again.
    for (let index = 3; index < pausedLookups; index++) memory.recall('新的一行', convert('新的一行'))
    calls = 0
    expect(memory.recall('第2行', convert('第2行'))).toBe('轉換：第2行')
    expect(memory.get('第3行')).toBe('轉換：第3行')
    expect(calls).toBe(0)
  })

  it(`never pauses while one lookup in ${minimumHitRate} or more finds its key (a book’s refrains)`, () => {
    const memory = createMemory<string>(1e9)
    let calls = 0
    const make = () => {
      calls++
      return '值'
    }

    for (let index = 0; index < 4 * sampleLookups; index++) {
      // One refrain in every 16 lines, the rest distinct.
      memory.recall(index % 16 === 0 ? '副歌' : `第${index}行`, make)
    }

    expect(calls).toBe(4 * sampleLookups - (4 * sampleLookups) / 16 + 1)
    expect(memory.get('副歌')).toBe('值')
  })

  it('refuses a budget that is not a number', () => {
    expect(() => createBudget(Number.NaN)).toThrow(/`limit`/)
  })
})
