// Process 2: a fresh process recalls by meaning what process 1 remembered.
import { createMemory, namespaceFor } from "@engram/core";

const memory = createMemory();
const team = namespaceFor({ tenant: "acme", space: "platform-team" });
const question = process.argv[2] ?? "What database does the team use?";

const hits = await memory.recall({ namespace: team, query: question, limit: 3 });
console.log(`\nQ: ${question}`);
for (const [rank, hit] of hits.entries())
  console.log(`${rank + 1}. [${hit.score.toFixed(3)}] ${hit.content}`);
await memory.close();
