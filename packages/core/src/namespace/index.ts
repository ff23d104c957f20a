export {
  decodeNamespace,
  encodedAncestors,
  encodeNamespace,
  type Identity,
  isWithin,
  MAX_NAMESPACE_DEPTH,
  MAX_SEGMENT_LENGTH,
  type Namespace,
  namespaceFor,
  validateNamespace,
} from "./namespace.js";
export {
  type CompiledNamespaceTemplate,
  createNamespaceTemplate,
  type NamespaceTemplate,
  type TemplateSource,
} from "./namespace-template.js";
export {
  encodedIsWithin,
  type ResolvedScope,
  resolveScope,
  type Scope,
  scopeIncludes,
} from "./scope.js";
