import { createOpenAICompatibleProvider } from '../../lib';
import { fixtureNames } from '../support/fixtures';
import { describeOpenAIStyleConformance } from '../support/openaiStyleConformance';

describe('an OpenAI-compatible gateway (OpenRouter) on a recorded stream', () => {
  const openrouter = createOpenAICompatibleProvider({ id: 'openrouter', baseURL: 'https://openrouter.ai/api/v1', apiKeyEnv: 'OPENROUTER_API_KEY' });
  describeOpenAIStyleConformance(fixtureNames('compat-openrouter-'), openrouter);
});
