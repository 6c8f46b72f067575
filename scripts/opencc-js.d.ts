// opencc-js ships its dictionaries as `dict/<name>.js` modules without types.
declare module 'opencc-js/dict/*' {
  const dictionary: string
  export default dictionary
}
