import { afterAll, beforeAll, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../../testing/test-server.js";

let server: TestServer;
let acme: string;
let globex: string;
beforeAll(async () => {
  server = await startTestServer();
  acme = await server.key(["acme"]);
  globex = await server.key(["globex"]);
  const remember = (key: string, namespace: string[], content: string, kind: string) =>
    server.request("POST", "/v1/memories", { key, body: { namespace, content, kind } });
  await remember(acme, ["team", "ops"], "deploys on Mondays", "fact");
  await remember(acme, ["team", "ops"], "prefers short standups", "preference");
  await remember(acme, ["team"], "ships weekly", "fact");
  await remember(globex, ["secret"], "launch in May", "fact");
});
afterAll(() => server.close());

it("counts memories by namespace and kind, relative to the key's root", async () => {
  const answer = await server.request("GET", "/v1/namespaces", { key: acme });
  expect(answer.status).toBe(200);
  expect(answer.body).toEqual({
    namespaces: [
      { namespace: ["team"], total: 1, kinds: { fact: 1 } },
      { namespace: ["team", "ops"], total: 2, kinds: { fact: 1, preference: 1 } },
    ],
  });
  const within = await server.request("GET", "/v1/namespaces?within=team/ops", { key: acme });
  expect(within.body.namespaces).toEqual([
    { namespace: ["team", "ops"], total: 2, kinds: { fact: 1, preference: 1 } },
  ]);
});

it("shows another tenant nothing of the first", async () => {
  const answer = await server.request("GET", "/v1/namespaces", { key: globex });
  expect(answer.body.namespaces).toEqual([{ namespace: ["secret"], total: 1, kinds: { fact: 1 } }]);
  const climbing = await server.request("GET", "/v1/namespaces?within=../acme", { key: globex });
  expect(climbing.status).toBe(400);
});
