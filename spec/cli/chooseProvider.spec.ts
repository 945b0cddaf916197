import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chooseProvider } from '../../cli/chooseProvider';

describe('chooseProvider', () => {
  test('the first cloud provider whose key is set', async () => {
    expect(await chooseProvider({ MISTRAL_API_KEY: 'm', GEMINI_API_KEY: 'g' }, 50, [])).toEqual({ id: 'gemini', reason: 'GEMINI_API_KEY is set' });
  });

  test('else a local server that answers, else none', async () => {
    const server = createServer((_, res) => res.end('{"models":[]}'));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/tags`;
    const closed = 'http://127.0.0.1:9/v1/models';
    expect(await chooseProvider({}, 300, [['lmstudio', closed], ['ollama', url]])).toEqual({ id: 'ollama', reason: 'a local ollama server answers' });
    await new Promise((r) => server.close(r));
    expect(await chooseProvider({}, 300, [['ollama', url]])).toBeUndefined();
    expect(await chooseProvider({ RXLLM_LOCAL_PROBE: 'off' }, 300, [['ollama', url]])).toBeUndefined();
  });
});
