// The e2e tests pass functions to page.evaluate(), which run in the browser: they need the
// DOM types (the root tsconfig targets Node only).
/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
export {};
