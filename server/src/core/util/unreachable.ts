/**
 * Ends an exhaustive `switch`: the compiler rejects the call while a case is
 * unhandled, so a new node type is listed everywhere it must be handled.
 */
export function unreachable(x: never): never {
  throw new Error(`unhandled case: ${JSON.stringify(x)}`);
}
