import { describe, expect, it } from "vitest";
import { dot } from "../retrieval/vector-math.js";
import { createEmbeddingPipeline } from "./embedding-pipeline.js";
import { universalSentenceEncoder } from "./universal-sentence-encoder.js";

describe("universalSentenceEncoder", () => {
  it("embeds offline into 512 dimensions, closer by meaning", async () => {
    const pipeline = createEmbeddingPipeline({ embedder: universalSentenceEncoder() });
    const [fact, pet, query] = await pipeline.embedDocuments([
      "Our main database is PostgreSQL 16.",
      "The office dog is called Biscuit.",
      "What database does the team use?",
    ]);
    expect(fact).toHaveLength(512);
    expect(dot(query!, fact!)).toBeGreaterThan(dot(query!, pet!) + 0.2);
  });
});
