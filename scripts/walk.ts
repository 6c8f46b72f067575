/**
 * A pre-order walk of a unist tree, the walk `unist-util-visit` makes (a
 * node, then its children in order, `children` read live; a visitor that
 * returns `'skip'` leaves the node's children out), without its cost: it
 * makes a closure per node and names each one (`Object.defineProperty`),
 * about a fifth of the HTML stage when every pass of every page walks with it.
 */

/** What a walk needs of a node. */
interface Walkable {
  type: string
  children?: ReadonlyArray<Walkable>
}

/** Return it from a visitor to leave the node's children out. */
export const skip = 'skip'

/**
 * Visit `node` and every node below it, pre-order.
 *
 * @param node The root of the walk.
 * @param visitor Called with each node, its index in its parent and its parent (none for the root).
 */
export function walk<T extends Walkable>(node: T, visitor: (node: T, index: number | undefined, parent: T | undefined) => typeof skip | undefined | void): void {
  const go = (current: T, index: number | undefined, parent: T | undefined): void => {
    if (visitor(current, index, parent) === skip) return
    if (!current.children) return
    for (let position = 0; position < current.children.length; position++) go(current.children[position] as T, position, current)
  }

  go(node, undefined, undefined)
}

/**
 * Whether any node of the tree passes a test (the walk stops at the first).
 *
 * @param node The root.
 * @param test The test.
 */
export function some<T extends Walkable>(node: T, test: (node: T) => boolean): boolean {
  if (test(node)) return true
  if (!node.children) return false
  for (const child of node.children) if (some(child as T, test)) return true
  return false
}
