import { Redis } from 'ioredis';
import { createChatRelay } from '../../lib';
import { redisRelayStore } from '../../redis';
import { mockBaseURL, startMockServer, startRedisServer, type MockServer, type RedisServer } from '../../testing';
import { startRelayServer, streamThroughDrop, type RelayServer } from '../support/relayServer';

const messages = [{ role: 'user' as const, content: 'Why keep relayed streams in Redis?' }];

describe('the relay with redisRelayStore: a dropped page resumes on another instance', () => {
  let redisServer: RedisServer;
  let redis: [Redis, Redis];
  let mock: MockServer;
  let relays: RelayServer;

  beforeAll(async () => {
    [redisServer, mock] = await Promise.all([startRedisServer(), startMockServer()]);
    redis = [new Redis(redisServer.port, '127.0.0.1'), new Redis(redisServer.port, '127.0.0.1')];
    // two instances, each with its own connection to the same Redis, behind one address that alternates between them
    const options = { baseURL: mockBaseURL(mock, 'anthropic'), apiKey: 'sk-ant-relay-spec', model: 'claude-sonnet-4-6' };
    relays = await startRelayServer(redis.map((connection) => createChatRelay({ provider: 'anthropic', options, store: redisRelayStore(connection) })));
  });
  afterAll(async () => {
    await relays.close();
    await Promise.all(redis.map((connection) => connection.quit()));
    await Promise.all([redisServer.close(), mock.close()]);
  });

  test.each([3, 9, 20])('dropped after %i events: the other instance sends the chunks after the last one the page had; one provider request', async (events) => {
    const answered = relays.answeredBy.length;
    expect(await streamThroughDrop(relays, mock, messages, events)).toBe(1);
    // the first answer and the resumed one came from different instances
    expect(new Set(relays.answeredBy.slice(answered)).size).toBe(2);
    expect(relays.written.at(-1)).toContain('"resumable":true');
  });
});
