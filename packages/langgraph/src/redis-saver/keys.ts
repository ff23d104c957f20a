import { encodeNamespace, type Namespace } from "@engram/core";

/**
 * Builds every key the saver uses. Thread keys carry the hash tag `{<thread>}`, so all keys of
 * one thread live on one cluster slot and a MULTI or script over them never fails with
 * CROSSSLOT. Registry keys (threads, namespaces) share the tag `{<prefix>}`.
 *
 * Thread ids and checkpoint namespaces are percent-encoded, so they never contain `{`, `}` or
 * `:` and cannot collide with the key structure.
 */
export function saverKeys(prefix: string) {
  const registry = `{${prefix}}`;
  return {
    /** ZSET of every thread id, for `list` without a thread. */
    threads: `${registry}:threads`,
    /** ZSET of every encoded Engram namespace that owns threads, for subtree ranges. */
    namespaces: `${registry}:namespaces`,
    /** SET of the thread ids an Engram namespace owns. */
    namespaceThreads: (namespace: string) => `${registry}:namespace:${namespace}`,
    thread(threadId: string) {
      const base = `${prefix}:thread:{${encodeURIComponent(threadId)}}`;
      const inNamespace = (checkpointNs: string) =>
        `${base}:ns:${encodeURIComponent(checkpointNs)}`;
      return {
        /** SET of the checkpoint namespaces the thread has. */
        checkpointNamespaces: `${base}:checkpoint-namespaces`,
        /** SET of the encoded Engram namespaces that own the thread. */
        owners: `${base}:owners`,
        /** ZSET of checkpoint ids (all scores 0, so ordered by id, i.e. by time). */
        index: (checkpointNs: string) => `${inNamespace(checkpointNs)}:index`,
        /** HASH of channel values: `<channel>:<version>` → framed (type, bytes). */
        blobs: (checkpointNs: string) => `${inNamespace(checkpointNs)}:blobs`,
        checkpointPrefix: (checkpointNs: string) => `${inNamespace(checkpointNs)}:checkpoint:`,
        writesPrefix: (checkpointNs: string) => `${inNamespace(checkpointNs)}:writes:`,
        checkpoint: (checkpointNs: string, id: string) =>
          `${inNamespace(checkpointNs)}:checkpoint:${id}`,
        writes: (checkpointNs: string, id: string) => `${inNamespace(checkpointNs)}:writes:${id}`,
      };
    },
  };
}

export type SaverKeys = ReturnType<typeof saverKeys>;
export type ThreadKeys = ReturnType<SaverKeys["thread"]>;

/** The blob field of one channel version; both parts are encoded so `:` and `,` stay free. */
export function blobField(channel: string, version: string | number): string {
  return `${encodeURIComponent(channel)}:${encodeURIComponent(String(version))}`;
}

/** The channel name inside a blob field. */
export function channelOfBlobField(field: string): string {
  return decodeURIComponent(field.slice(0, field.indexOf(":")));
}

/** The lexicographic range of a namespace's strict descendants in the namespaces ZSET. */
export function descendantRange(namespace: Namespace): [string, string] {
  const encoded = encodeNamespace(namespace);
  // '0' is the character after '/', so ["p/", "p0") is exactly everything beneath p.
  return [`[${encoded}/`, `(${encoded}0`];
}
