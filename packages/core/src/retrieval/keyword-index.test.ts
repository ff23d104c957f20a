import { describe, expect, it } from "vitest";
import { type Bm25Document, bm25, toBm25Document } from "./bm25.js";
import { KeywordIndex } from "./keyword-index.js";

const WORDS = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india"];

function seeded(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state * 1_664_525 + 1_013_904_223) >>> 0;
    return state / 4_294_967_296;
  };
}

interface Doc {
  namespace: string;
  key: string;
  document: Bm25Document<string>;
  kind: string;
  expires: number;
}

// Random short texts over a small vocabulary, with a word in every text ("note"), so that
// pruning, ties and a stem covering the whole scope all occur.
function corpus(count: number, seed: number): Doc[] {
  const next = seeded(seed);
  return Array.from({ length: count }, (_, i) => {
    const words = Array.from(
      { length: 1 + Math.floor(next() * 6) },
      () => WORDS[Math.floor(next() * WORDS.length)],
    );
    const key = `m${i}`;
    return {
      namespace: `ns${Math.floor(next() * 3)}`,
      key,
      document: toBm25Document(key, `note ${words.join(" ")}`),
      kind: next() < 0.2 ? "fact" : "note",
      expires: next() < 0.1 ? 1_000 + Math.floor(next() * 1_000) : Number.POSITIVE_INFINITY,
    };
  });
}

// What `bm25` returns over every live document of the scope that passes.
function exact(
  docs: readonly Doc[],
  namespaces: readonly string[],
  query: string,
  limit: number,
  keep: (doc: Doc) => boolean,
) {
  const inScope = namespaces.flatMap((namespace) =>
    docs.filter((doc) => doc.namespace === namespace && keep(doc)),
  );
  return bm25(
    inScope.map((doc) => doc.document),
    query,
    limit,
    inScope.length,
  );
}

describe("KeywordIndex", () => {
  const queries = ["alpha", "bravo charlie", "note delta", "note", "echo golf india hotel", "zulu"];

  it("scores and orders like bm25 over the scope, with kinds, expiry and a caller's check", () => {
    const docs = corpus(3_000, 7);
    const index = new KeywordIndex<string>();
    for (const doc of docs) index.set(doc.namespace, doc.key, doc.document, doc.kind, doc.expires);
    const cases = [
      { namespaces: ["ns0"], kinds: undefined, now: 0, accept: undefined },
      { namespaces: ["ns1", "ns0"], kinds: ["fact"], now: 0, accept: undefined },
      { namespaces: ["ns0", "ns2"], kinds: undefined, now: 1_500, accept: undefined },
      {
        namespaces: ["ns2"],
        kinds: ["note"],
        now: 1_200,
        accept: (key: string) => Number(key.slice(1)) % 3 !== 0,
      },
    ];
    for (const { namespaces, kinds, now, accept } of cases) {
      for (const query of queries) {
        for (const limit of [1, 10, 300]) {
          const keep = (doc: Doc) =>
            (!kinds || kinds.includes(doc.kind)) &&
            doc.expires > now &&
            (!accept || accept(doc.key));
          const found = index.search(namespaces, query, limit, { kinds, now, accept });
          expect(found).toEqual(exact(docs, namespaces, query, limit, keep));
        }
      }
    }
  });

  it("stays exact through deletes, replacements and compaction", () => {
    const docs = corpus(4_000, 11);
    const index = new KeywordIndex<string>();
    for (const doc of docs) index.set(doc.namespace, doc.key, doc.document, doc.kind, doc.expires);
    // Delete most documents (compacting partitions), and move some to other namespaces/kinds.
    const kept: Doc[] = [];
    for (const [i, doc] of docs.entries()) {
      if (i % 4 !== 0) index.delete(doc.key);
      else kept.push(doc);
    }
    const moved = corpus(200, 12).map((doc, i) => ({ ...doc, key: kept[i * 3]!.key }));
    const movedKeys = new Set(moved.map((doc) => doc.key));
    for (const doc of moved) {
      const document = { ...doc.document, item: doc.key };
      index.set(doc.namespace, doc.key, document, doc.kind, doc.expires);
    }
    const live = [
      ...kept.filter((doc) => !movedKeys.has(doc.key)),
      ...moved.map((doc) => ({ ...doc, document: { ...doc.document, item: doc.key } })),
    ];
    expect(index.size).toBe(live.length);
    for (const query of queries) {
      for (const namespaces of [["ns0"], ["ns0", "ns1", "ns2"]]) {
        const found = index.search(namespaces, query, 20, { now: 0 });
        const want = exact(live, namespaces, query, 20, () => true);
        // Equal scores may come in another order: a replaced document counts as written last.
        expect(found.map((hit) => hit.score)).toEqual(want.map((hit) => hit.score));
        expect(new Set(found.map((hit) => hit.item))).toEqual(new Set(want.map((hit) => hit.item)));
      }
    }
  });

  it("stays exact when pruning leaves few candidates for long postings", () => {
    // Every document holds "note" and most hold "common"; few hold "rare" (some several
    // times). Once the rare words are read, few documents can still reach the best scores,
    // and the long postings are searched for those few instead of walked.
    const next = seeded(5);
    const docs: Doc[] = Array.from({ length: 20_000 }, (_, i) => {
      const words = ["note"];
      if (next() < 0.01)
        words.push(...Array.from({ length: 1 + Math.floor(next() * 3) }, () => "rare"));
      if (next() < 0.05) words.push("medium");
      if (next() < 0.7) words.push("common");
      for (let extra = Math.floor(next() * 4); extra > 0; extra--) words.push("filler");
      const key = `m${i}`;
      return {
        namespace: "ns0",
        key,
        document: toBm25Document(key, words.join(" ")),
        kind: i % 10 === 0 ? "fact" : "note",
        expires: Number.POSITIVE_INFINITY,
      };
    });
    const index = new KeywordIndex<string>();
    for (const doc of docs) index.set(doc.namespace, doc.key, doc.document, doc.kind, doc.expires);
    for (const query of ["rare note", "rare medium common note", "medium common", "rare filler"]) {
      for (const kinds of [undefined, ["fact"]]) {
        for (const limit of [1, 10, 50, 300]) {
          const keep = (doc: Doc) => !kinds || kinds.includes(doc.kind);
          const found = index.search(["ns0"], query, limit, { kinds, now: 0 });
          expect(found).toEqual(exact(docs, ["ns0"], query, limit, keep));
        }
      }
    }
  });

  it("finds nothing for unknown kinds, stems or namespaces", () => {
    const index = new KeywordIndex<string>();
    index.set("a", "x", toBm25Document("x", "alpha beta"), "note");
    expect(index.search(["a"], "alpha", 5, { now: 0, kinds: ["fact"] })).toEqual([]);
    expect(index.search(["a"], "zulu", 5, { now: 0 })).toEqual([]);
    expect(index.search(["b"], "alpha", 5, { now: 0 })).toEqual([]);
    expect(index.search(["a"], "alpha", 5, { now: 0 })).toHaveLength(1);
  });
});
