/**
 * The part of picomatch (a dependency of the build tools, without bundled types) that the package
 * contents test uses to read electron-builder's glob lists.
 */
declare module 'picomatch' {
  function picomatch(glob: string, options?: { dot?: boolean }): (path: string) => boolean;
  export default picomatch;
}
