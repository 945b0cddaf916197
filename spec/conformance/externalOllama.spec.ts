import { externalFixtures } from '../support/externalFixtures';
import { describeExternalConformance, endsBeforeFinish, type Difference } from '../support/externalConformance';

/** The Ollama `/api/chat` bodies other projects recorded (external/, `api: chat`), compared with the peer's reading. */
const DIFFERENCES: Record<string, Difference> = {
  'ollama-python-chat-stream': {
    reason: 'three lines and no "done": true line (a hand-made stream): ollama-python reads it as complete, rxllm as interrupted (ollama-js raises too)',
    check: endsBeforeFinish,
  },
};

const fixtures = externalFixtures('chat');
describeExternalConformance('Ollama conformance on the streams other projects recorded', { fixtures, provider: 'ollama', differences: DIFFERENCES, seeds: 20, options: { model: 'llama3.2' } });

test('the manifest lists 1 recorded Ollama chat stream', () => {
  expect(fixtures).toHaveLength(1);
});
