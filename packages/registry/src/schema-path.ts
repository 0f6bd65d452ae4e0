// Paths name a place in a payload the way a reader writes it: `customer.address.city`,
// `items[].sku` (every element of an array), `pair[0]` (a tuple element), `tags.*` (any other
// key of an object), `["odd key"]` (a key that is not an identifier). The payload itself is ''.

const IDENTIFIER = /^[A-Za-z_$][\w$-]*$/;

/** The path of property `key` in the object at `path`. @internal */
export function propertyPath(path: string, key: string): string {
  if (!IDENTIFIER.test(key)) return `${path}[${JSON.stringify(key)}]`;
  return path === '' ? key : `${path}.${key}`;
}

/** The path of every element of the array at `path`. @internal */
export function itemsPath(path: string): string {
  return `${path}[]`;
}

/** The path of tuple element `index` of the array at `path`. @internal */
export function indexPath(path: string, index: number): string {
  return `${path}[${index}]`;
}

/** The path of any key of the object at `path` that its schema does not name. @internal */
export function extraPath(path: string): string {
  return path === '' ? '*' : `${path}.*`;
}

/** How a message names the place at `path`. @internal */
export function quotePath(path: string): string {
  return path === '' ? 'the payload' : `"${path}"`;
}
