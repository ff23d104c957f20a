import { describe, expect, it } from "vitest";
import { EngramError } from "../errors/engram-error.js";
import { fromLangChainEmbeddings } from "./from-langchain-embeddings.js";
import { toEmbedder } from "./to-embedder.js";

class FakeLangChainEmbeddings {
  model = "fake-embed";
  documents: string[][] = [];
  queries: string[] = [];
  async embedDocuments(texts: string[]) {
    this.documents.push(texts);
    return texts.map(() => [1, 0]);
  }
  async embedQuery(text: string) {
    this.queries.push(text);
    return [0, 1];
  }
}

describe("fromLangChainEmbeddings", () => {
  it("embeds documents and queries through their own methods", async () => {
    const source = new FakeLangChainEmbeddings();
    const embedder = fromLangChainEmbeddings(source);
    expect(embedder.model).toBe("langchain:fake-embed");
    expect(await embedder.embed(["a", "b"])).toEqual([
      [1, 0],
      [1, 0],
    ]);
    expect(await embedder.embedQuery?.("q")).toEqual([0, 1]);
    expect(source.documents).toEqual([["a", "b"]]);
    expect(source.queries).toEqual(["q"]);
  });

  it("is recognised by toEmbedder, which rejects anything else", () => {
    expect(toEmbedder(new FakeLangChainEmbeddings()).model).toBe("langchain:fake-embed");
    expect(() => toEmbedder({ embed: 1 } as never)).toThrow(EngramError);
  });
});
