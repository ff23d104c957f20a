import { encodeNamespace, type Namespace, tenantOfNamespace } from "../namespace/namespace.js";
import type { Backend } from "./backend.js";

/** The encoded tenant of a namespace as the backend isolates it (`Backend.tenantOf`). */
export function tenantIn(backend: Pick<Backend, "tenantOf">, namespace: Namespace): string {
  return backend.tenantOf
    ? backend.tenantOf(encodeNamespace(namespace))
    : tenantOfNamespace(namespace);
}
