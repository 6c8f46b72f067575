// opencc-js ships its dictionaries as `dict/<name>.js` modules without types.
declare module 'opencc-js/dict/*' {
  const dictionary: string
  export default dictionary
}

// luaparse ships no types; zhpress uses its `parse` to read CGroup modules.
declare module 'luaparse' {
  const luaparse: {parse: (code: string, options?: Record<string, unknown>) => unknown}
  export default luaparse
}
