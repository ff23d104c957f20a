// Process 1: remember a handful of facts about a team, then exit.
import { createMemory, namespaceFor } from "@engram/core";

const memory = createMemory(); // embedded SQLite in ./.engram, offline embedder
const team = namespaceFor({ tenant: "acme", space: "platform-team" });

const facts = [
  { key: "database", content: "Our main database is PostgreSQL 16, hosted on RDS." },
  { key: "standup", content: "Standup is every weekday at 9:30 in the small meeting room." },
  { key: "deploys", content: "We deploy to production on Tuesdays and Thursdays only." },
  { key: "language", content: "Services are written in TypeScript and run on Node 24." },
  { key: "oncall", content: "Priya is on call this week; escalate pages to her first." },
  { key: "dog", content: "Biscuit, the office dog, is not allowed in the server room." },
];

const results = await memory.remember(
  facts.map((fact) => ({ namespace: team, kind: "fact", ...fact })),
);
for (const { status, memory: stored } of results)
  console.log(`${status.padEnd(7)} ${stored.content}`);
console.log(`\nRemembered ${results.length} facts in ${JSON.stringify(team)}.`);
await memory.close();
