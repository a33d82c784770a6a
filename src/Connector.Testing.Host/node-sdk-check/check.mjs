// Drives the standalone local Responses server with the official OpenAI Node SDK: HTTP (JSON and SSE) through
// client.responses, and WebSocket mode through the SDK's ResponsesWS. Run it through ./run.sh, which starts the host.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import OpenAI from 'openai';
import { ResponsesWS } from 'openai/resources/responses/ws';

const baseURL = process.env.LOCAL_RESPONSES_BASE_URL;
const apiKey = process.env.LOCAL_RESPONSES_API_KEY ?? 'any-key-works';
assert.ok(baseURL, 'LOCAL_RESPONSES_BASE_URL is not set; start the host with ./run.sh');

const client = new OpenAI({ baseURL, apiKey, maxRetries: 0, timeout: 30_000 });
const model = 'local-model';
const tools = [
  { type: 'function', name: 'list_orders', parameters: { type: 'object', properties: { limit: { type: 'integer' } } }, strict: false },
  { type: 'function', name: 'get_supplier_eta', parameters: { type: 'object', properties: { supplier: { type: 'string' } }, required: ['supplier'] }, strict: false },
  { type: 'function', name: 'cancel_order', parameters: { type: 'object', properties: { id: { type: 'string' } } }, strict: false },
];
const results = [];

async function check(name, body) {
  try {
    await body();
    results.push({ name, ok: true });
    console.log(`ok    ${name}`);
  } catch (error) {
    results.push({ name, ok: false });
    console.log(`FAIL  ${name}: ${error?.stack ?? error}`);
  }
}

function assertUsage(usage) {
  assert.ok(usage, 'usage is present');
  assert.equal(typeof usage.input_tokens_details.cached_tokens, 'number');
  assert.equal(typeof usage.input_tokens_details.cache_write_tokens, 'number');
  assert.equal(usage.input_tokens_details.cached_tokens + usage.input_tokens_details.cache_write_tokens, usage.input_tokens);
}

await check('HTTP JSON: create answers with the scripted echo', async () => {
  const response = await client.responses.create({ model, input: 'hello from node' });
  assert.equal(response.output_text, 'You said: hello from node');
  assertUsage(response.usage);
});

await check('HTTP SSE: streamed events end with response.completed', async () => {
  const stream = await client.responses.create({ model, input: 'stream please', stream: true });
  const types = [];
  let text = '';
  let final;
  for await (const event of stream) {
    types.push(event.type);
    if (event.type === 'response.output_text.delta') text += event.delta;
    if (event.type === 'response.completed') final = event.response;
  }
  assert.equal(types[0], 'response.created');
  assert.equal(types.at(-1), 'response.completed');
  assert.equal(text, 'You said: stream please');
  assertUsage(final.usage);
});

await check('HTTP: forced tool_choice calls the named tool, then the chained turn reports its result', async () => {
  const first = await client.responses.create({
    model, input: 'when does it arrive?', tools, tool_choice: { type: 'function', name: 'get_supplier_eta' },
  });
  const call = first.output.find((item) => item.type === 'function_call');
  assert.equal(call?.name, 'get_supplier_eta');
  const second = await client.responses.create({
    model, previous_response_id: first.id, tools,
    input: [{ type: 'function_call_output', call_id: call.call_id, output: 'Tuesday' }],
  });
  assert.equal(second.output_text, 'Tool results: Tuesday');
});

await check('HTTP: tool_choice none never calls; an undeclared forced tool is a 400', async () => {
  const none = await client.responses.create({ model, input: 'just talk', tools, tool_choice: 'none' });
  assert.equal(none.output_text, 'You said: just talk');
  await assert.rejects(
    client.responses.create({ model, input: 'x', tools, tool_choice: { type: 'function', name: 'missing' } }),
    (error) => error instanceof OpenAI.BadRequestError && error.param === 'tool_choice');
});

// --- WebSocket mode -------------------------------------------------------------------------------------------

