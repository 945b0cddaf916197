import { fixtureNames } from '../support/fixtures';
import { describeOpenAIStyleConformance } from '../support/openaiStyleConformance';

describe('OpenAI conformance on recorded streams', () => {
  describeOpenAIStyleConformance(fixtureNames('openai-'), 'openai');
});