/** Collects one response's events (per stream id) from the SDK's message stream. */
function createCollector(ws) {
  const waiting = new Map();
  const buffered = new Map();
  const terminal = new Set(['response.completed', 'response.incomplete', 'response.failed', 'error']);
  (async () => {
    for await (const message of ws.stream()) {
      let event;
      if (message.type === 'message') event = message.message;
      else if (message.type === 'error') event = message.error.error ?? { type: 'error', error: { message: message.error.message } };
      else continue;
      const lane = event.stream_id ?? '';
      const list = buffered.get(lane) ?? [];
      list.push(event);
      buffered.set(lane, list);
      if (terminal.has(event.type) && waiting.has(lane)) {
        buffered.delete(lane);
        const resolve = waiting.get(lane);
        waiting.delete(lane);
        resolve(list);
      }
    }
  })();
  return (lane = '') => new Promise((resolve, reject) => {
    waiting.set(lane, resolve);
    setTimeout(() => reject(new Error(`no terminal event on lane '${lane}' within 30 s`)), 30_000).unref();
  });
}

const ws = new ResponsesWS(client);
const nextResponse = createCollector(ws);

await check('WebSocket: create, then a store=false continuation served from the connection cache', async () => {
  const firstDone = nextResponse();
  ws.send({ type: 'response.create', model, store: false, input: 'over the socket' });
  const first = await firstDone;
  const completed = first.at(-1);
  assert.equal(completed.type, 'response.completed');
  assert.equal(completed.response.output_text ?? completed.response.output[0].content[0].text, 'You said: over the socket');

  const secondDone = nextResponse();
  ws.send({ type: 'response.create', model, store: false, previous_response_id: completed.response.id, input: 'and again' });
  const second = (await secondDone).at(-1);
  assert.equal(second.type, 'response.completed');
  assert.ok(second.response.usage.input_tokens_details.cached_tokens > 0, 'chained turn reads from the cache');
  assertUsage(second.response.usage);
});

await check('WebSocket: an unknown previous_response_id is previous_response_not_found', async () => {
  const done = nextResponse();
  ws.send({ type: 'response.create', model, store: false, previous_response_id: 'resp_nowhere', input: 'x' });
  const error = (await done).at(-1);
  assert.equal(error.type, 'error');
  assert.equal(error.error?.code, 'previous_response_not_found');
});

await check('WebSocket: warmup (generate:false) then a generated turn chained on it', async () => {
  const warm = nextResponse();
  ws.send({ type: 'response.create', model, store: false, generate: false, input: 'prepare' });
  const warmup = (await warm).at(-1);
  assert.equal(warmup.response.output.length, 0);
  const done = nextResponse();
  ws.send({ type: 'response.create', model, store: false, previous_response_id: warmup.response.id, input: [] });
  assert.equal((await done).at(-1).type, 'response.completed');
});

await check('WebSocket lanes: stream_id is echoed on every event of each lane', async () => {
  const a = nextResponse('lane-a');
  const b = nextResponse('lane-b');
  ws.send({ type: 'response.create', stream_id: 'lane-a', model, store: false, input: 'on a' });
  ws.send({ type: 'response.create', stream_id: 'lane-b', model, store: false, input: 'on b' });
  for (const [lane, events] of [['lane-a', await a], ['lane-b', await b]]) {
    assert.ok(events.every((event) => event.stream_id === lane), `every event of ${lane} echoes it`);
    assert.equal(events.at(-1).type, 'response.completed');
  }
});

ws.close({ code: 1000, reason: 'done' });

const failed = results.filter((result) => !result.ok).length;
const sdkVersion = JSON.parse(readFileSync(new URL('./node_modules/openai/package.json', import.meta.url), 'utf8')).version;
console.log(`\n${results.length - failed} passed, ${failed} failed (openai ${sdkVersion}, node ${process.version})`);
process.exit(failed === 0 ? 0 : 1);
